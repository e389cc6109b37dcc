from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from partnerships.models import Membership

from .models import ApiToken, User, canonical_email


def user_requires_two_factor(user: User) -> bool:
    """Platform administrators, anyone holding a role that needs two-factor authentication, and
    anyone with access to a domestic homicide review."""
    from partnerships.permissions import MFA_ROLES

    if user.is_staff or user.is_superuser:
        return True
    return (
        user.memberships.filter(role__in=MFA_ROLES).exists() or user.review_access_grants.exists()
    )


def user_has_two_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def account_exists(*, email: str) -> bool:
    return User.objects.filter(email=canonical_email(email)).exists()


def unused_backup_codes(*, user: User) -> list[str]:
    return list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True)
        .order_by("pk")
        .values_list("token", flat=True)
    )


# Personal API tokens ---------------------------------------------------------------------------


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, with the partnerships each covers (two queries)."""
    return ApiToken.objects.filter(user=user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("partnership").order_by("partnership__name"),
        )
    )


def api_token_of(*, user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens, or 404: another person's token is never found."""
    try:
        return api_tokens_of(user=user).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None


def api_token_by_secret(secret: str) -> ApiToken | None:
    """The token whose hash matches, found by the hash (so no secret is ever compared)."""
    return (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash_secret(secret))
        .first()
    )


def api_token_partnership_ids(token: ApiToken) -> frozenset[int]:
    """The partnerships the token still acts in: those of the memberships chosen at creation
    that the person still holds (a membership that ends leaves the token with it)."""
    return frozenset(
        token.memberships.filter(user_id=token.user_id).values_list("partnership_id", flat=True)
    )
