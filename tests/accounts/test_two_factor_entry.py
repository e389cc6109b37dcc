"""Entering a security code: one text field for authenticator and backup codes, a plain "wait"
(never "not right") while wrong codes hold the next one back, and no account navigation until
the code is accepted."""

from datetime import timedelta

import pytest
from django_otp.plugins.otp_static.models import StaticToken

from .test_two_factor import VERIFY, enrol, half_signed_in, is_verified

pytestmark = pytest.mark.django_db


def test_the_field_takes_letters_and_offers_the_code_a_phone_received(coordinator):
    enrol(coordinator)
    page = half_signed_in(coordinator).get(VERIFY).content.decode()
    field = page.split('name="token"', 1)[1].split(">", 1)[0]
    assert 'type="text"' in page.split('name="token"', 1)[0].rsplit("<input", 1)[1]
    assert 'inputmode="text"' in field and 'autocomplete="one-time-code"' in field


def test_the_page_before_the_code_shows_no_account_navigation(coordinator):
    enrol(coordinator)
    page = half_signed_in(coordinator).get(VERIFY).content.decode()
    header = page.split("</header>", 1)[0]
    assert 'aria-label="Menu"' not in header
    assert "Notifications" not in header and ">Your account<" not in header
    assert "Change partnership" not in header
    assert ">Sign out</a>" in header


def test_a_right_code_straight_after_a_wrong_one_is_held_back_with_how_long_and_not_spent(
    coordinator,
):
    codes = enrol(coordinator)
    client = half_signed_in(coordinator)

    wrong = client.post(VERIFY, {"token": "000000"}).content.decode()
    assert "The security code is not right or has expired" in wrong

    held = client.post(VERIFY, {"token": codes[0]}).content.decode()
    assert "Wait 1 second, then enter your code again" in held
    assert "not right or has expired" not in held
    assert not is_verified(client)
    assert StaticToken.objects.filter(token=codes[0]).exists()  # not spent

    for device in [*coordinator.staticdevice_set.all(), *coordinator.totpdevice_set.all()]:
        device.throttling_failure_timestamp -= timedelta(seconds=2)  # the second passes
        device.save()
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert is_verified(client)
    assert not StaticToken.objects.filter(token=codes[0]).exists()
