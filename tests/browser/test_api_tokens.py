"""API tokens in a real browser, JavaScript on and off, axe on every page: a police analyst who
serves two partnerships makes a token for one of them, sees it once, finds it listed, uses it,
and revokes it."""

import pytest
from django.test import Client

from accounts.models import ApiToken
from partnerships.models import Role, Seat

from ..factories import PartnershipFactory, member

# Its log lines hold none of the names, pseudonyms or tokens (tests/browser/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("logs_hold_no_personal_data")]


@pytest.fixture
def analyst(db):
    trafford = PartnershipFactory(name="Trafford", slug="trafford")
    cardiff = PartnershipFactory(name="Cardiff", slug="cardiff")
    analyst = member(trafford, Role.CONTRIBUTOR, seat=Seat.POLICE, full_name="Sam Analyst")
    member(cardiff, Role.CONTRIBUTOR, seat=Seat.POLICE, user=analyst)
    return analyst


def test_a_partner_makes_sees_once_and_revokes_a_token(visitor, analyst):
    visitor.sign_in_as(analyst)
    visitor.open("/account/")
    visitor.follow(visitor.page.get_by_role("link", name="Manage API tokens"))
    assert visitor.heading() == "Your API tokens"
    assert visitor.page.get_by_text("You have no API tokens.").is_visible()

    visitor.click_link("Create a token")
    assert visitor.heading() == "Create an API token"
    visitor.click_button("Create token")  # nothing chosen but the defaults, and no name
    assert visitor.page.get_by_role("link", name="Enter a name for the token").is_visible()
    visitor.fill("Name", "Force records system")
    visitor.page.get_by_label("Cardiff (Partner contributor)").uncheck()
    visitor.click_button("Create token")

    assert visitor.heading() == "Your API tokens"
    secret = visitor.page.get_by_test_id("new-token").locator("code").inner_text().strip()
    token = ApiToken.objects.get()
    assert token.token_hash == ApiToken.hash_secret(secret)
    row = visitor.page.get_by_test_id(f"token-{token.pk}")
    assert "Force records system" in row.inner_text()
    assert "Trafford" in row.inner_text() and "Cardiff" not in row.inner_text()
    assert "Never" in row.inner_text()

    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/partnerships/").json()["count"] == 1

    visitor.open("/account/api-tokens/")
    assert secret not in visitor.page.content()  # shown once only
    assert "Never" not in visitor.page.get_by_test_id(f"token-{token.pk}").inner_text()
    visitor.follow(row.get_by_role("link", name="Revoke Force records system"))
    assert visitor.heading() == "Revoke Force records system?"
    visitor.click_button("Revoke token")

    assert visitor.page.get_by_text("Force records system has been revoked.").is_visible()
    assert "Revoked" in visitor.page.get_by_test_id(f"token-{token.pk}").inner_text()
    assert api.get("/api/v1/partnerships/").status_code == 401
