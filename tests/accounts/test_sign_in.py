from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import backup_codes_replace
from audit.models import AuditEvent
from partnerships.models import Role
from tests.factories import DEFAULT_PASSWORD, member

pytestmark = pytest.mark.django_db

LOGIN = "/account/sign-in/"


def sign_in(client, email, password=DEFAULT_PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def test_a_contributor_signs_in_with_email_and_password(client, partnership):
    contributor = member(partnership, Role.CONTRIBUTOR)
    response = sign_in(client, contributor.email.upper())
    assert response.status_code == 302
    assert client.get("/p/trafford/about/").status_code == 200


def test_a_wrong_password_says_so_and_signs_nobody_in(client, partnership):
    contributor = member(partnership, Role.CONTRIBUTOR)
    response = sign_in(client, contributor.email, "wrong-password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert client.get("/p/trafford/about/").status_code == 302


def test_repeated_failures_lock_the_account_with_a_clear_message(client, partnership, settings):
    contributor = member(partnership, Role.CONTRIBUTOR)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, contributor.email, "wrong-password")

    locked = sign_in(client, contributor.email, "wrong-password")
    still_locked = sign_in(client, contributor.email)  # even the right password

    assert locked.status_code == 429
    assert "Sign-in is locked for now" in locked.content.decode()
    assert "Wait 15 minutes, then try again." in locked.content.decode()
    assert still_locked.status_code == 429
    assert client.get("/p/trafford/about/").status_code == 302


def test_a_coordinator_without_two_factor_must_set_it_up_first(client, partnership, coordinator):
    sign_in(client, coordinator.email)

    response = client.get("/p/trafford/people/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))

    setup = client.get(response["Location"])
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert setup.context["secret"]
    wrong = client.post(response["Location"], {"token": "000000"})
    assert "The security code is not right" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # time passes
    confirmed = client.post(response["Location"], {"token": str(totp(device.bin_key)).zfill(6)})

    assert confirmed.status_code == 302
    codes = client.get(confirmed["Location"]).context["codes"]
    assert len(codes) == 10
    assert client.get("/p/trafford/people/").status_code == 200
    assert AuditEvent.objects.filter(actor=coordinator, action="two_factor.enable").exists()


def test_a_backup_code_passes_two_factor_once(client, partnership, coordinator):
    code, *_ = backup_codes_replace(acting_user=coordinator)
    sign_in(client, coordinator.email)
    assert client.get("/p/trafford/about/")["Location"].startswith(
        reverse("accounts:two_factor_verify")
    )

    assert client.post(reverse("accounts:two_factor_verify"), {"token": code}).status_code == 302
    assert client.get("/p/trafford/about/").status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()

    client.post(reverse("accounts:logout"))
    sign_in(client, coordinator.email)
    reused = client.post(reverse("accounts:two_factor_verify"), {"token": code})
    assert "The security code is not right or has expired" in reused.content.decode()
    assert client.get("/p/trafford/about/").status_code == 302


def test_a_session_ends_after_the_idle_time(client, partnership):
    contributor = member(partnership, Role.CONTRIBUTOR)
    sign_in(client, contributor.email)
    assert client.get("/p/trafford/about/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/p/trafford/about/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_each_request_extends_the_idle_time(client, partnership, settings):
    contributor = member(partnership, Role.CONTRIBUTOR)
    sign_in(client, contributor.email)
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=5))

    client.get("/p/trafford/about/")

    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, partnership, settings, django_capture_on_commit_callbacks
):
    settings.CSP_SITE_URL = "http://127.0.0.1:8101"
    contributor = member(partnership, Role.CONTRIBUTOR)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": contributor.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)

    # Like every email's, the link starts with the site's address, not the request's Host.
    assert link.startswith("http://127.0.0.1:8101/account/password/reset/")
    form_url = client.get(link.removeprefix("http://127.0.0.1:8101"), follow=True).redirect_chain[
        -1
    ][0]
    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert "This password is too short" in weak.content.decode()
    client.post(
        form_url, {"new_password1": "Another-long-one-77", "new_password2": "Another-long-one-77"}
    )

    contributor.refresh_from_db()
    assert contributor.check_password("Another-long-one-77")
    assert AuditEvent.objects.filter(
        action="user.password_reset", object_id=contributor.pk
    ).exists()


def test_a_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_the_account_page_lists_every_partnership_in_fixed_queries(partnership, other_partnership):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import signed_in

    analyst = member(partnership, Role.CONTRIBUTOR)
    client = signed_in(analyst)
    client.get("/account/")  # the session's first request also answers the two-factor check
    with CaptureQueriesContext(connection) as one:
        client.get("/account/")
    member(other_partnership, Role.STRATEGY_MEMBER, user=analyst)
    with CaptureQueriesContext(connection) as two:
        page = client.get("/account/").content.decode()

    assert "Trafford" in page and "Cardiff" in page
    assert len(two) == len(one)
