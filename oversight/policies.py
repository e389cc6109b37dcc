"""Who may do what in PCC oversight, now: the police and crime plan priorities, report requests
and combination approvals, one policy each (csp_portal.policies has the shape).

What a role may do comes from ``partnerships.permissions.ROLE_PERMISSIONS``; nothing here names a
role. A PCC office acts for its whole police force area through any partnership of it where it
holds a membership: the priorities are the force area's, and a combination may take in every
partnership of the force area where the same person holds a membership that may approve one.
A report request belongs to one partnership, and only its members act on it.

    PccPriorityPolicy      add, edit, retire and order the force area's priorities
    ReportRequestPolicy    ask, answer, ask for more, close and withdraw a request for a report
    CombinationPolicy      record the approval of a combination of partnerships
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from csp_portal.policies import Policy
from partnerships.models import Membership, Partnership, PartnershipStatus
from partnerships.permissions import ROLE_PERMISSIONS, Perm, membership_can
from plans.models import PoliceAndCrimePlanPriority

from .models import (
    REPORT_REQUEST_TRANSITIONS,
    CombinationApproval,
    ReportRequest,
    ReportRequestStatus,
)


def roles_that(perm: Perm) -> frozenset[str]:
    """The roles whose holders may ``perm``, for queries about people rather than one member."""
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)


# Whom the report requests' deadlines are due from, by role (``ReportRequestPolicy``'s queries, and
# the reminders' cycles in oversight.deadlines).
REPORT_ANSWERING_ROLES = roles_that(Perm.ANSWER_REPORT_REQUESTS)
REPORT_ASKING_ROLES = roles_that(Perm.REQUEST_REPORTS)


def force_area_memberships(user: User) -> QuerySet[Membership]:
    """The user's memberships that show the partnership on their force-area page."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, role__in=roles_that(Perm.VIEW_FORCE_AREA))


class OversightPolicy(Policy):
    """The oversight services are handed the membership of the page they came from as well as the
    acting user: it must be the user's own, and it is read again, locked, before it decides."""

    def require_member(
        self,
        acting_user: User | None,
        membership: Membership | None,
        verb: StrEnum,
        obj: Model | None = None,
    ) -> Membership:
        if acting_user is None or membership is None or membership.user_id != acting_user.pk:
            raise PermissionDenied
        return self.require_user(acting_user, membership.partnership, verb, obj)


# Police and crime plan priorities --------------------------------------------------------------


class PccPriorityVerb(StrEnum):
    VIEW = "view"
    ADD = "add"
    UPDATE = "update"
    RETIRE = "retire"
    MOVE = "move"


class _PccPriorityPolicy(OversightPolicy):
    """The priorities belong to the police force area, not to one partnership: a PCC office
    reaches them through any partnership of the area it serves."""

    verbs = PccPriorityVerb

    def visible(self, membership: Membership | None) -> QuerySet[PoliceAndCrimePlanPriority]:
        if not membership_can(membership, Perm.MANAGE_PCC_PRIORITIES):
            return PoliceAndCrimePlanPriority.objects.none()
        return PoliceAndCrimePlanPriority.objects.filter(
            police_force_area_id=membership.partnership.police_force_area_id
        )

    def allows(self, membership, verb, obj=None) -> bool:
        if not membership_can(membership, Perm.MANAGE_PCC_PRIORITIES):
            return False
        return (
            obj is None or obj.police_force_area_id == membership.partnership.police_force_area_id
        )

    def not_now(self, membership, verb, obj=None) -> str:
        if verb == PccPriorityVerb.RETIRE and obj is not None and obj.retired_at is not None:
            return _("This priority has already been retired.")
        return ""


PccPriorityPolicy = _PccPriorityPolicy()


# Report requests -------------------------------------------------------------------------------


class ReportRequestVerb(StrEnum):
    VIEW = "view"
    REQUEST = "request"  # ask the partnership for a report (no ``obj``)
    ANSWER = "answer"
    ASK_MORE = "ask_more"
    CLOSE = "close"
    WITHDRAW = "withdraw"


V = ReportRequestVerb
# The permission each verb needs, and the status it moves the request to.
_PERMS = {
    V.VIEW: Perm.VIEW_REPORT_REQUESTS,
    V.REQUEST: Perm.REQUEST_REPORTS,
    V.ANSWER: Perm.ANSWER_REPORT_REQUESTS,
    V.ASK_MORE: Perm.REQUEST_REPORTS,
    V.CLOSE: Perm.REQUEST_REPORTS,
    V.WITHDRAW: Perm.REQUEST_REPORTS,
}
TARGET_STATUS = {
    V.ANSWER: ReportRequestStatus.ANSWERED,
    V.ASK_MORE: ReportRequestStatus.REQUESTED,
    V.CLOSE: ReportRequestStatus.CLOSED,
    V.WITHDRAW: ReportRequestStatus.WITHDRAWN,
}


class _ReportRequestPolicy(OversightPolicy):
    """The PCC office asks, asks for more, closes and withdraws; the partnership's coordinators
    answer; everyone who may see report requests reads them. Which step follows which is
    ``REPORT_REQUEST_TRANSITIONS``; asking for more needs an answer to ask more of."""

    verbs = ReportRequestVerb

    def visible(self, membership: Membership | None) -> QuerySet[ReportRequest]:
        if not membership_can(membership, Perm.VIEW_REPORT_REQUESTS):
            return ReportRequest.objects.none()
        return ReportRequest.objects.filter(partnership_id=membership.partnership_id)

    def allows(self, membership, verb, obj=None) -> bool:
        if not membership_can(membership, _PERMS[verb]):
            return False
        return obj is None or obj.partnership_id == membership.partnership_id

    def not_now(self, membership, verb, obj=None) -> str:
        if obj is None or verb not in TARGET_STATUS:
            return ""
        to = TARGET_STATUS[verb]
        if to not in REPORT_REQUEST_TRANSITIONS[obj.status] or (
            verb == V.ASK_MORE and obj.status == ReportRequestStatus.REQUESTED
        ):
            return _("This request is %(status)s, so that cannot be done now.") % {
                "status": obj.get_status_display().lower()
            }
        return ""

    def answerers(self, partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """The active people of these partnerships who are asked for an answer (and reminded)."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            role__in=REPORT_ANSWERING_ROLES,
            user__is_active=True,
        )

    def askers(
        self, partnership_ids: Collection[int], organisation_ids: Collection[int]
    ) -> QuerySet[Membership]:
        """The active people of these partnerships, for these organisations, who may ask for
        reports: those told of an answer to their organisation's request."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids,
            organisation_id__in=organisation_ids,
            role__in=REPORT_ASKING_ROLES,
            user__is_active=True,
        )


ReportRequestPolicy = _ReportRequestPolicy()


# Combinations ----------------------------------------------------------------------------------


class CombinationVerb(StrEnum):
    VIEW = "view"
    APPROVE = "approve"


class _CombinationPolicy(OversightPolicy):
    """A PCC office records, for its force area, the approval of combining partnerships where
    the same person holds a membership that may approve one."""

    verbs = CombinationVerb

    def visible(self, membership: Membership | None) -> QuerySet[CombinationApproval]:
        if not membership_can(membership, Perm.APPROVE_COMBINATIONS):
            return CombinationApproval.objects.none()
        return CombinationApproval.objects.filter(
            police_force_area_id=membership.partnership.police_force_area_id,
            partnerships=membership.partnership_id,
        )

    def allows(self, membership, verb, obj=None) -> bool:
        return membership_can(membership, Perm.APPROVE_COMBINATIONS)

    def served(self, user_id: int) -> QuerySet[Partnership]:
        """Every partnership where the user holds a membership that may approve a combination."""
        return Partnership.objects.filter(
            memberships__user_id=user_id,
            memberships__role__in=roles_that(Perm.APPROVE_COMBINATIONS),
        )

    def candidates(self, membership: Membership) -> QuerySet[Partnership]:
        """The partnerships that may be chosen from this membership: active ones of its force
        area that the same person serves."""
        if not self.allows(membership, CombinationVerb.APPROVE):
            return Partnership.objects.none()
        return self.served(membership.user_id).filter(
            police_force_area_id=membership.partnership.police_force_area_id,
            status=PartnershipStatus.ACTIVE,
        )


CombinationPolicy = _CombinationPolicy()
