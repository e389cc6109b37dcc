"""Replacing an authenticator app in a real browser, JavaScript on and off, axe on every page: the
password alone leads to the security code page, never to a new secret; once verified, the
coordinator sets up a new app with their password and is emailed about it."""

import base64

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import two_factor_begin, two_factor_confirm

from ..factories import DEFAULT_PASSWORD
from .conftest import Visitor, pass_two_factor, sign_in

pytestmark = pytest.mark.browser


def _code(key: bytes) -> str:
    return f"{totp(key, step=30, digits=6):06d}"


def _secret_on_page(visitor: Visitor) -> bytes:
    secret = visitor.page.get_by_test_id("totp-secret").inner_text().strip()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def test_a_coordinator_verifies_before_replacing_the_authenticator_and_is_emailed(
    visitor, coordinator
):
    device = two_factor_begin(acting_user=coordinator)
    codes = two_factor_confirm(acting_user=coordinator, device=device, token=_code(device.bin_key))
    mail.outbox.clear()

    sign_in(visitor, coordinator.email, DEFAULT_PASSWORD)
    visitor.open("/account/two-factor/set-up/")

    assert visitor.path.startswith("/account/two-factor/?next=")
    assert visitor.page.get_by_test_id("totp-secret").count() == 0
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=False).exists()
    pass_two_factor(visitor, codes[0])

    assert visitor.heading() == "Set up a new authenticator app"
    key = _secret_on_page(visitor)
    visitor.fill("Security code", _code(key))
    visitor.click_button("Use the new authenticator app")  # the password forgotten
    assert visitor.page.get_by_role("link", name="Enter your password").is_visible()
    assert mail.outbox == []

    visitor.fill("Your password", DEFAULT_PASSWORD)
    visitor.fill("Security code", _code(key))
    visitor.click_button("Use the new authenticator app")

    assert visitor.heading() == "Your backup codes"
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    [email] = mail.outbox
    assert email.to == [coordinator.email]
    assert email.subject == "Your CSP Portal two-factor authentication was changed"
    visitor.click_link("I have saved my codes – continue")
    assert visitor.path == "/"

    visitor.open("/account/")  # where the next change would start
    visitor.click_link("New authenticator app")
    assert visitor.heading() == "Set up a new authenticator app"
