"""Every other page a coordinator or a visitor can reach, checked with axe, JavaScript on and off.

The journeys cover sign-in, two-factor, the chooser, people, invitations and removal; this walks
the remaining pages, including ones with form errors, so that no page goes unchecked.
"""

import pytest

from audit.models import AuditEvent
from partnerships.models import Membership, Role

from ..factories import member
from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_public_pages(visitor, db):
    for path, heading in [
        ("/accessibility/", "Accessibility statement for CSP Portal"),
        ("/cookies/", "Cookies"),
        ("/privacy/", "Privacy notice"),
        ("/account/password/reset/", "Reset your password"),
    ]:
        assert visitor.open(path) == 200
        assert visitor.heading().startswith(heading.split(" for ")[0])

    visitor.fill("Email address", "nobody@example.org")
    visitor.click_button("Send reset link")
    assert visitor.heading() == "Check your email"


def test_coordinator_pages(visitor, partnership, coordinator):
    colleague = member(partnership, Role.STRATEGY_MEMBER, email="colleague@example.org")
    visitor.sign_in_as(coordinator)

    visitor.click_link("People", within=visitor.page.get_by_role("navigation", name="Menu"))
    visitor.click_link("Audit log")
    assert visitor.heading() == "Audit log"
    visitor.open(
        "/p/trafford/audit/?date_from_0=1&date_from_1=5&date_from_2=2026"
        "&date_to_0=1&date_to_1=4&date_to_2=2026"
    )
    assert "The end date must be the same as or after the start date" in visitor.page.content()

    visitor.open("/p/trafford/organisations/add/")
    visitor.click_button("Add organisation")
    assert "Select an organisation" in visitor.page.content()

    membership = Membership.objects.get(user=colleague)
    visitor.open(f"/p/trafford/people/{membership.pk}/")
    visitor.page.get_by_role("radio", name="Scrutiny member", exact=True).check()
    visitor.click_button("Save changes")
    assert "Changes saved." in visitor.page.content()
    assert Membership.objects.get(pk=membership.pk).role == Role.SCRUTINY
    assert AuditEvent.objects.filter(action="membership.update").count() == 1

    visitor.click_link("Account")
    assert visitor.heading() == "Your account"
    visitor.click_link("Change password")
    visitor.click_button("Change password")
    assert "There is a problem" in visitor.page.content()

    visitor.open("/account/two-factor/backup-codes/")
    visitor.click_button("Make new backup codes")
    assert visitor.page.get_by_test_id("backup-codes").locator("li").count() == 10

    visitor.click_link("Sign out")
    visitor.click_button("Sign out")
    assert visitor.heading() == "Sign in to CSP Portal"


def test_the_lockout_page(visitor, partnership, settings):
    contributor = member(partnership, Role.CONTRIBUTOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(visitor, contributor.email, "not-the-password")
    assert visitor.heading() == "Sign-in is locked for now"
