"""The main journeys through the portal, in a real browser, with JavaScript on and off.

Every page reached is checked with axe (``Visitor`` does it on each load). Data is made through the
factories and services; everything after that happens as a person would do it, by label and role.
"""

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from accounts.models import User
from accounts.services import backup_codes_replace
from authorities.models import OrganisationKind, PartnerSector
from partnerships.models import Invitation, Membership, PartnerOrganisation, Role, Seat
from partnerships.services import partner_organisation_add, partner_organisation_remove

from ..factories import DEFAULT_PASSWORD, OrganisationFactory, PartnershipFactory, member
from .conftest import Visitor, pass_two_factor, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Lantern-orchard-velvet-73"


def _signed_in_coordinator(visitor: Visitor, coordinator: User) -> None:
    """Signed in, two-factor passed, by session: the journeys above sign in for real."""
    visitor.sign_in_as(coordinator)


def _partnership_bar(visitor: Visitor) -> str:
    return visitor.page.locator(".app-partnership-bar__name").inner_text().strip()


def _menu(visitor: Visitor):
    return visitor.page.get_by_role("navigation", name="Menu")


def _success_banner(visitor: Visitor) -> str:
    return visitor.page.locator(".govuk-notification-banner--success").inner_text()


def _error_summary(visitor: Visitor) -> str:
    summary = visitor.page.locator(".govuk-error-summary")
    assert summary.is_visible()
    return summary.inner_text()


def _table_rows(visitor: Visitor, testid: str) -> list[list[str]]:
    """Each body row of a table as its cell texts, the row header first."""
    rows = visitor.page.get_by_test_id(testid).locator("tbody tr")
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in rows.all()
    ]


def test_coordinator_signs_in_with_a_backup_code_and_sees_the_seats(
    visitor, partnership, coordinator
):
    probation = PartnerOrganisation.objects.get(partnership=partnership, seat=Seat.PROBATION)
    partner_organisation_remove(acting_user=coordinator, partner=probation)
    housing = OrganisationFactory(
        name="Trafford Housing Trust",
        kind=OrganisationKind.INVITED_PARTNER,
        sector=PartnerSector.HOUSING,
    )
    partner_organisation_add(
        acting_user=coordinator, partnership=partnership, organisation=housing, seat=Seat.INVITED
    )
    code = backup_codes_replace(acting_user=coordinator)[3]

    sign_in(visitor, coordinator.email, DEFAULT_PASSWORD)
    assert visitor.path.startswith("/account/two-factor/?")
    pass_two_factor(visitor, code)

    assert visitor.path == "/"
    assert visitor.heading() == "Your work"
    visitor.click_link("About this partnership Trafford")
    assert visitor.path == "/p/trafford/about/"
    assert visitor.heading() == "About this partnership"
    assert _partnership_bar(visitor) == "Trafford"
    seats = {row[0]: row[1] for row in _table_rows(visitor, "statutory-seats")}
    assert seats == {
        "Police": "Trafford Police",
        "Local authority": "Trafford Local authority",
        "Fire and rescue": "Trafford Fire and rescue",
        "Probation": "Seat empty",
        "Integrated care board": "Trafford Health",
    }
    assert (
        visitor.page.get_by_test_id("invited-partners")
        .inner_text()
        .strip()
        .startswith("Trafford Housing Trust (Housing)")
    )
    # The code worked once and is spent.
    assert StaticToken.objects.filter(device__user=coordinator, token=code).count() == 0


def test_coordinator_without_two_factor_sets_up_an_authenticator(visitor, coordinator):
    sign_in(visitor, coordinator.email, DEFAULT_PASSWORD)
    assert visitor.heading() == "Set up two-factor authentication"

    secret = visitor.page.get_by_test_id("totp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    visitor.fill("Security code", f"{totp(key, step=30, digits=6):06d}")
    visitor.click_button("Turn on two-factor authentication")

    assert visitor.heading() == "Your backup codes"
    codes = visitor.page.get_by_test_id("backup-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    visitor.click_link("I have saved my codes – continue")

    assert visitor.path == "/"
    assert visitor.heading() == "Your work"
    assert coordinator.totpdevice_set.filter(confirmed=True).count() == 1


def test_member_of_two_partnerships_switches_between_them(visitor, partnership):
    cardiff = PartnershipFactory(name="Cardiff", slug="cardiff")
    PartnershipFactory(name="Salford", slug="salford")
    analyst = member(partnership, Role.CONTRIBUTOR, email="analyst@police.example.org")
    member(cardiff, Role.CONTRIBUTOR, user=analyst)

    sign_in(visitor, "analyst@police.example.org", DEFAULT_PASSWORD)
    assert visitor.heading() == "Your work"
    choices = visitor.page.get_by_test_id("your-partnerships")
    visitor.click_link("Trafford", within=choices)
    assert visitor.path == "/?partnership=trafford"
    assert _partnership_bar(visitor) == "Trafford"

    visitor.click_link("Change partnership")
    assert visitor.heading() == "Your partnerships"
    choices = visitor.page.get_by_test_id("partnership-list")
    assert sorted(choices.get_by_role("link").all_inner_texts()) == ["Cardiff", "Trafford"]
    visitor.click_link("Cardiff", within=choices)
    assert visitor.path == "/?partnership=cardiff"
    assert _partnership_bar(visitor) == "Cardiff"

    # A partnership they do not belong to does not exist, as far as they can tell.
    assert visitor.open("/p/salford/") == 404
    assert visitor.heading() == "Page not found"
    assert "Salford" not in visitor.page.content()


def test_coordinator_invites_someone_who_accepts(new_visitor, partnership, coordinator):
    cora = new_visitor()
    _signed_in_coordinator(cora, coordinator)
    cora.click_link("People", within=_menu(cora))
    cora.click_link("Invite someone")

    cora.click_button("Send invitation")
    assert "There is a problem" in _error_summary(cora)
    field_errors = cora.page.locator(".govuk-error-message").all_inner_texts()
    for message in (
        "Enter the person's full name",
        "Enter the person's email address",
        "Select the person's role",
        "Select the organisation the person represents",
    ):
        assert any(message in error for error in field_errors), (message, field_errors)
    assert mail.outbox == []
    assert not Invitation.objects.exists()

    cora.fill("Full name", "Nia Newcomer")
    cora.fill("Email address", "nia@housing.example.org")
    cora.page.get_by_role("radio", name="Partner contributor", exact=True).check()
    cora.page.get_by_label("Organisation they represent").select_option(
        label="Trafford Local authority"
    )
    cora.click_button("Send invitation")

    assert "Invitation sent to nia@housing.example.org." in _success_banner(cora)
    invitations = _table_rows(cora, "invitations")
    assert len(invitations) == 1
    assert invitations[0][:2] == [
        "nia@housing.example.org",
        "Partner contributor, Trafford Local authority",
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@housing.example.org"]
    first_link = re.search(r"https?://\S+/account/invitations/\S+/", mail.outbox[-1].body)

    # The email went astray: the coordinator sends it again, and only the new link works.
    cora.follow(cora.page.get_by_role("link", name="Send again nia@housing.example.org"))
    cora.click_button("Send invitation again")
    assert "Invitation sent again to nia@housing.example.org." in _success_banner(cora)
    assert len(mail.outbox) == 2
    link = re.search(r"https?://\S+/account/invitations/\S+/", mail.outbox[-1].body).group(0)

    nia = new_visitor()
    assert nia.open(first_link.group(0)) == 404
    nia.open(link)
    assert nia.heading() == "Join Trafford"
    nia.fill("New password", "password")
    nia.fill("New password confirmation", "password")
    nia.click_button("Create account and accept")
    assert "There is a problem" in _error_summary(nia)
    assert "This password is too short" in " ".join(
        nia.page.locator(".govuk-error-message").all_inner_texts()
    )
    assert not User.objects.filter(email="nia@housing.example.org").exists()

    nia.fill("New password", NEW_PASSWORD)
    nia.fill("New password confirmation", NEW_PASSWORD)
    nia.click_button("Create account and accept")

    assert nia.path == "/?partnership=trafford"
    assert "You are now a member of Trafford." in _success_banner(nia)
    assert _partnership_bar(nia) == "Trafford"
    assert nia.page.locator(".app-partnership-bar").get_by_text("Partner contributor").is_visible()
    assert Membership.objects.filter(
        partnership=partnership, user__email="nia@housing.example.org", role=Role.CONTRIBUTOR
    ).exists()

    assert nia.open(link) == 404
    assert nia.heading() == "This invitation cannot be used"


def test_coordinator_removes_a_member(new_visitor, partnership, coordinator):
    partner = member(
        partnership, Role.CONTRIBUTOR, email="pat@fire.example.org", full_name="Pat Partner"
    )
    pat = new_visitor()
    pat.sign_in_as(partner)
    assert pat.path == "/"

    cora = new_visitor()
    _signed_in_coordinator(cora, coordinator)
    cora.click_link("People", within=_menu(cora))
    assert "Pat Partner" in [row[0] for row in _table_rows(cora, "people")]
    cora.click_link("Remove Pat Partner")
    assert "Remove Pat Partner" in cora.heading()
    cora.click_button("Remove from partnership")

    assert "Pat Partner has been removed." in _success_banner(cora)
    assert [row[0] for row in _table_rows(cora, "people")] == [coordinator.full_name]
    assert not Membership.objects.filter(user__email="pat@fire.example.org").exists()

    assert pat.open("/p/trafford/") == 404
    assert pat.heading() == "Page not found"


def test_the_only_coordinator_cannot_remove_themself(visitor, partnership, coordinator):
    _signed_in_coordinator(visitor, coordinator)
    visitor.click_link("People", within=_menu(visitor))
    visitor.click_link(f"Remove {coordinator.full_name}")
    visitor.click_button("Remove from partnership")

    summary = _error_summary(visitor)
    assert "There is a problem" in summary
    assert "only coordinator" in summary
    assert Membership.objects.filter(
        partnership=partnership, user=coordinator, role=Role.COORDINATOR
    ).exists()
