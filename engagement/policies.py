"""Who may do what to a public meeting or consultation, now (csp_portal.policies has the shape).

Every member reads the partnership's events (``Perm.VIEW_ENGAGEMENT``: their notices and
summaries are published anyway); its coordinators (``Perm.MANAGE_ENGAGEMENT``) plan them, record
them as held with the seats' attendance, publish the summary, or cancel them. Nothing here names
a role.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from csp_portal.policies import Policy
from partnerships.models import Membership
from partnerships.permissions import ROLE_PERMISSIONS, Perm, membership_can

from .models import EVENT_TRANSITIONS, EngagementEvent, EventStatus

# Who records the events (and is reminded of them), by role: ``EventPolicy.organisers`` and the
# reminders' cycles in engagement.deadlines.
ORGANISING_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_ENGAGEMENT in perms
)


class EventVerb(StrEnum):
    VIEW = "view"
    PLAN = "plan"  # no ``obj``
    RECORD = "record"  # record it as held, with the seats' attendance
    PUBLISH = "publish"
    CANCEL = "cancel"


V = EventVerb
_TARGETS = {
    V.RECORD: EventStatus.HELD,
    V.PUBLISH: EventStatus.PUBLISHED,
    V.CANCEL: EventStatus.CANCELLED,
}


class _EventPolicy(Policy):
    verbs = EventVerb

    def visible(self, membership: Membership | None) -> QuerySet[EngagementEvent]:
        if not membership_can(membership, Perm.VIEW_ENGAGEMENT):
            return EngagementEvent.objects.none()
        return EngagementEvent.objects.filter(partnership_id=membership.partnership_id)

    def allows(self, membership, verb, obj=None) -> bool:
        perm = Perm.VIEW_ENGAGEMENT if verb == V.VIEW else Perm.MANAGE_ENGAGEMENT
        if not membership_can(membership, perm):
            return False
        return obj is None or obj.partnership_id == membership.partnership_id

    def not_now(self, membership, verb, obj=None) -> str:
        if obj is None or verb not in _TARGETS:
            return ""
        if _TARGETS[verb] not in EVENT_TRANSITIONS[obj.status]:
            return _("This event is %(status)s, so that cannot be done now.") % {
                "status": obj.get_status_display().lower()
            }
        return ""

    @staticmethod
    def organisers(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """The active people of these partnerships who record its events (and are reminded)."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids, role__in=ORGANISING_ROLES, user__is_active=True
        )


EventPolicy = _EventPolicy()
