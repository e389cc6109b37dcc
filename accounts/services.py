import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from partnerships.models import Membership

from .models import ApiToken, User

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


# Personal API tokens ---------------------------------------------------------------------------

API_TOKEN_MARK = "csp"  # noqa: S105 -- the mark every token starts with, not a secret


@dataclass(frozen=True)
class NewApiToken:
    token: ApiToken
    secret: str  # shown to its owner once, never stored


def api_token_create(
    *,
    acting_user: User,
    name: str,
    memberships: list[Membership],
    expires_on: date | None = None,
    submission: Submission | None = None,
) -> NewApiToken:
    """A new token for the caller's own memberships, lasting until ``expires_on`` (by default
    ``API_TOKEN_DEFAULT_DAYS``, never more than ``API_TOKEN_MAX_DAYS``)."""
    today = timezone.localdate()
    expires_on = expires_on or today + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    errors = {}
    if not name.strip():
        errors["name"] = _("Enter a name for the token")
    if not memberships:
        errors["memberships"] = _("Select at least one partnership")
    elif any(membership.user_id != acting_user.pk for membership in memberships):
        errors["memberships"] = _("Select partnerships you are a member of")
    if expires_on <= today:
        errors["expires_on"] = _("The expiry date must be in the future")
    elif expires_on > today + timedelta(days=settings.API_TOKEN_MAX_DAYS):
        errors["expires_on"] = _("A token can last at most %(days)s days") % {
            "days": settings.API_TOKEN_MAX_DAYS
        }
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    secret = f"{API_TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.make_aware(datetime.combine(expires_on, time.max.replace(microsecond=0)))
    with transaction.atomic():
        submission_claim(submission)
        # Re-read: only memberships the caller still holds, whatever the form was given.
        held = list(
            Membership.objects.filter(
                user=acting_user, pk__in=[m.pk for m in memberships]
            ).select_related("partnership")
        )
        if len(held) != len({m.pk for m in memberships}):
            raise ValidationError({"memberships": _("Select partnerships you are a member of")})
        token = ApiToken(
            user=acting_user,
            name=name.strip(),
            prefix=prefix,
            token_hash=ApiToken.hash_secret(secret),
            expires_at=expires_at,
        )
        token.full_clean()
        token.save()
        token.memberships.set(held)
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action="api_token.create",
            target=token,
            changes={
                "name": [None, token.name],
                "partnerships": [None, sorted(m.partnership.slug for m in held)],
                "expires_at": [None, expires_at.isoformat()],
            },
        )
    return NewApiToken(token=token, secret=secret)


def api_token_revoke(*, acting_user: User, token: ApiToken) -> ApiToken:
    """Stop a token working, at once. Revoking it again changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk, user=acting_user)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action="api_token.revoke",
            target=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        )
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used, at most once every ``API_TOKEN_TOUCH_SECONDS``: one
    conditional UPDATE, so busy callers do not write on every request."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < timedelta(
        seconds=settings.API_TOKEN_TOUCH_SECONDS
    ):
        return
    stale = now - timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
    ).update(last_used_at=now)
    token.last_used_at = now
