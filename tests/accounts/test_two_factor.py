"""Two-factor authentication can be set up with the password alone only by someone who has none:
replacing it needs a session that has passed it, and tells the account's owner."""

import os
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.middleware import EXEMPT_URL_NAMES
from accounts.models import ApiToken, User
from accounts.services import (
    api_token_create,
    backup_codes_replace,
    two_factor_begin,
    two_factor_confirm,
)
from audit.models import AuditEvent
from partnerships.models import Invitation, Membership, Role
from partnerships.services import invitation_create
from tests.conftest import signed_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, member, organisation_in

pytestmark = pytest.mark.django_db

LOGIN = "/account/sign-in/"
SET_UP = "/account/two-factor/set-up/"
VERIFY = "/account/two-factor/"


def code_for(device: TOTPDevice) -> str:
    return str(totp(device.bin_key)).zfill(6)


def a_code_from_a_new_secret() -> str:
    return str(totp(os.urandom(20))).zfill(6)


def enrol(user: User) -> list[str]:
    """An authenticator and backup codes, set up as the person would (returns the codes)."""
    device = two_factor_begin(acting_user=user)
    codes = two_factor_confirm(acting_user=user, device=device, token=code_for(device))
    mail.outbox.clear()
    return codes


def half_signed_in(user: User) -> Client:
    """A client that has given the right password and nothing else."""
    client = Client()
    response = client.post(LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def fully_signed_in(user: User, backup_code: str) -> Client:
    client = half_signed_in(user)
    assert client.post(VERIFY, {"token": backup_code}).status_code == 302
    return client


def is_verified(client: Client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def credentials(user: User) -> dict:
    """Everything about an account that signing in, or acting as it, depends on."""
    user = User.objects.get(pk=user.pk)
    return {
        "user": (user.email, user.password, user.is_active, user.is_staff, user.is_superuser),
        "authenticators": sorted(
            TOTPDevice.objects.filter(user=user).values_list("pk", "key", "confirmed")
        ),
        "backup_codes": sorted(
            StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
        ),
        "memberships": sorted(
            Membership.objects.filter(user=user).values_list(
                "partnership_id", "role", "organisation_id"
            )
        ),
        "api_tokens": sorted(ApiToken.objects.filter(user=user).values_list("pk", "revoked_at")),
        "invitations": sorted(Invitation.objects.values_list("pk", "accepted_at")),
    }


@pytest.fixture
def enrolled(coordinator):
    """A coordinator with an authenticator app and backup codes; ``enrolled.codes`` are these."""
    coordinator.codes = enrol(coordinator)
    return coordinator


# Half signed in: the password, and no code -------------------------------------------------------


def test_set_up_sends_someone_with_an_authenticator_to_verify_first_and_makes_no_secret(enrolled):
    client = half_signed_in(enrolled)
    before = credentials(enrolled)

    response = client.get(SET_UP)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Faccount%2Ftwo-factor%2Fset-up%2F"
    assert credentials(enrolled) == before  # no unconfirmed device made
    assert not TOTPDevice.objects.filter(user=enrolled, confirmed=False).exists()


def test_a_code_from_a_new_secret_does_not_verify_the_session_or_change_anything(
    enrolled, django_capture_on_commit_callbacks
):
    client = half_signed_in(enrolled)
    before = credentials(enrolled)
    events = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SET_UP, {"token": a_code_from_a_new_secret()})

    assert response["Location"].startswith(VERIFY)
    assert not is_verified(client)
    assert client.get("/p/trafford/about/")["Location"].startswith(VERIFY)
    assert credentials(enrolled) == before
    assert AuditEvent.objects.count() == events
    assert mail.outbox == []


def _posted(user: User) -> dict:
    """What an attacker who knows only the password would post anywhere."""
    return {
        "token": a_code_from_a_new_secret(),
        "username": user.email,
        "password": DEFAULT_PASSWORD,
        "old_password": DEFAULT_PASSWORD,
        "new_password1": "Attacker-chose-this-99",
        "new_password2": "Attacker-chose-this-99",
        "email": "attacker@example.net",
        "name": "Attacker",
        "next": "/account/",
    }


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url_name", sorted(EXEMPT_URL_NAMES))
def test_no_page_exempt_from_two_factor_changes_a_credential_or_verifies_the_session(
    url_name, method, enrolled, partnership, django_capture_on_commit_callbacks
):
    api_token_create(
        acting_user=enrolled,
        name="Case system",
        memberships=list(Membership.objects.filter(user=enrolled)),
    )
    client = half_signed_in(enrolled)
    before = credentials(enrolled)
    events = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(reverse(url_name), _posted(enrolled))

    assert response.status_code < 500
    assert credentials(enrolled) == before
    assert not is_verified(client)
    assert AuditEvent.objects.count() == events
    assert mail.outbox == []


@pytest.mark.parametrize("url_name", ["accounts:backup_codes", "partnerships:invitation_accept"])
def test_pages_once_exempt_now_need_two_factor_first(
    url_name, enrolled, other_partnership, django_capture_on_commit_callbacks
):
    invitation_create(
        acting_user=member(other_partnership, Role.COORDINATOR),
        partnership=other_partnership,
        email=enrolled.email,
        full_name=enrolled.full_name,
        role=Role.COORDINATOR,
        organisation=organisation_in(other_partnership),
        accept_url=lambda token: token,
    )
    token = "known-token"
    Invitation.objects.update(token_hash=Invitation.hash_token(token))
    url = reverse(url_name, kwargs={"token": token} if url_name.endswith("accept") else {})
    client = half_signed_in(enrolled)
    before = credentials(enrolled)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _posted(enrolled))

    assert response["Location"].startswith(VERIFY)
    assert credentials(enrolled) == before
    assert not Membership.objects.filter(user=enrolled, partnership=other_partnership).exists()


def test_a_first_authenticator_is_still_set_up_with_the_password_alone(coordinator):
    client = half_signed_in(coordinator)

    page = client.get(SET_UP)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    confirmed = client.post(SET_UP, {"token": code_for(device)})

    assert page.status_code == 200 and "password" not in page.context["form"].fields
    assert confirmed["Location"].startswith(reverse("accounts:backup_codes"))
    assert is_verified(client)
    assert AuditEvent.objects.filter(action="two_factor.enable", actor=coordinator).exists()


def test_the_services_refuse_a_session_that_has_not_passed_two_factor(enrolled):
    """Not only the page: the services themselves check the session's user."""
    before = credentials(enrolled)
    enrolled.is_verified = lambda: False  # as django-otp marks a request's user

    with pytest.raises(PermissionDenied):
        two_factor_begin(acting_user=enrolled)
    with pytest.raises(PermissionDenied):
        backup_codes_replace(acting_user=enrolled)

    assert credentials(enrolled) == before


# Verified: replacing the authenticator -----------------------------------------------------------


def test_a_verified_coordinator_replaces_the_authenticator_with_their_password_and_is_told(
    enrolled, django_capture_on_commit_callbacks
):
    old_device = TOTPDevice.objects.get(user=enrolled)
    client = fully_signed_in(enrolled, enrolled.codes[0])

    page = client.get(SET_UP)
    new_device = TOTPDevice.objects.get(user=enrolled, confirmed=False)
    assert "Set up a new authenticator app" in page.content.decode()
    assert page.context["secret"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            SET_UP, {"password": DEFAULT_PASSWORD, "token": code_for(new_device)}
        )
        assert mail.outbox == []  # not sent inside the request: queued for after commit

    assert len(callbacks) == 1
    assert response["Location"].startswith(reverse("accounts:backup_codes"))
    assert list(TOTPDevice.objects.filter(user=enrolled).values_list("pk", "confirmed")) == [
        (new_device.pk, True)
    ]
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert not StaticToken.objects.filter(token__in=enrolled.codes).exists()
    assert client.get("/p/trafford/about/").status_code == 200  # still verified, by the new device
    event = AuditEvent.objects.get(action="two_factor.replace")
    assert (event.actor, event.partnership, event.object_id) == (enrolled, None, str(enrolled.pk))
    [email] = mail.outbox
    assert email.to == [enrolled.email]
    assert email.subject == "Your CSP Portal two-factor authentication was changed"
    assert "If this wasn't you" in email.body
    assert "/account/password/reset/" in email.body


def test_replacing_needs_the_password_and_a_wrong_one_counts_towards_the_lockout(
    enrolled, django_capture_on_commit_callbacks
):
    from axes.models import AccessAttempt

    client = fully_signed_in(enrolled, enrolled.codes[0])
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=enrolled, confirmed=False)
    before = credentials(enrolled)

    with django_capture_on_commit_callbacks(execute=True):
        missing = client.post(SET_UP, {"token": code_for(device)})
        wrong = client.post(SET_UP, {"password": "not-the-password", "token": code_for(device)})

    assert missing.status_code == 200 and "Enter your password" in missing.content.decode()
    assert "Your password is not right" in wrong.content.decode()
    assert credentials(enrolled) == before
    assert mail.outbox == []
    assert AccessAttempt.objects.get(username=enrolled.email).failures_since_start == 1


def test_new_backup_codes_are_emailed_to_the_account_holder(
    enrolled, django_capture_on_commit_callbacks
):
    client = fully_signed_in(enrolled, enrolled.codes[0])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:backup_codes"))

    assert response.status_code == 302
    assert not StaticToken.objects.filter(token__in=enrolled.codes[1:]).exists()
    [email] = mail.outbox
    assert email.to == [enrolled.email]
    assert email.subject == "New backup codes were made for your CSP Portal account"


def test_the_platform_administrator_reads_account_level_events_in_the_admin(enrolled):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client = fully_signed_in(enrolled, enrolled.codes[0])
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=enrolled, confirmed=False)
    client.post(SET_UP, {"password": DEFAULT_PASSWORD, "token": code_for(device)})

    page = signed_in(admin).get("/admin/audit/auditevent/?action=two_factor.replace")

    assert page.status_code == 200
    assert enrolled.email in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_first_enrolments_at_once_leave_one_authenticator(monkeypatch):
    """The owner and someone with only the password confirm an authenticator at the same moment
    (two set-up pages opened at once made two): the second waits for the first, then finds
    two-factor already on and is refused, so the first person's authenticator is the only one."""
    owner = UserFactory()
    devices = [
        TOTPDevice.objects.create(user=owner, name="Authenticator app", confirmed=False)
        for _ in range(2)
    ]
    audit = services.audit_record

    def slow_audit(**kwargs):
        time.sleep(0.5)  # the first holds its transaction open while the second arrives
        return audit(**kwargs)

    monkeypatch.setattr(services, "audit_record", slow_audit)
    start = threading.Barrier(2)
    outcomes = [None, None]

    def confirm(index):
        try:
            user = User.objects.get(pk=owner.pk)
            user.is_verified = lambda: False  # as django-otp marks a request's user
            start.wait()
            device = devices[index]
            codes = two_factor_confirm(acting_user=user, device=device, token=code_for(device))
            outcomes[index] = "enrolled" if codes else "wrong code"
        except PermissionDenied:
            outcomes[index] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["enrolled", "refused"]
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="two_factor.enable").count() == 1
