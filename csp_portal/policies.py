"""Who may do what to which record, now: one policy object per workflow model.

A policy answers three questions, and nothing else in the code compares roles:

    Policy.visible(membership)                 the records the member sees (selectors filter by it)
    Policy.can(membership, verb, obj)          may they do it now? (views: pages and buttons)
    Policy.require(membership, verb, obj)      the same, enforced: every service calls it

``can`` is two questions asked in turn. ``allows`` is "is it theirs to do": role x object grant
(their organisation leads the action, they hold a grant on the review). ``not_now`` is "does the
record's state let it be done now", and says why not in words a form can show. So ``require``
raises ``PermissionDenied`` when it is not theirs (views answer 404: nothing is revealed), and a
``ValidationError`` with that message when it is theirs but not now (the form says why).

Concrete policies live in each app's ``policies.py`` (``plans/policies.py`` ...), hold no state,
and are used through one module-level instance (``PlanPolicy = _PlanPolicy()``) or as classes
with class methods, whichever reads plainer; ``reviews/policies.py`` was the model.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Membership, Partnership


class Policy:
    """The shape every workflow policy has; subclasses define ``allows``, ``visible`` and,
    where the record's state matters, ``not_now``."""

    # The verbs this policy answers for, for ``may`` (a StrEnum).
    verbs: type[StrEnum]

    def visible(self, membership: Membership | None) -> QuerySet:
        raise NotImplementedError

    def allows(self, membership: Membership | None, verb: StrEnum, obj: Model | None) -> bool:
        """Whether it is theirs to do (role, object grant), whatever state the record is in."""
        raise NotImplementedError

    def not_now(self, membership: Membership | None, verb: StrEnum, obj: Model | None) -> str:
        """Why the record's present state refuses it ("" when it does not)."""
        return ""

    def can(self, membership: Membership | None, verb: StrEnum, obj: Model | None = None) -> bool:
        return self.allows(membership, verb, obj) and not self.not_now(membership, verb, obj)

    def require(
        self, membership: Membership | None, verb: StrEnum, obj: Model | None = None
    ) -> None:
        """For services, after locking: ``PermissionDenied`` when it is not theirs to do, a
        ``ValidationError`` (a message for the form) when it is, but not now."""
        if not self.allows(membership, verb, obj):
            raise PermissionDenied
        if message := self.not_now(membership, verb, obj):
            raise ValidationError(message, code="not_now")

    def require_user(
        self, user: User | None, partnership: Partnership, verb: StrEnum, obj: Model | None = None
    ) -> Membership:
        """``require`` for a service that is handed a user: their membership of ``partnership``,
        read afresh, which it returns."""
        membership = acting_membership(user, partnership)
        self.require(membership, verb, obj)
        return membership

    def may(self, membership: Membership | None, obj: Model | None = None) -> dict[str, Any]:
        """Every verb, now, for templates: ``{% if may.publish %}``."""
        return {verb.value: self.can(membership, verb, obj) for verb in self.verbs}


def acting_membership(user: User | None, partnership: Partnership) -> Membership | None:
    """A service's acting user's membership of ``partnership`` (None for a stranger), read
    afresh inside the service's transaction: a role changed since the page was shown counts.
    It takes no row lock: the service's own lock on its record orders it against other
    changes to that record, and locking memberships here as well, after that record, would
    take locks in the opposite order to the membership services (a deadlock)."""
    if user is None or not user.is_authenticated:
        return None
    return user.memberships.select_related("organisation").filter(partnership=partnership).first()


def granted(
    user: User, perm: str, *, user_grants: type[Model], group_grants: type[Model]
) -> Exists:
    """The records ``user`` holds ``perm`` ("app.codename") on, directly or through one of their
    groups, as a filter on the records' queryset: what guardian's ``get_objects_for_user`` (with
    ``use_groups``, no superuser or global permissions) selects, read from the model's direct
    grant tables. guardian's own puts the whole queryset again inside two ``IN`` subqueries,
    which costs a person in 32 partnerships more than the rest of their page (issue 17)."""
    app_label, codename = perm.split(".")
    permission = Q(permission__codename=codename, permission__content_type__app_label=app_label)
    by_group = group_grants.objects.filter(
        permission, content_object=OuterRef("pk"), group__user=user
    )
    by_user = user_grants.objects.filter(permission, content_object=OuterRef("pk"), user=user)
    return Exists(by_group) | Exists(by_user)


def granted_keys(
    user: User, perm: str, *, user_grants: type[Model], group_grants: type[Model]
) -> Q:
    """``granted`` as ``pk IN (…) OR pk IN (…)``, the permission's id looked up once in each
    (a scalar subquery), for a list that joins the records to much else (a person's actions with
    their plans, partnerships and priorities): PostgreSQL plans each ``IN`` apart, as a hashed
    set of keys, where ``granted``'s correlated EXISTS and their joins to the permission and
    content type tables go into the list's own join search, which then took some 10 ms to plan
    on every request (issue 17)."""
    app_label, codename = perm.split(".")
    permission = Subquery(
        Permission.objects.filter(codename=codename, content_type__app_label=app_label)
        .order_by()
        .values("id")[:1]
    )
    groups = user.groups.through.objects.filter(user_id=user.pk).values("group_id")
    by_group = group_grants.objects.filter(permission_id=permission, group_id__in=groups)
    by_user = user_grants.objects.filter(permission_id=permission, user_id=user.pk)
    return Q(pk__in=by_group.values("content_object_id")) | Q(
        pk__in=by_user.values("content_object_id")
    )
