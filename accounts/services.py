"""Every change to a person's own account: two-factor authentication, password, API tokens, and
the emails about them.

These changes are audited without a partnership, on purpose: they belong to the account, not to
any one partnership it is a member of, so no partnership's coordinator reads them. The platform
administrator reads them in the audit log of the Django admin, and the person is emailed about
the ones that could mean someone else has their password (two-factor replaced, new backup
codes), so that nobody changes an account's credentials unnoticed.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from csp_portal.languages import recipient_language
from csp_portal.logs import email_headers
from csp_portal.mail import subject_line
from csp_portal.queue import enqueue_on_commit, task_named
from csp_portal.site import site_url
from csp_portal.submissions import Submission, submission_claim

from .models import AccountEmail, AccountEmailKind, ApiToken, User, canonical_email
from .selectors import user_has_two_factor

if TYPE_CHECKING:
    from partnerships.models import Membership

send_account_email = task_named("accounts.tasks.send_account_email")

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


def _assert_may_change_two_factor(user: User) -> None:
    """Lock the account, then check: someone who already has two-factor authentication changes
    it only from a session that has passed it: a password alone must never be enough to replace
    the second factor.

    django-otp marks the user of a request with ``is_verified``; a user that did not come from
    a request (the demo seed, a shell) has no session to check.

    The account's row is locked for the rest of the transaction first, so that two enrolments
    at once (the owner and someone with only the password) are serialised: the second one then
    sees the first one's authenticator, and is refused unless its session has passed it.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and not is_verified() and user_has_two_factor(user):
        raise PermissionDenied(_("Enter your security code before you change two-factor."))


@transaction.atomic
def two_factor_begin(*, acting_user: User) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (the same one until confirmed)."""
    _assert_may_change_two_factor(acting_user)
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=acting_user, name=AUTHENTICATOR_NAME, confirmed=False
    )


@transaction.atomic
def two_factor_confirm(*, acting_user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator if the code matches; returns fresh backup codes, else None.

    For someone who had two-factor authentication already this replaces it: the old app and
    backup codes stop working, and the account's owner is emailed, in case it was not them.
    """
    _assert_may_change_two_factor(acting_user)
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=acting_user)
    if not device.verify_token(token):
        return None
    replacing = user_has_two_factor(acting_user)
    others = TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk)
    had_authenticator = others.filter(confirmed=True).exists()
    others.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_make(acting_user)
    if replacing:
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action="two_factor.replace",
            target=acting_user,
            changes={
                "authenticator": ["(replaced)" if had_authenticator else None, "(new)"],
                "backup_codes": ["(replaced)", f"({len(codes)} new)"],
            },
        )
        _account_email_queue(user=acting_user, kind=AccountEmailKind.AUTHENTICATOR_REPLACED)
    else:
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action="two_factor.enable",
            target=acting_user,
            changes={"two_factor": [False, True], "backup_codes": [None, f"({len(codes)} new)"]},
        )
    return codes


@transaction.atomic
def backup_codes_replace(*, acting_user: User) -> list[str]:
    """Replace the user's backup codes with new single-use ones and return them (shown once).
    Replacing a set they had is emailed to them."""
    _assert_may_change_two_factor(acting_user)
    replacing = StaticDevice.objects.filter(user=acting_user, name=BACKUP_CODES_NAME).exists()
    codes = _backup_codes_make(acting_user)
    audit_record(
        acting_user=acting_user,
        partnership=None,
        action="two_factor.backup_codes_replace",
        target=acting_user,
        changes={"backup_codes": ["(replaced)" if replacing else None, f"({len(codes)} new)"]},
    )
    if replacing:
        _account_email_queue(user=acting_user, kind=AccountEmailKind.BACKUP_CODES_REPLACED)
    return codes


def _backup_codes_make(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
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


def user_language_set(*, acting_user: User, language: str) -> User:
    """The person chose the language the service speaks to them in (the toggle in the header,
    or their account page): their pages and emails follow it. Their own choice, so no policy
    is asked (tests/test_code_rules.py lists it)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=acting_user.pk)
        if user.language == language:
            return user
        before = user.language
        user.language = language
        user.full_clean(exclude=["password"])
        user.save(update_fields=["language"])
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action="user.language_changed",
            target=user,
            changes={"language": [before, language]},
        )
    acting_user.language = language
    return user


# Emails about a person's own account ---------------------------------------------------------


def password_reset_request(*, email: str, client_address: str | None) -> None:
    """Someone asked for a password reset link for ``email``.

    The request does the same work whether or not the address has an account (two counts, one
    row, one task queued after commit) and the task decides whether an email goes, so neither
    the answer nor its timing tells who has an account. Past ``CSP_PASSWORD_RESET_PER_ADDRESS``
    requests for the address, or ``CSP_PASSWORD_RESET_PER_CLIENT`` from the client address, in
    ``CSP_PASSWORD_RESET_WINDOW``, nothing is queued and the answer is still the same.

    The limits count rows in the database, as django-axes counts sign-in failures: they hold
    across every web process and while Redis is down (when the reset must still go).
    """
    address = canonical_email(email)
    recent = AccountEmail.objects.filter(
        kind=AccountEmailKind.PASSWORD_RESET,
        created_at__gte=timezone.now() - settings.CSP_PASSWORD_RESET_WINDOW,
    )
    if (
        recent.filter(address=address).count() >= settings.CSP_PASSWORD_RESET_PER_ADDRESS
        or recent.filter(client_address=client_address).count()
        >= settings.CSP_PASSWORD_RESET_PER_CLIENT
    ):
        logger.warning("Password reset limit reached (client %s)", client_address)
        return
    with transaction.atomic():
        row = AccountEmail.objects.create(
            kind=AccountEmailKind.PASSWORD_RESET, address=address, client_address=client_address
        )
        enqueue_on_commit(send_account_email, row.pk)


def _account_email_queue(*, user: User, kind: str) -> AccountEmail:
    row = AccountEmail.objects.create(kind=kind, address=user.email, user=user)
    enqueue_on_commit(send_account_email, row.pk)
    return row


def account_email_send(*, account_email_id: int) -> bool:
    """Send one account email unless it has gone already. Called by the Celery task; safe to
    repeat (the row lock lets one sender through). Returns whether an email went: a reset for
    an address with no active account sends nothing."""
    with transaction.atomic():
        row = (
            AccountEmail.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=account_email_id, done_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        message = _account_message(row)
        if message is not None:
            message.send()
        row.done_at = timezone.now()
        row.save(update_fields=["done_at"])
    return message is not None


def account_emails_send_unsent(*, grace: timedelta | None = None) -> int:
    """Send the account emails whose task never ran (the broker was down when they were
    asked for), and forget finished ones once no limit counts them. Called by the reminders
    outbox flush; returns how many went."""
    if grace is None:
        grace = timedelta(seconds=settings.CSP_UNSENT_EMAIL_GRACE_SECONDS)
    now = timezone.now()
    AccountEmail.objects.filter(
        done_at__isnull=False,
        created_at__lt=now - max(settings.CSP_PASSWORD_RESET_WINDOW, timedelta(days=1)),
    ).delete()
    waiting = AccountEmail.objects.filter(done_at__isnull=True, created_at__lte=now - grace)
    return sum(
        account_email_send(account_email_id=pk)
        for pk in waiting.order_by("pk").values_list("pk", flat=True)[:100]
    )


def _account_message(row: AccountEmail) -> EmailMessage | None:
    """The email a row stands for, or None when there is nobody to send it to."""
    if row.kind == AccountEmailKind.PASSWORD_RESET:
        user = User.objects.filter(email=row.address, is_active=True).first()
        if user is None or not user.has_usable_password():
            return None
        # The link is made now, not when it was asked for: it lasts PASSWORD_RESET_TIMEOUT from
        # the moment it is sent, and no secret waits in the database.
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {"user": user, "link": site_url(path)}
    else:
        user = row.user
        if user is None or not user.is_active:
            return None
        context = {
            "user": user,
            "when": timezone.localtime(row.created_at),
            "reset_link": site_url(reverse("accounts:password_reset")),
        }
    template, subject = ACCOUNT_EMAILS[row.kind]
    with recipient_language(user):
        return EmailMessage(
            subject=subject_line(subject),
            body=render_to_string(template, context),
            to=[user.email],
            headers=email_headers(),
        )


ACCOUNT_EMAILS = {
    AccountEmailKind.PASSWORD_RESET: (
        "accounts/email/password_reset.txt",
        gettext_lazy("Reset your CSP Portal password"),
    ),
    AccountEmailKind.AUTHENTICATOR_REPLACED: (
        "accounts/email/authenticator_replaced.txt",
        gettext_lazy("Your CSP Portal two-factor authentication was changed"),
    ),
    AccountEmailKind.BACKUP_CODES_REPLACED: (
        "accounts/email/backup_codes_replaced.txt",
        gettext_lazy("New backup codes were made for your CSP Portal account"),
    ),
}


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
    memberships: list["Membership"],
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
            acting_user.memberships.filter(pk__in=[m.pk for m in memberships]).select_related(
                "partnership"
            )
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
