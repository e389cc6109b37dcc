"""Notifications in a real browser, JavaScript on and off, axe on every page: a police analyst
sees the unread count in the header, opens their notifications, marks one read, and chooses a
daily digest instead of an email for each reminder."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import ContributionRequest
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from partnerships.models import Role, Seat
from reminders.models import EmailPreference, Frequency, Notification
from reminders.outbox import outbox_send
from reminders.sweep import reminders_sweep

from ..factories import PartnershipFactory, member, organisation_in
from .conftest import Visitor

pytestmark = pytest.mark.browser


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Trafford", slug="trafford")


@pytest.fixture
def analyst(partnership, coordinator):
    """A police analyst with two requests to answer: one due in a week, one late."""
    analyst = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, full_name="Sam Analyst")
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2030
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    today = timezone.localdate()
    for title, days in (("Violence data", 7), ("Stop and search", -3)):
        (request,) = contribution_services.contribution_requests_send(
            acting_user=coordinator,
            assessment=assessment,
            organisations=[organisation_in(partnership, Seat.POLICE)],
            title=title,
            questions="What changed?",
            data_requested="",
            due_date=today + timedelta(days=30),
        )
        ContributionRequest.objects.filter(pk=request.pk).update(
            due_date=today + timedelta(days=days)
        )
    Notification.objects.all().delete()
    reminders_sweep()
    outbox_send()
    return analyst


def _menu(visitor: Visitor):
    """Notifications and signing out, beside the partnership's name at the top of each page."""
    return visitor.page.locator(".app-partnership-bar__account")


def test_a_partner_reads_notifications_and_chooses_a_daily_digest(visitor, analyst):
    visitor.sign_in_as(analyst)
    visitor.click_link("Notifications (2 unread)", within=_menu(visitor))
    assert visitor.heading() == "Notifications"
    table = visitor.page.get_by_test_id("notifications").inner_text()
    assert "Violence data (Trafford Police)" in table
    assert "Stop and search (Trafford Police)" in table and "Overdue" in table

    visitor.click_button("Mark Violence data (Trafford Police) as read")
    main = visitor.page.locator("main").inner_text()
    assert "Marked as read: Violence data (Trafford Police)" in main
    assert _menu(visitor).get_by_role("link", name="Notifications (1 unread)").count() == 1
    assert Notification.objects.filter(user=analyst, read_at__isnull=True).count() == 1

    # The link goes to the request itself, and opening it reads its notification.
    visitor.click_link("Stop and search (Trafford Police)")
    assert visitor.heading().startswith("Stop and search")
    assert _menu(visitor).get_by_role("link", name="Notifications", exact=True).count() == 1
    assert not Notification.objects.filter(user=analyst, read_at__isnull=True).exists()

    visitor.open("/notifications/")
    visitor.click_link("Change how often you get emails")
    assert visitor.heading() == "Email settings"
    visitor.page.get_by_label("Send one email a day with all my reminders").check()
    visitor.click_button("Save")
    assert visitor.path == "/notifications/"
    assert "Your email settings have been saved." in visitor.page.locator("main").inner_text()
    assert "You get one email a day" in visitor.page.get_by_test_id("email-frequency").inner_text()
    assert EmailPreference.objects.get(user=analyst).frequency == Frequency.DAILY

    # Nothing is left unread, so there is nothing to mark.
    assert visitor.page.get_by_role("button", name="Mark all as read").count() == 0
