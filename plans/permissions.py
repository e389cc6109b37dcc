"""Who may report progress on which action. The one place this app speaks to django-guardian.

An action grants "report progress" on itself to its lead organisation's group (direct-foreign-key
permission tables: a list is one join). As with contributions, the group alone is not enough,
because a person's groups come from every partnership they serve: they must also sit on the
action's partnership for that same organisation, in a role that reports progress.
"""

from django.db.models import F, QuerySet
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from accounts.models import User
from authorities.models import Organisation
from partnerships.permissions import ROLE_PERMISSIONS, Perm

from .models import PlanAction

REPORT_PROGRESS = "plans.report_progress_planaction"
REPORTING_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.REPORT_PLAN_PROGRESS in perms
)


class ActionPolicy:
    @staticmethod
    def grant(action: PlanAction) -> None:
        assign_perm(REPORT_PROGRESS, action.lead_organisation.group, action)

    @staticmethod
    def revoke(action: PlanAction, organisation: Organisation) -> None:
        remove_perm(REPORT_PROGRESS, organisation.group, action)

    @staticmethod
    def reportable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        """The actions ``user`` may report progress on, across all their partnerships."""
        if not user.is_authenticated:
            return PlanAction.objects.none()
        queryset = (queryset if queryset is not None else PlanAction.objects).filter(
            partnership__memberships__user=user,
            partnership__memberships__organisation=F("lead_organisation"),
            partnership__memberships__role__in=REPORTING_ROLES,
        )
        return get_objects_for_user(
            user,
            REPORT_PROGRESS,
            klass=queryset,
            use_groups=True,
            with_superuser=False,
            accept_global_perms=False,
        )

    @classmethod
    def can_report(cls, user: User, action: PlanAction) -> bool:
        return cls.reportable(user).filter(pk=action.pk).exists()
