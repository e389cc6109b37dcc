"""Need-to-know access to domestic homicide reviews. The one place this app speaks to guardian.

A review is visible to the users granted access to it (direct-foreign-key permission tables),
and only while they are members of its partnership in a role that may hold DHR material:
scrutiny members and PCC offices never can, whatever they were granted.
"""

from django.db.models import QuerySet
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from accounts.models import User
from partnerships.models import Membership, Role

from .models import DomesticHomicideReview

ACCESS_REVIEW = "reviews.access_domestichomicidereview"
# Roles that may never hold DHR content, even with a grant.
NEVER_ROLES = frozenset({Role.SCRUTINY, Role.PCC_OFFICE})


class ReviewPolicy:
    @staticmethod
    def grant(review: DomesticHomicideReview, user: User) -> None:
        assign_perm(ACCESS_REVIEW, user, review)

    @staticmethod
    def revoke(review: DomesticHomicideReview, user: User) -> None:
        remove_perm(ACCESS_REVIEW, user, review)

    @staticmethod
    def may_hold_access(membership: Membership | None) -> bool:
        return membership is not None and membership.role not in NEVER_ROLES

    @staticmethod
    def accessible(user: User, queryset: QuerySet | None = None) -> QuerySet:
        """The reviews ``user`` may see, across all their partnerships."""
        if not user.is_authenticated:
            return DomesticHomicideReview.objects.none()
        queryset = (queryset if queryset is not None else DomesticHomicideReview.objects).filter(
            partnership__memberships__user=user,
            partnership__memberships__role__in=set(Role.values) - NEVER_ROLES,
        )
        return get_objects_for_user(
            user,
            ACCESS_REVIEW,
            klass=queryset,
            use_groups=False,
            with_superuser=False,
            accept_global_perms=False,
        )

    @classmethod
    def has_access(cls, user: User, review: DomesticHomicideReview) -> bool:
        return cls.accessible(user).filter(pk=review.pk).exists()
