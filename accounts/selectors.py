import math
from collections.abc import Callable

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from .models import ApiToken, User, canonical_email

# Who else must use two-factor authentication is decided by the apps above this one, which know
# why (partnerships: a role that needs it; reviews: access to a domestic homicide review). Each
# registers a rule in its ``AppConfig.ready``.
TwoFactorRule = Callable[[User], bool]
_TWO_FACTOR_RULES: list[TwoFactorRule] = []


def register_two_factor_rule(rule: TwoFactorRule) -> TwoFactorRule:
    """``rule(user)`` is true when the user must use two-factor authentication (once, whatever
    registers it again)."""
    if rule not in _TWO_FACTOR_RULES:
        _TWO_FACTOR_RULES.append(rule)
    return rule


def user_requires_two_factor(user: User) -> bool:
    """Platform administrators, and anyone a registered rule names."""
    if user.is_staff or user.is_superuser:
        return True
    return any(rule(user) for rule in _TWO_FACTOR_RULES)


def user_has_two_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def two_factor_pending(user: User) -> bool:
    """Signed in with a password, and still to pass (or set up) two-factor authentication: the
    pages show no account navigation until they have."""
    if not user.is_authenticated or user.is_verified():
        return False
    return user_has_two_factor(user) or user_requires_two_factor(user)


def two_factor_wait_seconds(user: User) -> int:
    """How long, in whole seconds, before a code can be checked again after wrong ones (django-otp
    throttles each device, doubling the wait after each failure); 0 when one can be checked now.
    A code entered while a device is throttled is never checked, so it must not be called wrong."""
    now = timezone.now()
    wait = 0.0
    for device in devices_for_user(user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            wait = max(wait, (details["locked_until"] - now).total_seconds())
    return math.ceil(wait)


def account_exists(*, email: str) -> bool:
    return User.objects.filter(email=canonical_email(email)).exists()


def unused_backup_codes(*, user: User) -> list[str]:
    return list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True)
        .order_by("pk")
        .values_list("token", flat=True)
    )


# Personal API tokens ---------------------------------------------------------------------------


def memberships_of(*, user: User) -> QuerySet:
    """The user's memberships with their partnerships, by name: the partnerships a token may
    cover. Read through the user, so that accounts imports nothing from the apps above it."""
    return user.memberships.select_related("partnership", "organisation").order_by(
        "partnership__name"
    )


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, with the partnerships each covers (two queries)."""
    membership_model = ApiToken._meta.get_field("memberships").related_model
    return ApiToken.objects.filter(user=user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=membership_model.objects.select_related("partnership").order_by(
                "partnership__name"
            ),
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
