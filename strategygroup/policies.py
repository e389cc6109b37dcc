"""Who may do what to a strategy group meeting, now (csp_portal.policies has the shape).

The partnership's coordinators, strategy group members and partners read the meetings
(``Perm.VIEW_STRATEGY_MEETINGS``), and their minutes once published; the coordinators schedule
them, record them and their decisions, and publish the minutes
(``Perm.MANAGE_STRATEGY_MEETINGS``), and read minutes not yet published. Nothing here names a
role.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from csp_portal.policies import Policy
from partnerships.models import Membership
from partnerships.permissions import ROLE_PERMISSIONS, Perm, membership_can

from .models import MEETING_TRANSITIONS, MeetingStatus, StrategyMeeting

# Who writes the minutes (and is reminded of them), by role: ``MeetingPolicy.secretaries`` and the
# reminders' cycle in strategygroup.deadlines.
SECRETARY_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_STRATEGY_MEETINGS in perms
)


class MeetingVerb(StrEnum):
    VIEW = "view"
    READ_MINUTES = "read_minutes"
    SCHEDULE = "schedule"  # no ``obj``
    RECORD = "record"
    DECIDE = "decide"  # add a decision or action arising
    PUBLISH = "publish"
    PUBLISH_PUBLIC = "publish_public"  # a depersonalised version on the public page
    WITHDRAW_PUBLIC = "withdraw_public"  # take it off the public page
    ADD_PAPER = "add_paper"


V = MeetingVerb
_TARGETS = {V.RECORD: MeetingStatus.HELD, V.PUBLISH: MeetingStatus.PUBLISHED}


class _MeetingPolicy(Policy):
    verbs = MeetingVerb

    def visible(self, membership: Membership | None) -> QuerySet[StrategyMeeting]:
        if not membership_can(membership, Perm.VIEW_STRATEGY_MEETINGS):
            return StrategyMeeting.objects.none()
        return StrategyMeeting.objects.filter(partnership_id=membership.partnership_id)

    def allows(self, membership, verb, obj=None) -> bool:
        # Published minutes are for every reader; the rest is the coordinators'.
        published = obj is not None and obj.status == MeetingStatus.PUBLISHED
        reading = verb == V.VIEW or (verb == V.READ_MINUTES and published)
        perm = Perm.VIEW_STRATEGY_MEETINGS if reading else Perm.MANAGE_STRATEGY_MEETINGS
        if not membership_can(membership, perm):
            return False
        return obj is None or obj.partnership_id == membership.partnership_id

    def not_now(self, membership, verb, obj=None) -> str:
        if obj is None:
            return ""
        if verb in _TARGETS and _TARGETS[verb] not in MEETING_TRANSITIONS[obj.status]:
            return _("This meeting is %(status)s, so that cannot be done now.") % {
                "status": obj.get_status_display().lower()
            }
        if verb == V.PUBLISH_PUBLIC and obj.status != MeetingStatus.PUBLISHED:
            return _("The minutes go to the partnership's members before the public page.")
        if verb == V.PUBLISH_PUBLIC and obj.public_at is not None:
            return _("These minutes are already on the public page.")
        if verb == V.WITHDRAW_PUBLIC and obj.public_at is None:
            return _("These minutes are not on the public page.")
        if verb == V.ADD_PAPER and obj.status == MeetingStatus.PUBLISHED:
            return _("Papers are added before the minutes are published.")
        if verb == V.DECIDE and obj.status != MeetingStatus.HELD:
            return _(
                "Decisions are recorded after the meeting and before its minutes are published."
            )
        return ""

    @staticmethod
    def secretaries(partnership_ids: Collection[int]) -> QuerySet[Membership]:
        """The active people of these partnerships who write the minutes (and are reminded)."""
        return Membership.objects.filter(
            partnership_id__in=partnership_ids, role__in=SECRETARY_ROLES, user__is_active=True
        )


MeetingPolicy = _MeetingPolicy()
