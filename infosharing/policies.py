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

from .models import AgreementStatus, SharingAgreement


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
        roles = [
            role
            for role, perms in ROLE_PERMISSIONS.items()
            if Perm.MANAGE_INFORMATION_SHARING in perms
        ]
        return Membership.objects.filter(
            partnership_id__in=partnership_ids, role__in=roles, user__is_active=True
        )


AgreementPolicy = _AgreementPolicy()
