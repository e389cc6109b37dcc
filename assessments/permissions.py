"""Who may answer which contribution request. The one place this app speaks to django-guardian.

A contribution request grants "answer" on itself to its organisation's group (direct-foreign-key
permission tables, so a list is one join, never a query per row). Group membership alone is not
enough, because a person's groups come from every partnership they serve: they must also sit on
the request's partnership for that same organisation, in a role that writes.
"""

from django.db.models import F, QuerySet
from guardian.shortcuts import assign_perm, get_objects_for_user

from accounts.models import User
from partnerships.permissions import ROLE_PERMISSIONS, Perm

from .models import ContributionRequest

ANSWER_CONTRIBUTION = "assessments.answer_contributionrequest"
ANSWERING_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.ANSWER_CONTRIBUTIONS in perms
)


class ContributionPolicy:
    @staticmethod
    def grant(contribution: ContributionRequest) -> None:
        assign_perm(ANSWER_CONTRIBUTION, contribution.organisation.group, contribution)

    @staticmethod
    def answerable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        """The contribution requests ``user`` may answer, across all their partnerships."""
        if not user.is_authenticated:
            return ContributionRequest.objects.none()
        queryset = (queryset if queryset is not None else ContributionRequest.objects).filter(
            partnership__memberships__user=user,
            partnership__memberships__organisation=F("organisation"),
            partnership__memberships__role__in=ANSWERING_ROLES,
        )
        return get_objects_for_user(
            user,
            ANSWER_CONTRIBUTION,
            klass=queryset,
            use_groups=True,
            with_superuser=False,
            accept_global_perms=False,
        )

    @classmethod
    def can_answer(cls, user: User, contribution: ContributionRequest) -> bool:
        return cls.answerable(user).filter(pk=contribution.pk).exists()
