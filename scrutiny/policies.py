"""Who may do what in the committee's work with the partnership, now: one policy per record
(csp_portal.policies has the shape), all of one kind.

What a role may do comes from ``partnerships.permissions.ROLE_PERMISSIONS``; nothing here names a
role. The committee's members (``Perm.SCRUTINISE``) ask, report, refer and record; the
partnership's coordinators (``Perm.ANSWER_SCRUTINY``) answer for the responsible authorities;
everyone with ``Perm.VIEW_SCRUTINY`` reads. A record belongs to one partnership and only its
members reach it.

    InformationRequestPolicy  ask, answer, withdraw
    CommitteeReportPolicy     make a report with recommendations
    RecommendationPolicy      respond to one recommendation
    CallForActionPolicy       record a call for action, conclude it with its outcome
    ScrutinyMeetingPolicy     record a meeting
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from csp_portal.policies import Policy
from partnerships.models import Membership
from partnerships.permissions import ROLE_PERMISSIONS, Perm, membership_can

from .models import (
    CALL_FOR_ACTION_TRANSITIONS,
    INFORMATION_REQUEST_TRANSITIONS,
    RECOMMENDATION_TRANSITIONS,
    CallForAction,
    CallForActionStatus,
    CommitteeReport,
    InformationRequest,
    InformationRequestStatus,
    Recommendation,
    RecommendationStatus,
    ScrutinyMeeting,
)


class ScrutinyVerb(StrEnum):
    VIEW = "view"
    CREATE = "create"  # ask, report, record (no ``obj``)
    ANSWER = "answer"  # answer a request, respond to a recommendation
    WITHDRAW = "withdraw"
    CONCLUDE = "conclude"


V = ScrutinyVerb
_PERMS = {
    V.VIEW: Perm.VIEW_SCRUTINY,
    V.CREATE: Perm.SCRUTINISE,
    V.ANSWER: Perm.ANSWER_SCRUTINY,
    V.WITHDRAW: Perm.SCRUTINISE,
    V.CONCLUDE: Perm.SCRUTINISE,
}


def roles_that(perm: Perm) -> frozenset[str]:
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)


# Whom the committee's deadlines are due from, by role (``ScrutinyPolicy``'s queries, and the
# reminders' cycles in scrutiny.deadlines).
ANSWERING_ROLES = roles_that(Perm.ANSWER_SCRUTINY)
COMMITTEE_ROLES = roles_that(Perm.SCRUTINISE)


class ScrutinyPolicy(Policy):
    """A record of the committee's: ``model``'s rows of the member's partnership; a verb that
    moves its status to ``targets[verb]`` is refused while ``transitions`` does not allow it."""

    verbs = ScrutinyVerb

    def __init__(self, model: type[Model], transitions=None, targets=None):
        self.model = model
        self.transitions = transitions or {}
        self.targets = targets or {}

    def visible(self, membership: Membership | None) -> QuerySet:
        if not membership_can(membership, Perm.VIEW_SCRUTINY):
            return self.model.objects.none()
        return self.model.objects.filter(partnership_id=membership.partnership_id)

    def allows(self, membership, verb, obj=None) -> bool:
        if verb not in self.targets and verb not in (V.VIEW, V.CREATE):
            return False  # a step this record does not have
        if not membership_can(membership, _PERMS[verb]):
            return False
        return obj is None or obj.partnership_id == membership.partnership_id

    def not_now(self, membership, verb, obj=None) -> str:
        if obj is None or verb not in self.targets:
            return ""
        if self.targets[verb] not in self.transitions[obj.status]:
            return _("This is %(status)s, so that cannot be done now.") % {
                "status": obj.get_status_display().lower()
            }
        return ""

    @staticmethod
    def answerers(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """The active people of these partnerships who answer the committee (and are reminded)."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            role__in=ANSWERING_ROLES,
            user__is_active=True,
        )

    @staticmethod
    def committee(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """The active committee members of these partnerships."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            role__in=COMMITTEE_ROLES,
            user__is_active=True,
        )


InformationRequestPolicy = ScrutinyPolicy(
    InformationRequest,
    INFORMATION_REQUEST_TRANSITIONS,
    {V.ANSWER: InformationRequestStatus.ANSWERED, V.WITHDRAW: InformationRequestStatus.WITHDRAWN},
)
CommitteeReportPolicy = ScrutinyPolicy(CommitteeReport)
# Responding moves a pending recommendation on; which response is the form's choice.
RecommendationPolicy = ScrutinyPolicy(
    Recommendation, RECOMMENDATION_TRANSITIONS, {V.ANSWER: RecommendationStatus.ACCEPTED}
)
CallForActionPolicy = ScrutinyPolicy(
    CallForAction, CALL_FOR_ACTION_TRANSITIONS, {V.CONCLUDE: CallForActionStatus.CONCLUDED}
)
ScrutinyMeetingPolicy = ScrutinyPolicy(ScrutinyMeeting)
