from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record

from .models import User

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


@transaction.atomic
def two_factor_begin(*, acting_user: User) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=acting_user, name=AUTHENTICATOR_NAME, confirmed=False
    )


@transaction.atomic
def two_factor_confirm(*, acting_user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator if the code matches; returns fresh backup codes, else None."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=acting_user)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
    codes = backup_codes_replace(acting_user=acting_user)
    audit_record(
        acting_user=acting_user,
        partnership=None,
        action="two_factor.enable",
        target=acting_user,
        changes={"two_factor": [False, True]},
    )
    return codes


@transaction.atomic
def backup_codes_replace(*, acting_user: User) -> list[str]:
    """Replace the user's backup codes with new single-use ones and return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=acting_user, name=BACKUP_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_record(
        acting_user=acting_user,
        partnership=None,
        action="two_factor.backup_codes_replace",
        target=acting_user,
        changes={"backup_codes": ["(replaced)", f"({len(codes)} new)"]},
    )
    return codes


def password_change_record(*, acting_user: User | None, user: User, how: str) -> None:
    """Audit a password change (the auth form has saved it): ``how`` is 'changed' or 'reset'."""
    audit_record(
        acting_user=acting_user,
        partnership=None,
        action=f"user.password_{how}",
        target=user,
        changes={"password": ["(set)", "(changed)"]},
    )
