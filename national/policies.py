"""Who may see the national picture, and who may grant it: the national app's one policy.

A national oversight grant is a platform matter, not a partnership's: only platform
administrators (staff) make and end grants, and the person holding an open grant sees counts and
dates of the partnerships its scope covers, after two-factor authentication, and nothing else.
Nothing here names a partnership role: a national officer holds no membership, so every
partnership page answers them 404 (partnerships.tenancy).

    NationalOversightPolicy.require_administrator(acting_user)   the grant services
    NationalOversightPolicy.require_viewer(user)                  the compliance pages
    NationalOversightPolicy.partnerships(grant)                   what a grant's scope covers
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from partnerships.models import Partnership, PartnershipStatus

from .models import NationalOversightGrant, OversightScope

if TYPE_CHECKING:
    from accounts.models import User


class _NationalOversightPolicy:
    @staticmethod
    def is_administrator(user: User | None) -> bool:
        return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)

    def require_administrator(self, acting_user: User | None) -> None:
        if not self.is_administrator(acting_user):
            raise PermissionDenied

    @staticmethod
    def open_grant(user: User | None) -> NationalOversightGrant | None:
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return (
            NationalOversightGrant.objects.filter(user=user, ended_at__isnull=True)
            .select_related("police_force_area")
            .first()
        )

    @staticmethod
    def requires_two_factor(user: User) -> bool:
        """The two-factor rule: anyone holding an open grant (registered in apps.py)."""
        return user.national_oversight_grants.filter(ended_at__isnull=True).exists()

    def require_viewer(self, user: User | None) -> NationalOversightGrant:
        """The open grant of a person who has passed two-factor authentication in this session.
        ``Http404`` for anyone without an open grant; ``PermissionDenied`` for a holder who has
        not passed two-factor authentication yet (the page sends them to it)."""
        grant = self.open_grant(user)
        if grant is None:
            raise Http404
        if not user.is_verified():
            raise PermissionDenied
        return grant

    @staticmethod
    def partnerships(grant: NationalOversightGrant) -> QuerySet[Partnership]:
        """The active partnerships the grant covers (a merged one is its successor's now)."""
        partnerships = Partnership.objects.filter(status=PartnershipStatus.ACTIVE)
        if grant.scope == OversightScope.NATION:
            return partnerships.filter(nation=grant.nation)
        if grant.scope == OversightScope.FORCE_AREA:
            return partnerships.filter(police_force_area_id=grant.police_force_area_id)
        return partnerships

    @staticmethod
    def public_partnerships() -> QuerySet[Partnership]:
        """The counts anyone may download as open data: every active partnership's."""
        return Partnership.objects.filter(status=PartnershipStatus.ACTIVE)


NationalOversightPolicy = _NationalOversightPolicy()
