"""Who may do what to which domestic homicide review, now: the reviews app's one policy, and the
one place it speaks to guardian.

A review is visible to the people granted access to it (direct-foreign-key permission tables),
and only while they are members of its partnership in a role that may hold DHR material:
scrutiny members and PCC offices never can, whatever they were granted. What a grant lets its
holder do depends on why it was given (``GRANT_VERBS``): whoever recorded the notification, a
named coordinator and the independent chair run the review and decide who has access; panel
members read all of it; an agency author reads the review's summary and answers, and reads, their
own organisation's requests. Some verbs also depend on where the review is (``ReviewAccess.
not_now``): agencies are asked and answer only while evidence is open, for instance.

Nothing marks a review document as shared with the agencies, so an agency author reads no other
agency's answers, no attached document but their own agency's IMR, no action plan and no export.

``ReviewPolicy`` has the shape of every policy (``csp_portal.policies.Policy``); its ``obj`` is the
review, or a record of it (a request, a document, a line of the action plan):

    ReviewPolicy.visible(who)                                the reviews they see (selectors)
    ReviewPolicy.can(who, verb, obj)                         may they, now? (views)
    ReviewPolicy.require_user(user, partnership, verb, obj)  every service, inside its transaction
    ReviewPolicy.may(who, obj)                               every verb, for templates

``who`` is a membership, or (outside the services) a user. Where one person's standing on one
review is asked about many times (a page and its buttons), ``ReviewPolicy.access(who, review)``
reads it once and answers the same questions (``ReviewAccess``).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from accounts.models import User
from csp_portal.policies import Policy
from partnerships.models import Membership, Partnership, Role
from partnerships.permissions import Perm, membership_can

from .models import (
    ACTION_PLAN_CLOSED,
    EVIDENCE_OPEN,
    HOLDABLE,
    REVIEW_TRANSITIONS,
    AccessGrant,
    AgencyRequest,
    ChronologyEntry,
    Decision,
    DomesticHomicideReview,
    ReviewDocument,
    ReviewStatus,
)

ACCESS_REVIEW = "reviews.access_domestichomicidereview"
# Roles that may never hold DHR content, even with a grant.
NEVER_ROLES = frozenset({Role.SCRUTINY, Role.PCC_OFFICE})
HOLDING_ROLES = frozenset(set(Role.values) - NEVER_ROLES)


class ReviewVerb(StrEnum):
    """Everything the review pages and services do to a review."""

    READ = "read"  # its summary: reference, pseudonyms, facts, status and clocks
    # Agencies' requests and answers, the combined chronology and the attached documents; with
    # ``obj`` (a request, or a document), that one.
    READ_EVIDENCE = "read_evidence"
    READ_ACTION_PLAN = "read_action_plan"
    READ_ACCESS = "read_access"  # who has access, and who has read the review
    EXPORT = "export"  # the executive summary and the action plan as PDFs
    ADVANCE = "advance"  # move the statutory process on
    HOLD = "hold"  # put on hold
    RESUME = "resume"  # take off hold
    LEGAL_HOLD = "legal_hold"  # keep its records past the retention schedule, and release them
    MANAGE_ACCESS = "manage_access"  # give access, and remove it
    REQUEST_EVIDENCE = "request_evidence"  # ask an agency for its chronology or IMR
    UPLOAD_DOCUMENT = "upload_document"
    MANAGE_ACTION_PLAN = "manage_action_plan"
    ANSWER_REQUEST = "answer_request"  # ``obj``: a request of the author's own organisation
    READ_QA = "read_qa"  # the Home Office quality assurance panel's feedback and the answers
    # Record a point of the panel's feedback on a returned review (the coordinator, from what
    # the Home Office sent); answer one (the independent chair).
    RECORD_QA_FEEDBACK = "record_qa_feedback"
    ANSWER_QA_FEEDBACK = "answer_qa_feedback"
    # Record the day Welsh Government was told a review takes place (types whose process says so).
    RECORD_WELSH_GOVERNMENT = "record_welsh_government"
    # Record a notification, and choose who decides: the partnership's, with no review yet. It
    # comes with the role (Perm.RECORD_REVIEWS); the review it makes is the recorder's to run.
    RECORD = "record"


V = ReviewVerb
R = AccessGrant.Reason
S = ReviewStatus
_READS = frozenset(
    {V.READ, V.READ_EVIDENCE, V.READ_ACTION_PLAN, V.READ_ACCESS, V.EXPORT, V.READ_QA}
)
_RUNS = _READS | {
    V.ADVANCE,
    V.RECORD_WELSH_GOVERNMENT,
    V.HOLD,
    V.RESUME,
    V.LEGAL_HOLD,
    V.MANAGE_ACCESS,
    V.REQUEST_EVIDENCE,
    V.UPLOAD_DOCUMENT,
    V.MANAGE_ACTION_PLAN,
}
# What each grant lets its holder do to the whole review.
GRANT_VERBS: dict[str, frozenset[ReviewVerb]] = {
    R.CREATOR: _RUNS | {V.RECORD_QA_FEEDBACK},
    R.COORDINATOR: _RUNS | {V.RECORD_QA_FEEDBACK},
    R.CHAIR: _RUNS | {V.ANSWER_QA_FEEDBACK},
    R.PANEL: _READS,
    R.AUTHOR: frozenset({V.READ}),
}
# What a grant lets its holder do only to their own organisation's request (or its documents).
OWN_AGENCY_VERBS: dict[str, frozenset[ReviewVerb]] = {
    R.AUTHOR: frozenset({V.READ_EVIDENCE, V.ANSWER_REQUEST}),
}
# A review always keeps someone holding one of these (see ReviewPolicy.managers).
MANAGING_REASONS = frozenset(
    reason for reason, verbs in GRANT_VERBS.items() if V.MANAGE_ACCESS in verbs
)


def _agency_of(obj: Model | None) -> int | None:
    """The organisation a request, or a document handed in on one, belongs to."""
    if isinstance(obj, AgencyRequest):
        return obj.organisation_id
    if isinstance(obj, ReviewDocument) and obj.request_id is not None:
        return obj.request.organisation_id
    return None


def _review_and_record(obj: Model) -> tuple[DomesticHomicideReview, Model | None]:
    """The review ``obj`` is, or belongs to, and the record of it that ``obj`` is (if any)."""
    if isinstance(obj, DomesticHomicideReview):
        return obj, None
    return obj.review, obj


@dataclass(frozen=True)
class ReviewAccess:
    """One person's standing on one review: their membership of its partnership, and why they
    were given access (``reason`` is None when they hold no access that works)."""

    review: DomesticHomicideReview
    membership: Membership | None
    reason: str | None

    def allows(self, verb: ReviewVerb, obj: Model | None = None) -> bool:
        """Whether it is theirs to do (grant, role, organisation), wherever the review is."""
        if verb == V.RECORD:
            return ReviewPolicy.can_record(self.membership)
        if self.reason is None or self.membership is None:
            return False
        if obj is not None and getattr(obj, "review_id", self.review.pk) != self.review.pk:
            return False
        if verb in GRANT_VERBS[self.reason]:
            return True
        if verb in OWN_AGENCY_VERBS.get(self.reason, ()):
            agency = _agency_of(obj)
            return agency is not None and agency == self.membership.organisation_id
        return False

    def not_now(self, verb: ReviewVerb, obj: Model | None = None) -> str:
        """Why it cannot be done in the review's present state ("" when it can). Which step may
        follow which is the transition services' to say (REVIEW_TRANSITIONS)."""
        review = self.review
        status = review.get_status_display().lower()
        if verb in (V.REQUEST_EVIDENCE, V.ANSWER_REQUEST) and review.status not in EVIDENCE_OPEN:
            return _("Agencies cannot be asked or answer while the review is %(status)s.") % {
                "status": status
            }
        if verb == V.ANSWER_REQUEST and getattr(obj, "submitted_at", None) is not None:
            return _("This has been submitted and can no longer be changed.")
        if verb == V.UPLOAD_DOCUMENT and review.status == ReviewStatus.CLOSED:
            return _("Documents cannot be added to a closed review.")
        if verb == V.MANAGE_ACTION_PLAN and review.status in ACTION_PLAN_CLOSED:
            return _("The action plan cannot be changed while the review is %(status)s.") % {
                "status": status
            }
        if verb == V.HOLD and review.status not in HOLDABLE:
            return _("A review that is %(current)s cannot be put on hold.") % {"current": status}
        if verb == V.RESUME and review.status != S.ON_HOLD:
            return _("This review is not on hold.")
        if verb in (V.RECORD_QA_FEEDBACK, V.ANSWER_QA_FEEDBACK) and review.status != S.RETURNED:
            return _(
                "The quality assurance panel's feedback is recorded and answered while the "
                "review is returned for changes."
            )
        if verb == V.ANSWER_QA_FEEDBACK and getattr(obj, "round", review.qa_round) != (
            review.qa_round
        ):
            return _("This feedback belongs to an earlier round and can no longer be answered.")
        if verb == V.RECORD_WELSH_GOVERNMENT:
            if not review.review_type.welsh_government_notified:
                return _("Welsh Government is not told of this type of review.")
            if review.decision != Decision.REVIEW or review.status == S.CLOSED:
                return _("Welsh Government is told once a review is decided on.")
            if review.welsh_government_notified_on is not None:
                return _("The date Welsh Government was told is already recorded.")
        return ""

    def can(self, verb: ReviewVerb, obj: Model | None = None) -> bool:
        return self.allows(verb, obj) and not self.not_now(verb, obj)

    def require(self, verb: ReviewVerb, obj: Model | None = None) -> None:
        """PermissionDenied when it is not theirs to do; ValidationError (a message for the
        form) when it is, but not now."""
        if not self.allows(verb, obj):
            raise PermissionDenied
        if message := self.not_now(verb, obj):
            raise ValidationError(message, code="not_now")

    def may(self, obj: Model | None = None) -> dict[str, bool]:
        """Every verb, now, on the review as a whole or on ``obj`` (a request of it):
        ``{% if may.advance %}`` in templates."""
        return {verb.value: self.can(verb, obj) for verb in ReviewVerb}

    def next_steps(self) -> list[str]:
        """The statuses they may move the review on to, now (a hold is its own verb, and a
        review on hold resumes before it moves on)."""
        if self.review.status == S.ON_HOLD or not self.can(V.ADVANCE):
            return []
        return [status for status in REVIEW_TRANSITIONS[self.review.status] if status != S.ON_HOLD]


class _ReviewPolicy(Policy):
    """The policy proper. Its reads of ``who`` take a membership or a user; ``access`` is the
    one that reads the database, so ``can`` and ``may`` ask it once."""

    verbs = ReviewVerb

    @staticmethod
    def grant(review: DomesticHomicideReview, user: User) -> None:
        assign_perm(ACCESS_REVIEW, user, review)

    @staticmethod
    def revoke(review: DomesticHomicideReview, user: User) -> None:
        remove_perm(ACCESS_REVIEW, user, review)

    @staticmethod
    def can_hold_access(membership: Membership | None) -> bool:
        return membership is not None and membership.role in HOLDING_ROLES

    @staticmethod
    def role_can_hold_access(role: str | None) -> bool:
        """Whether someone in ``role`` (None: no longer a member) may hold a grant at all."""
        return role in HOLDING_ROLES

    @staticmethod
    def holding_members(partnership: Partnership) -> QuerySet[Membership]:
        """The partnership's members in a role that may be given access to its reviews."""
        return Membership.objects.filter(partnership=partnership, role__in=HOLDING_ROLES)

    @staticmethod
    def working_grants(grants: QuerySet[AccessGrant] | None = None) -> QuerySet[AccessGrant]:
        """The grants (of ``grants``, by default all) that still work: their holder is still a
        member of the review's partnership, in a role that may hold access."""
        return (grants if grants is not None else AccessGrant.objects.all()).filter(
            user__memberships__partnership=F("review__partnership"),
            user__memberships__role__in=HOLDING_ROLES,
        )

    def visible(self, who: User | Membership, queryset: QuerySet | None = None) -> QuerySet:
        """The reviews ``who`` may see: across all their partnerships for a user, in its own
        partnership for a membership."""
        if who is None:
            return DomesticHomicideReview.objects.none()
        user = who.user if isinstance(who, Membership) else who
        if not user.is_authenticated:
            return DomesticHomicideReview.objects.none()
        queryset = (queryset if queryset is not None else DomesticHomicideReview.objects).filter(
            partnership__memberships__user=user,
            partnership__memberships__role__in=HOLDING_ROLES,
        )
        if isinstance(who, Membership):
            queryset = queryset.filter(partnership_id=who.partnership_id)
        return get_objects_for_user(
            user,
            ACCESS_REVIEW,
            klass=queryset,
            use_groups=False,
            with_superuser=False,
            accept_global_perms=False,
        )

    def access(self, who: User | Membership | None, review: DomesticHomicideReview) -> ReviewAccess:
        """Where ``who`` stands on ``review``, in one or two queries; ask it as often as needed."""
        if isinstance(who, Membership):
            membership = who if who.partnership_id == review.partnership_id else None
        elif who is not None and who.is_authenticated:
            membership = Membership.objects.filter(
                user=who, partnership_id=review.partnership_id
            ).first()
        else:
            membership = None
        reason = None
        if self.can_hold_access(membership):
            reason = (
                AccessGrant.objects.filter(
                    review__in=self.visible(membership).filter(pk=review.pk),
                    user_id=membership.user_id,
                )
                .values_list("reason", flat=True)
                .first()
            )
        return ReviewAccess(review=review, membership=membership, reason=reason)

    def _access_to(self, who, obj: Model) -> tuple[ReviewAccess, Model | None]:
        """``who``'s standing on the review ``obj`` is (or belongs to), and the record it is."""
        review, record = _review_and_record(obj)
        return self.access(who, review), record

    def allows(
        self, who: User | Membership | None, verb: ReviewVerb, obj: Model | None = None
    ) -> bool:
        if verb == V.RECORD:
            return self.can_record(who if isinstance(who, Membership) else None)
        access, record = self._access_to(who, obj)
        return access.allows(verb, record)

    def not_now(
        self, who: User | Membership | None, verb: ReviewVerb, obj: Model | None = None
    ) -> str:
        if verb == V.RECORD:
            return ""
        access, record = self._access_to(who, obj)
        return access.not_now(verb, record)

    def can(
        self, who: User | Membership | None, verb: ReviewVerb, obj: Model | None = None
    ) -> bool:
        if verb == V.RECORD:
            return self.allows(who, verb, obj)
        access, record = self._access_to(who, obj)
        return access.can(verb, record)

    def require(
        self, who: User | Membership | None, verb: ReviewVerb, obj: Model | None = None
    ) -> None:
        """For services, after locking the review: raises unless ``who`` may do it now."""
        if verb == V.RECORD:
            return super().require(who, verb, obj)
        access, record = self._access_to(who, obj)
        access.require(verb, record)

    def may(self, who: User | Membership | None, obj: Model | None = None) -> dict[str, bool]:
        """Every verb, now, on the review ``obj`` is or belongs to (read once, not once a verb)."""
        access, record = self._access_to(who, obj)
        return access.may(record)

    def has_access(self, user: User, review: DomesticHomicideReview) -> bool:
        return self.can(user, V.READ, review)

    @staticmethod
    def can_record(membership: Membership | None) -> bool:
        """Recording a notification (and choosing who decides) comes with the role; the review
        it makes is then the recorder's to run."""
        return membership_can(membership, Perm.RECORD_REVIEWS)

    def managers(self, review: DomesticHomicideReview) -> QuerySet[AccessGrant]:
        """The grants that manage access to ``review`` and still work. There is always one: a
        service that would end the last refuses instead."""
        return self.working_grants(
            AccessGrant.objects.filter(review=review, reason__in=MANAGING_REASONS)
        )


ReviewPolicy = _ReviewPolicy()


def review_id_of(target: Model) -> int | None:
    """The review a record is, or belongs to (None for anything else): the audit log shows rows
    about it only to those who see the review (registered with audit.need_to_know)."""
    if isinstance(target, DomesticHomicideReview):
        return target.pk
    if isinstance(target, ChronologyEntry):
        return target.request.review_id
    if target._meta.app_label == "reviews":
        return getattr(target, "review_id", None)
    return None


def visible_review_ids(user: User, partnership: Partnership) -> QuerySet:
    return ReviewPolicy.visible(user).filter(partnership=partnership).values("pk")
