"""Who may do what to an information sharing agreement, now (csp_portal.policies has the shape).

The partnership's coordinators, strategy group members and partners read the register
(``Perm.VIEW_INFORMATION_SHARING``); the coordinators record, review and end agreements
(``Perm.MANAGE_INFORMATION_SHARING``). Nothing here names a role.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from csp_portal.policies import Policy
from partnerships.models import Membership
from partnerships.permissions import ROLE_PERMISSIONS, Perm, membership_can

from .models import AgreementStatus, QuarterlyReturn, ReturnStatus, SharingAgreement

# Who keeps the register and who sends the returns (and is reminded of them), by role: the
# policies' queries below and the reminders' cycles in infosharing.deadlines.
KEEPING_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_INFORMATION_SHARING in perms
)
SUBMITTING_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.SUBMIT_RETURNS in perms
)


class AgreementVerb(StrEnum):
    VIEW = "view"
    RECORD = "record"  # no ``obj``
    REVIEW = "review"
    END = "end"


V = AgreementVerb


class _AgreementPolicy(Policy):
    verbs = AgreementVerb

    def visible(self, membership: Membership | None) -> QuerySet[SharingAgreement]:
        if not membership_can(membership, Perm.VIEW_INFORMATION_SHARING):
            return SharingAgreement.objects.none()
        return SharingAgreement.objects.filter(partnership_id=membership.partnership_id)

    def allows(self, membership, verb, obj=None) -> bool:
        perm = Perm.VIEW_INFORMATION_SHARING if verb == V.VIEW else Perm.MANAGE_INFORMATION_SHARING
        if not membership_can(membership, perm):
            return False
        return obj is None or obj.partnership_id == membership.partnership_id

    def not_now(self, membership, verb, obj=None) -> str:
        if obj is not None and verb in (V.REVIEW, V.END) and obj.status != AgreementStatus.IN_FORCE:
            return _("This agreement has ended, so that cannot be done now.")
        return ""

    @staticmethod
    def keepers(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """The active people of these partnerships who keep the register (and are reminded)."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids, role__in=KEEPING_ROLES, user__is_active=True
        )


AgreementPolicy = _AgreementPolicy()


class ReturnVerb(StrEnum):
    VIEW = "view"
    OPEN = "open"  # open a quarter: one return due from each responsible authority (no ``obj``)
    SUBMIT = "submit"


class _ReturnPolicy(Policy):
    """The coordinators see every return and open the quarters; an organisation's own people
    see its returns and submit them."""

    verbs = ReturnVerb

    def visible(self, membership: Membership | None) -> QuerySet[QuarterlyReturn]:
        if not membership_can(membership, Perm.VIEW_INFORMATION_SHARING):
            return QuarterlyReturn.objects.none()
        returns = QuarterlyReturn.objects.filter(partnership_id=membership.partnership_id)
        if membership_can(membership, Perm.MANAGE_INFORMATION_SHARING):
            return returns
        return returns.filter(organisation__organisation_id=membership.organisation_id)

    def allows(self, membership, verb, obj=None) -> bool:
        if verb == ReturnVerb.OPEN:
            return membership_can(membership, Perm.MANAGE_INFORMATION_SHARING)
        if obj is None or obj.partnership_id != getattr(membership, "partnership_id", None):
            return False
        own = obj.organisation.organisation_id == membership.organisation_id
        if verb == ReturnVerb.SUBMIT:
            return own and membership_can(membership, Perm.SUBMIT_RETURNS)
        return membership_can(membership, Perm.VIEW_INFORMATION_SHARING) and (
            own or membership_can(membership, Perm.MANAGE_INFORMATION_SHARING)
        )

    def not_now(self, membership, verb, obj=None) -> str:
        if verb == ReturnVerb.SUBMIT and obj is not None and obj.status != ReturnStatus.DUE:
            return _("This return has been submitted.")
        return ""

    @staticmethod
    def submitters(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """The active people of these partnerships who may send their organisation's return."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids, role__in=SUBMITTING_ROLES, user__is_active=True
        )


ReturnPolicy = _ReturnPolicy()
