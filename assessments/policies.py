"""Who may do what to which strategic assessment and contribution request, now: the assessments
app's two policies, and the one place it speaks to django-guardian.

The strategic assessment is the partnership's: what a member may do to it comes with their role
(``partnerships.permissions``) and where the assessment is. The coordinator writes it, opens it
for contributions, asks the partner organisations and sends it to the strategy group; a strategy
group member approves it or returns it; an approved version is started again as a new one.

A contribution request grants "answer" on itself to its organisation's group (direct-foreign-key
permission tables, so a list is one join, never a query per row). Group membership alone is not
enough, because a person's groups come from every partnership they serve: they must also sit on
the request's partnership for that same organisation, in a role that writes. The coordinator
accepts, returns or withdraws what the organisations hand in. Nothing about a contribution changes
once its assessment is approved, except that a request still waiting may be withdrawn.

    AssessmentPolicy.visible(membership)                    the assessments they see (selectors)
    AssessmentPolicy.may(membership, assessment)            every verb, now (templates: buttons)
    AssessmentPolicy.require_user(user, partnership, verb, assessment)   every service

and the same of ``ContributionPolicy`` for a contribution request, and of
``AssessmentCommentPolicy`` for a comment made while the assessment was in review.
"""

from collections.abc import Collection
from enum import StrEnum

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from accounts.models import User
from csp_portal.policies import Policy, granted
from partnerships.consultation import COMMENT_TRANSITIONS
from partnerships.models import Membership
from partnerships.permissions import ROLE_PERMISSIONS, Perm, membership_can

from .models import (
    CONTRIBUTION_TRANSITIONS,
    AssessmentComment,
    AssessmentStatus,
    ContributionGroupObjectPermission,
    ContributionRequest,
    ContributionStatus,
    ContributionUserObjectPermission,
    StrategicAssessment,
)

ANSWER_CONTRIBUTION = "assessments.answer_contributionrequest"


def _roles_with(perm: Perm) -> frozenset[str]:
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)


ANSWERING_ROLES = _roles_with(Perm.ANSWER_CONTRIBUTIONS)
APPROVING_ROLES = _roles_with(Perm.APPROVE_ASSESSMENTS)


# Strategic assessments -------------------------------------------------------------------------


class AssessmentVerb(StrEnum):
    """Everything the assessment pages and services do to an assessment."""

    START = "start"  # a new assessment for a financial year (no ``obj``)
    EDIT = "edit"  # its sections and recommended priorities
    OPEN_CONTRIBUTIONS = "open_contributions"
    REQUEST_CONTRIBUTIONS = "request_contributions"
    SUBMIT_FOR_REVIEW = "submit_for_review"
    RETURN = "return"
    APPROVE = "approve"
    NEW_VERSION = "new_version"
    READ_COMMENTS = "read_comments"  # the consultation log of its review
    COMMENT = "comment"  # on the version in review, until the review closes


A = AssessmentVerb
S = AssessmentStatus

# What each verb asks of the member's role.
ASSESSMENT_VERB_PERMS: dict[AssessmentVerb, Perm] = {
    A.START: Perm.MANAGE_ASSESSMENTS,
    A.EDIT: Perm.MANAGE_ASSESSMENTS,
    A.OPEN_CONTRIBUTIONS: Perm.MANAGE_ASSESSMENTS,
    A.REQUEST_CONTRIBUTIONS: Perm.MANAGE_ASSESSMENTS,
    A.SUBMIT_FOR_REVIEW: Perm.MANAGE_ASSESSMENTS,
    A.RETURN: Perm.APPROVE_ASSESSMENTS,
    A.APPROVE: Perm.APPROVE_ASSESSMENTS,
    A.NEW_VERSION: Perm.MANAGE_ASSESSMENTS,
    # Everyone who may read the version in review may comment on it.
    A.READ_COMMENTS: Perm.VIEW_ASSESSMENT_DRAFTS,
    A.COMMENT: Perm.VIEW_ASSESSMENT_DRAFTS,
}

# The status each workflow verb moves the assessment from, and to (a move ASSESSMENT_TRANSITIONS
# allows). The map alone would let "return" open a draft: both end in contributions open.
ASSESSMENT_MOVES: dict[AssessmentVerb, tuple[str, str]] = {
    A.OPEN_CONTRIBUTIONS: (S.DRAFT, S.CONTRIBUTIONS_OPEN),
    A.SUBMIT_FOR_REVIEW: (S.CONTRIBUTIONS_OPEN, S.IN_REVIEW),
    A.RETURN: (S.IN_REVIEW, S.CONTRIBUTIONS_OPEN),
    A.APPROVE: (S.IN_REVIEW, S.APPROVED),
}


class _AssessmentPolicy(Policy):
    verbs = AssessmentVerb

    def visible(self, membership: Membership | None) -> QuerySet[StrategicAssessment]:
        """The partnership's assessments; only the approved ones for those who do not read
        drafts."""
        if membership is None:
            return StrategicAssessment.objects.none()
        queryset = StrategicAssessment.objects.filter(partnership_id=membership.partnership_id)
        if not membership_can(membership, Perm.VIEW_ASSESSMENT_DRAFTS):
            queryset = queryset.filter(status=AssessmentStatus.APPROVED)
        return queryset

    def allows(
        self, membership: Membership | None, verb: AssessmentVerb, obj: Model | None
    ) -> bool:
        if membership is None:
            return False
        if obj is not None and obj.partnership_id != membership.partnership_id:
            return False
        return membership_can(membership, ASSESSMENT_VERB_PERMS[verb])

    def not_now(
        self, membership: Membership | None, verb: AssessmentVerb, obj: Model | None
    ) -> str:
        if obj is None:
            return ""
        if verb in ASSESSMENT_MOVES:
            before, after = ASSESSMENT_MOVES[verb]
            if obj.status != before:
                return _("An assessment that is %(current)s cannot be made %(next)s.") % {
                    "current": obj.get_status_display().lower(),
                    "next": AssessmentStatus(after).label.lower(),
                }
        if verb == A.EDIT and not obj.is_editable:
            if obj.is_approved:
                return _(
                    "This assessment is %(status)s and can no longer be changed. "
                    "Start a new version to make changes."
                ) % {"status": obj.get_status_display().lower()}
            return _(
                "This assessment is with the strategy group for review and cannot be changed "
                "until they return it."
            )
        if verb == A.REQUEST_CONTRIBUTIONS and obj.status != S.CONTRIBUTIONS_OPEN:
            return _("Open the assessment for contributions before sending requests.")
        if verb == A.COMMENT and obj.status != S.IN_REVIEW:
            return _("This assessment is not in review, so it takes no comments.")
        if verb == A.NEW_VERSION:
            if not obj.is_approved:
                return _("Only an approved assessment can be started again.")
            if StrategicAssessment.objects.filter(previous_version=obj).exists():
                return _("A newer version of this assessment has already been started.")
        return ""

    def sign_off_recipients(
        self, partnership_ids: Collection[int] | None = None
    ) -> QuerySet[Membership]:
        """Whom an assessment in review waits for: the active members of its partnership in a
        role that approves assessments (the strategy group)."""
        queryset = Membership.objects.filter(role__in=APPROVING_ROLES, user__is_active=True)
        if partnership_ids is not None:
            queryset = queryset.filter(partnership_id__in=partnership_ids)
        return queryset


AssessmentPolicy = _AssessmentPolicy()


# Contribution requests -------------------------------------------------------------------------


class ContributionVerb(StrEnum):
    """Everything the contribution pages and services do to a contribution request."""

    ANSWER = "answer"  # write the answer, its figures and documents, and submit it
    ACCEPT = "accept"
    RETURN = "return"
    WITHDRAW = "withdraw"


C = ContributionVerb

# The status each of the coordinator's verbs moves a request to (CONTRIBUTION_TRANSITIONS says
# from where).
CONTRIBUTION_MOVES: dict[ContributionVerb, str] = {
    C.ACCEPT: ContributionStatus.ACCEPTED,
    C.RETURN: ContributionStatus.RETURNED,
    C.WITHDRAW: ContributionStatus.WITHDRAWN,
}
# What a strategy group member sees of contributions: what the organisation has handed in.
HANDED_IN = (ContributionStatus.SUBMITTED, ContributionStatus.ACCEPTED)


class _ContributionPolicy(Policy):
    verbs = ContributionVerb

    @staticmethod
    def grant(contribution: ContributionRequest) -> None:
        assign_perm(ANSWER_CONTRIBUTION, contribution.organisation.group, contribution)

    @staticmethod
    def answerable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        """The contribution requests ``user`` may answer, across all their partnerships."""
        if not user.is_authenticated:
            return ContributionRequest.objects.none()
        # Their organisation's, on a partnership they serve in an answering role, and granted.
        answers = Membership.objects.filter(
            user=user,
            partnership_id=OuterRef("partnership_id"),
            organisation_id=OuterRef("organisation_id"),
            role__in=ANSWERING_ROLES,
        )
        return (queryset if queryset is not None else ContributionRequest.objects).filter(
            Exists(answers),
            granted(
                user,
                ANSWER_CONTRIBUTION,
                user_grants=ContributionUserObjectPermission,
                group_grants=ContributionGroupObjectPermission,
            ),
        )

    def can_answer(self, user: User, contribution: ContributionRequest) -> bool:
        """Whether it is ``user``'s to answer, whatever state it is in."""
        return self.answerable(user).filter(pk=contribution.pk).exists()

    def visible(self, membership: Membership | None) -> QuerySet[ContributionRequest]:
        """Requests of this partnership the member may read: all of them for the coordinator,
        the handed-in ones for the strategy group, and their own organisation's when they may
        answer."""
        if membership is None:
            return ContributionRequest.objects.none()
        mine = self.answerable(membership.user).filter(partnership_id=membership.partnership_id)
        in_partnership = ContributionRequest.objects.filter(
            partnership_id=membership.partnership_id
        )
        if membership_can(membership, Perm.REVIEW_CONTRIBUTIONS):
            return in_partnership
        if membership_can(membership, Perm.VIEW_CONTRIBUTIONS):
            return in_partnership.filter(Q(status__in=HANDED_IN) | Q(pk__in=mine.values("pk")))
        return mine

    def listed(self, membership: Membership, queryset: QuerySet) -> QuerySet:
        """Of an assessment's requests, those its page and PDF list for the member: all of them
        for the coordinator, the handed-in ones for the strategy group, none for anyone else
        (their own organisation's are under "Requests to you")."""
        if membership_can(membership, Perm.REVIEW_CONTRIBUTIONS):
            return queryset
        if membership_can(membership, Perm.VIEW_CONTRIBUTIONS):
            return queryset.filter(status__in=HANDED_IN)
        return queryset.none()

    def allows(
        self, membership: Membership | None, verb: ContributionVerb, obj: Model | None
    ) -> bool:
        if membership is None or obj is None or obj.partnership_id != membership.partnership_id:
            return False
        if verb == C.ANSWER:
            return self.can_answer(membership.user, obj)
        return membership_can(membership, Perm.REVIEW_CONTRIBUTIONS)

    def not_now(
        self, membership: Membership | None, verb: ContributionVerb, obj: Model | None
    ) -> str:
        if obj is None:
            return ""
        if verb == C.ANSWER:
            if obj.assessment.is_approved:
                return _(
                    "The assessment this contribution was for has been approved, so it is closed."
                )
            if not obj.is_awaiting_answer:
                return _("This contribution is %(status)s and cannot be changed.") % {
                    "status": obj.get_status_display().lower()
                }
            return ""
        if verb in (C.ACCEPT, C.RETURN) and obj.assessment.is_approved:
            return _("The assessment has been approved, so this is closed.")
        after = CONTRIBUTION_MOVES[verb]
        if after not in CONTRIBUTION_TRANSITIONS[obj.status]:
            return _("A contribution that is %(current)s cannot be made %(next)s.") % {
                "current": obj.get_status_display().lower(),
                "next": ContributionStatus(after).label.lower(),
            }
        return ""

    def answerers(self) -> QuerySet[Membership]:
        """Who answers requests: the active members in a role that answers contributions. Which
        requests are theirs, their organisation and partnership decide."""
        return Membership.objects.filter(role__in=ANSWERING_ROLES, user__is_active=True)


ContributionPolicy = _ContributionPolicy()


# Comments made while the assessment is in review ----------------------------------------------


class AssessmentCommentVerb(StrEnum):
    RESPOND = "respond"  # answer, accept or decline a comment made in review


class _AssessmentCommentPolicy(Policy):
    """The review's comments are read by those who may read the version in review (the
    document's sign-off part counts them for everyone else); the coordinator responds until
    the version is approved, when its log is kept as it stands."""

    verbs = AssessmentCommentVerb

    def visible(self, membership: Membership | None) -> QuerySet[AssessmentComment]:
        if not membership_can(membership, ASSESSMENT_VERB_PERMS[A.READ_COMMENTS]):
            return AssessmentComment.objects.none()
        return AssessmentComment.objects.filter(
            partnership_id=membership.partnership_id,
            assessment__in=AssessmentPolicy.visible(membership),
        )

    def allows(
        self, membership: Membership | None, verb: AssessmentCommentVerb, obj: Model | None
    ) -> bool:
        return (
            membership_can(membership, Perm.MANAGE_ASSESSMENTS)
            and obj is not None
            and obj.partnership_id == membership.partnership_id
        )

    def not_now(
        self, membership: Membership | None, verb: AssessmentCommentVerb, obj: Model | None
    ) -> str:
        if obj.assessment.is_approved:
            return _("This assessment is approved: its consultation log is kept as it stood.")
        if not COMMENT_TRANSITIONS[obj.status]:
            return _("This comment has already been %(status)s.") % {
                "status": obj.get_status_display().lower()
            }
        return ""


AssessmentCommentPolicy = _AssessmentCommentPolicy()
