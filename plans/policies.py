"""Who may do what to which plan, action and progress report, now: the plans app's policies, the
one place it compares roles and the one place it speaks to django-guardian.

A role's permissions (``partnerships.permissions``) say what is theirs to do; the plan's status
says whether it can be done now (the transition map, and approved versions being frozen).

    PlanPolicy             start, edit, consult on, sign off, publish and refresh a plan, choose
                           who signs it off, and have its documents made
    ActionPolicy           report progress on an action, and see it
    ProgressReportPolicy   issue the quarter's progress report
    CommentPolicy          see a plan's consultation comments, and answer, accept or decline one
    GrantPolicy            offer, change and end a community safety grant; accept it and report
                           its spend each quarter

An action grants "report progress" on itself to its lead organisation's group (direct-foreign-key
permission tables: a list is one join). As with contributions, the group alone is not enough,
because a person's groups come from every partnership they serve: they must also sit on the
action's partnership for that same organisation, in a role that reports progress. The role that
runs the plan reports on every action of it, whichever organisation leads (DESIGN.md: the
coordinator "edits all" action progress).
"""

from collections.abc import Collection
from enum import StrEnum

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from authorities.models import Organisation
from csp_portal.policies import Policy, granted_keys
from partnerships.consultation import COMMENT_TRANSITIONS
from partnerships.models import Membership, PartnerOrganisation, Partnership, Seat
from partnerships.permissions import ROLE_PERMISSIONS, Perm, membership_can

from .bilingual import welsh_is_missing
from .models import (
    GRANT_TRANSITIONS,
    ISSUED_PLAN_STATUSES,
    PLAN_TRANSITIONS,
    ApprovalRule,
    CommunitySafetyGrant,
    GrantStatus,
    PartnershipPlan,
    PlanAction,
    PlanActionGroupObjectPermission,
    PlanActionUserObjectPermission,
    PlanComment,
    PlanStatus,
    ProgressReport,
)

REPORT_PROGRESS = "plans.report_progress_planaction"


def roles_with(perm: Perm) -> frozenset[str]:
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)


REPORTING_ROLES = roles_with(Perm.REPORT_PLAN_PROGRESS)
# The role that runs the plan reports on every action and issues the progress reports.
RUNS_THE_PLAN = Perm.MANAGE_PLANS
ISSUES_PROGRESS_REPORTS = RUNS_THE_PLAN
REPORT_READING_ROLES = roles_with(Perm.VIEW_PROGRESS_REPORTS) - roles_with(Perm.VIEW_PLAN_PROGRESS)


def visible_statuses(membership: Membership | None) -> frozenset[str]:
    """Drafts for those who write and sign off plans; consultation versions also for partners;
    approved, published and superseded versions for everyone in the partnership."""
    if membership_can(membership, Perm.VIEW_PLAN_DRAFTS):
        return frozenset(PlanStatus.values)
    if membership_can(membership, Perm.VIEW_PLAN_CONSULTATION):
        return ISSUED_PLAN_STATUSES | {PlanStatus.CONSULTATION}
    return ISSUED_PLAN_STATUSES


def required_seats(partnership: Partnership) -> list[str]:
    """The seats that must sign a plan off: the partnership's rule, or the statutory seats."""
    rule = ApprovalRule.objects.filter(partnership=partnership).first()
    return rule.required_seats if rule else ApprovalRule.default_seats()


def required_seats_by_partnership(partnership_ids: Collection[int]) -> dict[int, list[str]]:
    """``required_seats`` of several partnerships (one query)."""
    rules = dict(
        ApprovalRule.objects.filter(partnership_id__in=partnership_ids).values_list(
            "partnership_id", "required_seats"
        )
    )
    return {pid: rules.get(pid, ApprovalRule.default_seats()) for pid in partnership_ids}


def seat_of(membership: Membership) -> str | None:
    """The seat the member's organisation holds on their partnership (statutory first)."""
    seats = set(
        PartnerOrganisation.objects.filter(
            partnership_id=membership.partnership_id, organisation_id=membership.organisation_id
        ).values_list("seat", flat=True)
    )
    return next((seat for seat in Seat.values if seat in seats), None)


class PlanVerb(StrEnum):
    """Everything the plan pages and services do to a plan (``obj``: the plan version)."""

    START = "start"  # the partnership's first plan (no ``obj``)
    SET_SIGN_OFF_RULE = "set_sign_off_rule"  # which seats sign off (no ``obj``)
    EDIT = "edit"  # its sections, priorities, actions and measures
    OPEN_CONSULTATION = "open_consultation"
    RETURN_TO_DRAFT = "return_to_draft"
    SIGN_OFF = "sign_off"  # for the member's seat; the last required sign-off approves it
    PUBLISH = "publish"
    REFRESH = "refresh"  # start the next version from the published one
    MAKE_DOCUMENT = "make_document"  # have its PDF made
    READ_COMMENTS = "read_comments"  # its consultation log, once it has been consulted on
    COMMENT = "comment"  # on the version in consultation, until consultation closes
    CLOSE_CONSULTATION = "close_consultation"  # stop comments before the closing date


PLAN_VERB_PERMS: dict[PlanVerb, Perm] = {
    PlanVerb.START: Perm.MANAGE_PLANS,
    PlanVerb.SET_SIGN_OFF_RULE: Perm.MANAGE_PLANS,
    PlanVerb.EDIT: Perm.MANAGE_PLANS,
    PlanVerb.OPEN_CONSULTATION: Perm.MANAGE_PLANS,
    PlanVerb.RETURN_TO_DRAFT: Perm.MANAGE_PLANS,
    PlanVerb.SIGN_OFF: Perm.SIGN_OFF_PLANS,
    PlanVerb.PUBLISH: Perm.MANAGE_PLANS,
    PlanVerb.REFRESH: Perm.MANAGE_PLANS,
    PlanVerb.MAKE_DOCUMENT: Perm.MAKE_PLAN_DOCUMENTS,
    # Everyone who may read the version in consultation may comment on it.
    PlanVerb.READ_COMMENTS: Perm.VIEW_PLAN_CONSULTATION,
    PlanVerb.COMMENT: Perm.VIEW_PLAN_CONSULTATION,
    PlanVerb.CLOSE_CONSULTATION: Perm.MANAGE_PLANS,
}
PARTNERSHIP_VERBS = frozenset({PlanVerb.START, PlanVerb.SET_SIGN_OFF_RULE})
# Whom the plan's deadlines are due from, by role (the queries below, and the reminders' cycles in
# plans.deadlines, which Your work asks only where a person holds one of them).
PLAN_RUNNING_ROLES = roles_with(RUNS_THE_PLAN)
COMMENTING_ROLES = roles_with(PLAN_VERB_PERMS[PlanVerb.COMMENT]) - PLAN_RUNNING_ROLES
SIGNING_ROLES = roles_with(PLAN_VERB_PERMS[PlanVerb.SIGN_OFF])
SPEND_REPORTING_ROLES = roles_with(Perm.TAKE_UP_GRANTS)
# The verbs that move the plan along its map, and where to.
PLAN_MOVES: dict[PlanVerb, str] = {
    PlanVerb.OPEN_CONSULTATION: PlanStatus.CONSULTATION,
    PlanVerb.RETURN_TO_DRAFT: PlanStatus.DRAFT,
    PlanVerb.PUBLISH: PlanStatus.PUBLISHED,
}


class _PlanPolicy(Policy):
    verbs = PlanVerb

    def visible(self, membership: Membership | None) -> QuerySet[PartnershipPlan]:
        if membership is None:
            return PartnershipPlan.objects.none()
        return PartnershipPlan.objects.filter(
            partnership_id=membership.partnership_id, status__in=visible_statuses(membership)
        )

    def allows(self, membership: Membership | None, verb: PlanVerb, obj: Model | None) -> bool:
        if not membership_can(membership, PLAN_VERB_PERMS[verb]):
            return False
        if obj is None:
            return verb in PARTNERSHIP_VERBS
        return obj.partnership_id == membership.partnership_id and obj.status in visible_statuses(
            membership
        )

    def not_now(self, membership: Membership | None, verb: PlanVerb, obj: Model | None) -> str:
        if obj is None:
            return ""
        if verb in PLAN_MOVES and PLAN_MOVES[verb] not in PLAN_TRANSITIONS[obj.status]:
            return _("A plan that is %(current)s cannot be made %(next)s.") % {
                "current": obj.get_status_display().lower(),
                "next": PlanStatus(PLAN_MOVES[verb]).label.lower(),
            }
        if verb == PlanVerb.EDIT and not obj.is_editable:
            return _(
                "This plan is %(status)s, so it can no longer be changed. Changes go into the "
                "next annual refresh."
            ) % {"status": obj.get_status_display().lower()}
        if verb == PlanVerb.REFRESH and obj.status != PlanStatus.PUBLISHED:
            return _("The annual refresh starts from the published plan.")
        if verb == PlanVerb.SIGN_OFF:
            return self._not_signable(membership, obj) or self._welsh_missing(obj)
        if verb == PlanVerb.PUBLISH:
            return self._welsh_missing(obj)
        if verb == PlanVerb.READ_COMMENTS and obj.consultation_closes_on is None:
            return _("This version has not been consulted on.")
        if verb in {PlanVerb.COMMENT, PlanVerb.CLOSE_CONSULTATION} and not obj.takes_comments:
            return _("Consultation on this plan is closed, so it takes no more comments.")
        return ""

    @staticmethod
    def _welsh_missing(plan: PartnershipPlan) -> str:
        """What is signed off is what is published, in Welsh as in English (plans.bilingual)."""
        if welsh_is_missing(plan):
            return _(
                "Some of the plan's published text has no Welsh yet. The coordinator enters it "
                "before the plan can be signed off or published."
            )
        return ""

    @staticmethod
    def _not_signable(membership: Membership, plan: PartnershipPlan) -> str:
        if plan.status != PlanStatus.CONSULTATION:
            return _("Only a plan under consultation can be signed off.")
        seat = seat_of(membership)
        if seat not in required_seats(plan.partnership):
            return _("Your organisation does not hold a seat that signs this plan off.")
        if any(sign_off.seat == seat for sign_off in plan.sign_offs.all()):
            return _("The %(seat)s seat has already signed this plan off.") % {
                "seat": Seat(seat).label.lower()
            }
        return ""

    @staticmethod
    def commenters(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """Who is asked to comment on a version in consultation: the active members who may
        read it, less those who run the plan (it is theirs; they answer the comments)."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            role__in=COMMENTING_ROLES,
            user__is_active=True,
        )

    @staticmethod
    def signers(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """The active members who sign a plan off, each for their organisation's seat."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            role__in=SIGNING_ROLES,
            user__is_active=True,
        )

    @staticmethod
    def refresh_recipients(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """Who the annual refresh is due from: the active members who run the plan."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            role__in=PLAN_RUNNING_ROLES,
            user__is_active=True,
        )


PlanPolicy = _PlanPolicy()


class ActionVerb(StrEnum):
    VIEW_PROGRESS = "view_progress"  # its quarterly updates and its measures' actuals
    REPORT_PROGRESS = "report_progress"  # a quarter's update and actuals


class _ActionPolicy(Policy):
    verbs = ActionVerb

    @staticmethod
    def grant(action: PlanAction) -> None:
        assign_perm(REPORT_PROGRESS, action.lead_organisation.group, action)

    @staticmethod
    def revoke(action: PlanAction, organisation: Organisation) -> None:
        remove_perm(REPORT_PROGRESS, organisation.group, action)

    @staticmethod
    def end_grants(plan: PartnershipPlan) -> int:
        """End every grant to report on the actions of a version that is superseded: nobody
        reports on it again, and every reporter's list would otherwise scan its grants for
        ever (issue 17). Returns how many ended."""
        deleted, _by_model = PlanActionGroupObjectPermission.objects.filter(
            content_object__plan=plan
        ).delete()
        return deleted

    @staticmethod
    def reportable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        """The actions ``user`` may report progress on as their organisation's, across all their
        partnerships."""
        if not user.is_authenticated:
            return PlanAction.objects.none()
        return (queryset if queryset is not None else PlanAction.objects).filter(
            granted_keys(
                user,
                REPORT_PROGRESS,
                user_grants=PlanActionUserObjectPermission,
                group_grants=PlanActionGroupObjectPermission,
            ),
            _ActionPolicy.progress_owed_by(user.pk),
        )

    def can_report(self, user: User, action: PlanAction) -> bool:
        return self.reportable(user).filter(pk=action.pk).exists()

    def visible(self, membership: Membership | None) -> QuerySet[PlanAction]:
        return PlanAction.objects.filter(plan__in=PlanPolicy.visible(membership))

    def allows(self, membership: Membership | None, verb: ActionVerb, obj: Model | None) -> bool:
        if membership is None or obj is None or obj.partnership_id != membership.partnership_id:
            return False
        if verb == ActionVerb.VIEW_PROGRESS:
            return obj.plan.status in ISSUED_PLAN_STATUSES and (
                membership_can(membership, Perm.VIEW_PLAN_PROGRESS)
                or self.allows(membership, ActionVerb.REPORT_PROGRESS, obj)
            )
        if not membership_can(membership, Perm.REPORT_PLAN_PROGRESS):
            return False
        return membership_can(membership, RUNS_THE_PLAN) or self.can_report(membership.user, obj)

    def not_now(self, membership: Membership | None, verb: ActionVerb, obj: Model | None) -> str:
        if verb == ActionVerb.REPORT_PROGRESS and not obj.plan.is_in_force:
            return _("Progress is reported on the plan in force, not on this version.")
        return ""

    @staticmethod
    def progress_reporters(
        *, partnership_ids: Collection[int], organisation_ids: Collection[int]
    ) -> QuerySet[Membership]:
        """The members an action's update is due from: its lead organisation's people on its
        partnership in a reporting role. The coordinator, who may report on any action, is not
        chased for other organisations' updates."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            organisation_id__in=organisation_ids,
            role__in=REPORTING_ROLES,
        )

    @staticmethod
    def progress_owed_by(user_id: int) -> Exists:
        """``progress_reporters`` from the other side, as a filter on actions: those whose
        updates are due from this person (their organisation leads it, on its partnership, in a
        reporting role)."""
        return Exists(
            Membership.objects.filter(
                user_id=user_id,
                partnership_id=OuterRef("partnership_id"),
                organisation_id=OuterRef("lead_organisation_id"),
                role__in=REPORTING_ROLES,
            )
        )


ActionPolicy = _ActionPolicy()


class ReportVerb(StrEnum):
    ISSUE = "issue"  # freeze a quarter's progress on the plan in force


class _ProgressReportPolicy(Policy):
    verbs = ReportVerb

    def visible(self, membership: Membership | None) -> QuerySet[ProgressReport]:
        if not membership_can(membership, Perm.VIEW_PROGRESS_REPORTS):
            return ProgressReport.objects.none()
        return ProgressReport.objects.filter(partnership_id=membership.partnership_id)

    def allows(self, membership: Membership | None, verb: ReportVerb, obj: Model | None) -> bool:
        """Issuing is the partnership's, not a plan's: whether the plan it is issued on is in
        force is the service's to say (its refusal names the quarter or the version)."""
        return membership_can(membership, ISSUES_PROGRESS_REPORTS) and (
            obj is None or obj.partnership_id == membership.partnership_id
        )

    @staticmethod
    def readers(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """Who an issued report is for: the active members who hold the partnership to account
        (they read issued reports and never the dashboard), told of each new one on Your work."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            role__in=REPORT_READING_ROLES,
            user__is_active=True,
        )

    @staticmethod
    def is_reader(membership: Membership | None) -> bool:
        """Whether a new report is on this member's Your work until they open it."""
        return membership is not None and membership.role in REPORT_READING_ROLES


ProgressReportPolicy = _ProgressReportPolicy()


class CommentVerb(StrEnum):
    RESPOND = "respond"  # answer, accept or decline a consultation comment


class _CommentPolicy(Policy):
    """The consultation log is read by those who may read the version in consultation (the
    governance section of the document counts it for everyone else); the role that runs the
    plan responds, while the version can still change: an approved version's log is frozen."""

    verbs = CommentVerb

    def visible(self, membership: Membership | None) -> QuerySet[PlanComment]:
        if not membership_can(membership, Perm.VIEW_PLAN_CONSULTATION):
            return PlanComment.objects.none()
        return PlanComment.objects.filter(
            partnership_id=membership.partnership_id, plan__in=PlanPolicy.visible(membership)
        )

    def allows(self, membership: Membership | None, verb: CommentVerb, obj: Model | None) -> bool:
        return (
            membership_can(membership, RUNS_THE_PLAN)
            and obj is not None
            and obj.partnership_id == membership.partnership_id
        )

    def not_now(self, membership: Membership | None, verb: CommentVerb, obj: Model | None) -> str:
        if not obj.plan.is_editable:
            return _("This version is %(status)s: its consultation log is frozen with it.") % {
                "status": obj.plan.get_status_display().lower()
            }
        if verb == CommentVerb.RESPOND and not COMMENT_TRANSITIONS[obj.status]:
            return _("This comment has already been %(status)s.") % {
                "status": obj.get_status_display().lower()
            }
        return ""


CommentPolicy = _CommentPolicy()


class GrantVerb(StrEnum):
    VIEW = "view"
    OFFER = "offer"  # record a grant the body offers the partnership (no ``obj``)
    EDIT = "edit"  # its amount, period, conditions and what it funds, while it is an offer
    ACCEPT = "accept"
    END = "end"
    REPORT_SPEND = "report_spend"  # a quarter's spend and outcome


GRANT_VERB_PERMS: dict[GrantVerb, Perm] = {
    GrantVerb.VIEW: Perm.VIEW_GRANTS,
    GrantVerb.OFFER: Perm.OFFER_GRANTS,
    GrantVerb.EDIT: Perm.OFFER_GRANTS,
    GrantVerb.ACCEPT: Perm.TAKE_UP_GRANTS,
    GrantVerb.END: Perm.OFFER_GRANTS,
    GrantVerb.REPORT_SPEND: Perm.TAKE_UP_GRANTS,
}
# The verbs that move a grant along its map, and where to.
GRANT_MOVES: dict[GrantVerb, str] = {
    GrantVerb.ACCEPT: GrantStatus.ACCEPTED,
    GrantVerb.END: GrantStatus.ENDED,
}
# What only the office that offered the grant may do to it.
OFFERING_OFFICE_VERBS = frozenset({GrantVerb.EDIT, GrantVerb.END})


class _GrantPolicy(Policy):
    """The local policing body's office offers a grant, changes it while it is an offer and ends
    it (only the office that offered it: the organisation of the membership that recorded it);
    the partnership's coordinators accept it and report its spend each quarter; every member
    reads it. A grant of another partnership is not found."""

    verbs = GrantVerb

    def visible(self, membership: Membership | None) -> QuerySet[CommunitySafetyGrant]:
        if not membership_can(membership, Perm.VIEW_GRANTS):
            return CommunitySafetyGrant.objects.none()
        return CommunitySafetyGrant.objects.filter(partnership_id=membership.partnership_id)

    def allows(self, membership: Membership | None, verb: GrantVerb, obj: Model | None) -> bool:
        if not membership_can(membership, GRANT_VERB_PERMS[verb]):
            return False
        if obj is None:
            return verb == GrantVerb.OFFER
        if obj.partnership_id != membership.partnership_id:
            return False
        return verb not in OFFERING_OFFICE_VERBS or obj.offered_by_id == membership.organisation_id

    def not_now(self, membership: Membership | None, verb: GrantVerb, obj: Model | None) -> str:
        if obj is None:
            return ""
        if verb in GRANT_MOVES and GRANT_MOVES[verb] not in GRANT_TRANSITIONS[obj.status]:
            return _("This grant is %(status)s, so that cannot be done now.") % {
                "status": obj.get_status_display().lower()
            }
        if verb == GrantVerb.EDIT and obj.status != GrantStatus.OFFERED:
            return _("Only an offer can be changed: this grant is %(status)s.") % {
                "status": obj.get_status_display().lower()
            }
        if verb == GrantVerb.REPORT_SPEND and obj.accepted_at is None:
            # An ended grant still takes the returns of the quarters up to its end.
            return _("Spend is reported once the grant is accepted.")
        return ""

    @staticmethod
    def spend_reporters(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """Who a quarter's spend return is due from: the partnership's active coordinators."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            role__in=SPEND_REPORTING_ROLES,
            user__is_active=True,
        )


GrantPolicy = _GrantPolicy()
