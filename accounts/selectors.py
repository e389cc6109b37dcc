from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from .models import User


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
    return User.objects.filter(email__iexact=email).exists()


def unused_backup_codes(*, user: User) -> list[str]:
    return list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True)
        .order_by("pk")
        .values_list("token", flat=True)
    )
