"""Who may change a partnership's people and seats: the partnerships app's one policy.

It is a role question only: the people verbs need ``Perm.MANAGE_PEOPLE`` and the seat verbs
``Perm.MANAGE_SEATS`` (coordinators), in the partnership the record belongs to. The one state
that refuses a change is the last coordinator leaving the role (``coordinator_refusal``), checked
by the services after they have locked the coordinators' rows.

    MembershipPolicy.require_user(acting_user, partnership, verb, obj)   every service
    MembershipPolicy.may(membership)                                     templates' buttons

A service called with ``acting_user=None`` is the platform itself (the ONS import, the demo seed,
a benchmark), not a person, and is not asked.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from csp_portal.policies import Policy

from .models import Membership, Partnership, Role
from .permissions import MFA_ROLES, Perm, membership_can

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User


class MembershipVerb(StrEnum):
    INVITE = "invite"
    WITHDRAW_INVITATION = "withdraw_invitation"
    RESEND_INVITATION = "resend_invitation"
    ADD_MEMBER = "add_member"
    CHANGE_MEMBER = "change_member"
    REMOVE_MEMBER = "remove_member"
    ADD_SEAT = "add_seat"
    REMOVE_SEAT = "remove_seat"


_PERMS = {
    MembershipVerb.INVITE: Perm.MANAGE_PEOPLE,
    MembershipVerb.WITHDRAW_INVITATION: Perm.MANAGE_PEOPLE,
    MembershipVerb.RESEND_INVITATION: Perm.MANAGE_PEOPLE,
    MembershipVerb.ADD_MEMBER: Perm.MANAGE_PEOPLE,
    MembershipVerb.CHANGE_MEMBER: Perm.MANAGE_PEOPLE,
    MembershipVerb.REMOVE_MEMBER: Perm.MANAGE_PEOPLE,
    MembershipVerb.ADD_SEAT: Perm.MANAGE_SEATS,
    MembershipVerb.REMOVE_SEAT: Perm.MANAGE_SEATS,
}


class _MembershipPolicy(Policy):
    verbs = MembershipVerb

    def visible(self, membership: Membership | None) -> QuerySet[Membership]:
        if not membership_can(membership, Perm.VIEW_PEOPLE):
            return Membership.objects.none()
        return Membership.objects.filter(partnership_id=membership.partnership_id)

    def allows(
        self, membership: Membership | None, verb: MembershipVerb, obj: Model | None = None
    ) -> bool:
        if not membership_can(membership, _PERMS[verb]):
            return False
        # A record of another partnership is never theirs, whatever their role here.
        return obj is None or obj.partnership_id == membership.partnership_id

    def require_acting(
        self,
        acting_user: User | None,
        partnership: Partnership,
        verb: MembershipVerb,
        obj: Model | None = None,
    ) -> None:
        """``require_user``, except for the platform itself (``acting_user`` None)."""
        if acting_user is not None:
            self.require_user(acting_user, partnership, verb, obj)

    def coordinators(self, partnership_id: int) -> QuerySet[Membership]:
        return Membership.objects.filter(partnership_id=partnership_id, role=Role.COORDINATOR)

    def coordinator_refusal(
        self, member: Membership, *, role: str | None, coordinator_ids: list[int]
    ) -> str:
        """Why ``member`` may not take ``role`` (None: leave the partnership), given the
        partnership's coordinators (locked by the caller): it would leave none."""
        if role == Role.COORDINATOR or member.role != Role.COORDINATOR:
            return ""
        if coordinator_ids != [member.pk]:
            return ""
        return _(
            "%(name)s is the partnership's only coordinator. Make someone else coordinator first."
        ) % {"name": member.user.full_name or member.user.email}

    def digest_recipients(self, partnership_ids: Iterable[int]) -> QuerySet[Membership]:
        """Who gets a partnership's weekly digest of what is overdue: its active coordinators."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids, role=Role.COORDINATOR, user__is_active=True
        )

    def requires_two_factor(self, user: User) -> bool:
        """Whether one of the user's roles needs two-factor authentication (registered with
        ``accounts`` in ``PartnershipsConfig.ready``)."""
        return user.memberships.filter(role__in=MFA_ROLES).exists()


MembershipPolicy = _MembershipPolicy()


class IdentityVerb(StrEnum):
    CHANGE = "change_identity"


class _IdentityPolicy(Policy):
    """Who may change the partnership's public identity (name, logo, accent colour): those with
    ``Perm.MANAGE_IDENTITY`` (coordinators), for their own partnership. Everyone sees it: it is
    what the partnership publishes."""

    verbs = IdentityVerb

    def visible(self, membership: Membership | None) -> QuerySet[Partnership]:
        if membership is None:
            return Partnership.objects.none()
        return Partnership.objects.filter(pk=membership.partnership_id)

    def allows(
        self, membership: Membership | None, verb: IdentityVerb, obj: Model | None = None
    ) -> bool:
        if not membership_can(membership, Perm.MANAGE_IDENTITY):
            return False
        return obj is None or obj.pk == membership.partnership_id


IdentityPolicy = _IdentityPolicy()
