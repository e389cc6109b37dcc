"""Who may do what to which ASB case review, now: the casereviews app's one policy.

Need to know, as for domestic homicide reviews (reviews/policies.py): a case, with the
applicant's name, contact and account, is visible only to the people granted it
(``CaseAccessGrant``), and only while they are members of its partnership in a role that may hold
personal data (never scrutiny or a PCC office). Every member of the partnership sees the counts
(``Perm.VIEW_CASE_REVIEWS``); its coordinators keep the published procedure. Those granted a case
to run it (``Reason.COORDINATOR``) decide the threshold, record the review, tell the applicant and
record the appeal; an agency officer granted it reads it.
"""

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum

from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext as _

from csp_portal.policies import Policy
from partnerships.models import Membership, Role
from partnerships.permissions import ROLE_PERMISSIONS, Perm, membership_can

from .models import CaseAccessGrant, CaseRecommendation, CaseReview, CaseStatus

NEVER_ROLES = frozenset({Role.SCRUTINY, Role.PCC_OFFICE})
HOLDING_ROLES = frozenset(set(Role.values) - NEVER_ROLES)


class CaseVerb(StrEnum):
    VIEW_COUNTS = "view_counts"  # the partnership's counts, and the procedure as published
    MANAGE_PROCEDURE = "manage_procedure"
    READ = "read"  # the case with the applicant's details (logged)
    DECIDE_THRESHOLD = "decide_threshold"
    RECORD_REVIEW = "record_review"  # the meeting, agencies' responses, recommendations
    CONCLUDE = "conclude"  # tell the applicant the outcome
    RECORD_APPEAL = "record_appeal"
    DECIDE_APPEAL = "decide_appeal"
    COMPLETE_RECOMMENDATION = "complete_recommendation"  # ``obj``: the recommendation
    MANAGE_ACCESS = "manage_access"


V = CaseVerb
S = CaseStatus
_ROLE_VERBS = {V.VIEW_COUNTS: Perm.VIEW_CASE_REVIEWS, V.MANAGE_PROCEDURE: Perm.MANAGE_CASE_REVIEWS}
_RUNS = frozenset(set(V) - set(_ROLE_VERBS))
GRANT_VERBS: dict[str, frozenset[CaseVerb]] = {
    CaseAccessGrant.Reason.COORDINATOR: _RUNS,
    CaseAccessGrant.Reason.AGENCY: frozenset({V.READ}),
}
# The statuses in which each verb may be done.
WHEN: dict[CaseVerb, frozenset[str]] = {
    V.DECIDE_THRESHOLD: frozenset({S.RECEIVED}),
    V.RECORD_REVIEW: frozenset({S.UNDER_REVIEW}),
    V.CONCLUDE: frozenset({S.UNDER_REVIEW}),
    V.RECORD_APPEAL: frozenset({S.THRESHOLD_NOT_MET, S.CONCLUDED}),
    V.DECIDE_APPEAL: frozenset({S.APPEALED}),
    V.COMPLETE_RECOMMENDATION: frozenset({S.CONCLUDED, S.APPEALED, S.APPEAL_DECIDED}),
}


def _case_of(obj: Model | None) -> CaseReview | None:
    if obj is None or isinstance(obj, CaseReview):
        return obj
    return obj.case


class _CasePolicy(Policy):
    verbs = CaseVerb

    @staticmethod
    def can_hold(membership: Membership | None) -> bool:
        return membership is not None and membership.role in HOLDING_ROLES

    @staticmethod
    def role_can_hold(role: str | None) -> bool:
        """Whether someone in ``role`` (None: no longer a member) may hold a case."""
        return role in HOLDING_ROLES

    @staticmethod
    def holding_members(partnership) -> QuerySet[Membership]:
        """The members who may be given a case: not scrutiny, not a PCC office."""
        return Membership.objects.filter(partnership=partnership, role__in=HOLDING_ROLES)

    def visible(self, membership: Membership | None) -> QuerySet[CaseReview]:
        if not self.can_hold(membership):
            return CaseReview.objects.none()
        return CaseReview.objects.filter(
            partnership_id=membership.partnership_id, access_grants__user_id=membership.user_id
        )

    def grant_reason(self, membership: Membership | None, case: CaseReview) -> str | None:
        """Why ``membership`` holds ``case`` (None: they do not), in one query."""
        if not self.can_hold(membership) or case.partnership_id != membership.partnership_id:
            return None
        return (
            CaseAccessGrant.objects.filter(case=case, user_id=membership.user_id)
            .values_list("reason", flat=True)
            .first()
        )

    def allows(self, membership: Membership | None, verb: CaseVerb, obj: Model | None) -> bool:
        if verb in _ROLE_VERBS:
            return membership_can(membership, _ROLE_VERBS[verb])
        case = _case_of(obj)
        if case is None:
            return False
        reason = self.grant_reason(membership, case)
        if reason is None or verb not in GRANT_VERBS[reason]:
            return False
        if verb == V.MANAGE_ACCESS:
            return membership_can(membership, Perm.MANAGE_CASE_REVIEWS)
        return True

    def not_now(self, membership: Membership | None, verb: CaseVerb, obj: Model | None) -> str:
        case = _case_of(obj)
        if case is None or verb not in WHEN or case.status in WHEN[verb]:
            if isinstance(obj, CaseRecommendation) and obj.completed_on is not None:
                return _("This recommendation is already complete.")
            return ""
        return _("This cannot be done while the case is %(status)s.") % {
            "status": case.get_status_display().lower()
        }

    def may(self, membership: Membership | None, obj: Model | None = None) -> dict[str, bool]:
        """Every verb at once, reading the grant once."""
        case = _case_of(obj)
        reason = self.grant_reason(membership, case) if case is not None else None
        answers = {}
        for verb in V:
            if verb in _ROLE_VERBS:
                allowed = membership_can(membership, _ROLE_VERBS[verb])
            elif verb == V.MANAGE_ACCESS:
                allowed = reason == CaseAccessGrant.Reason.COORDINATOR and membership_can(
                    membership, Perm.MANAGE_CASE_REVIEWS
                )
            else:
                allowed = reason is not None and verb in GRANT_VERBS[reason]
            answers[verb.value] = allowed and not self.not_now(membership, verb, obj)
        return answers


CasePolicy = _CasePolicy()


def case_runners(partnership) -> QuerySet[Membership]:
    """The members who run every new application from the start (granted it as it arrives):
    those whose role keeps the partnership's review procedure."""
    roles = [role for role in HOLDING_ROLES if membership_can_role(role)]
    return Membership.objects.filter(partnership=partnership, role__in=roles).select_related("user")


def membership_can_role(role: str) -> bool:
    return Perm.MANAGE_CASE_REVIEWS in ROLE_PERMISSIONS[role]


def case_runner_ids(case_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per case, the people running it who are still active members of its partnership in a role
    that may hold it: whom its deadlines are due from (one query)."""
    holders: dict[int, set[int]] = defaultdict(set)
    rows = (
        CaseAccessGrant.objects.filter(
            case_id__in=list(case_ids),
            reason=CaseAccessGrant.Reason.COORDINATOR,
            user__is_active=True,
            user__memberships__partnership_id=F("case__partnership_id"),
            user__memberships__role__in=HOLDING_ROLES,
        )
        .order_by()
        .values_list("case_id", "user_id")
    )
    for case_id, user_id in rows:
        holders[case_id].add(user_id)
    return holders
