"""The Celery entry points in the test's process (tasks run eagerly here; the real worker is in
test_real_components.py), the schedule in settings, the catch-up of a missed sweep, and the
benchmark command (on a database holding the demo: tests/test_demo.py)."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from partnerships.models import Invitation, Role
from partnerships.services import invitation_create
from reminders.models import DeliveryStatus, Notification, SweepRun
from reminders.sweep import latest_scheduled_sweep, sweep_missed
from reminders.tasks import flush_outbox, send_notifications, sweep_reminders
from tests.factories import organisation_in

from .conftest import TODAY

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_beat_runs_the_sweep_the_digests_and_the_outbox_flush():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reminders-sweep"]["task"] == sweep_reminders.name
    assert schedule["reminders-daily-digests"]["task"] == "reminders.tasks.send_daily_digests"
    assert schedule["reminders-flush-outbox"]["task"] == flush_outbox.name
    sweep_at = schedule["reminders-sweep"]["schedule"]
    assert sweep_at.hour == {6} and sweep_at.minute == {30}
    assert settings.REMINDERS_STAGE_DAYS == [14, 7, 1]


def test_the_sweep_task_writes_and_sends(requests, people):
    result = sweep_reminders.delay(TODAY.isoformat()).get()
    assert result["written"] == 4
    # The send-time check reads the real date: the TODAY-based weekly digest is no longer this
    # week's, and goes as cancelled; the three reminders go.
    assert len(mail.outbox) == 3
    assert send_notifications.delay(None).get() == 0


@pytest.mark.parametrize(
    ("last_run", "now", "missed"),
    [
        (None, "2027-09-20 05:00", True),  # never ran: run now
        ("2027-09-20 06:30", "2027-09-20 12:00", False),
        ("2027-09-19 06:30", "2027-09-20 06:00", False),  # today's is not due yet
        ("2027-09-19 06:30", "2027-09-20 06:31", True),  # today's did not run
        ("2027-09-17 06:30", "2027-09-20 08:00", True),  # the scheduler was down for days
    ],
)
def test_a_sweep_the_scheduler_missed_is_caught_up(last_run, now, missed):
    def at(text):
        return datetime.fromisoformat(text).replace(tzinfo=LONDON)

    if last_run:
        SweepRun.objects.create(day=at(last_run).date(), started_at=at(last_run))
    assert sweep_missed(at(now)) is missed
    assert latest_scheduled_sweep(at(now)) <= at(now)


def test_the_outbox_flush_runs_a_missed_sweep_and_sends_what_waits(requests, people):
    Notification.objects.create(
        user=people["police"],
        partnership=requests["police"].partnership,
        kind="contribution_request",
        item_key=f"contribution:{requests['police'].pk}",
        due_on=requests["police"].due_date,
        stage="new",
        title="Violence data",
        url="/my-requests/",
    )
    result = flush_outbox.delay().get()
    assert result["swept"] is not None and SweepRun.objects.count() == 1
    assert Notification.objects.get(stage="new").status == DeliveryStatus.SENT
    assert flush_outbox.delay().get()["swept"] is None  # the sweep ran since its scheduled time


def test_an_invitation_whose_task_was_lost_goes_with_a_fresh_link(
    partnership, coordinator, settings
):
    settings.CSP_SITE_URL = "https://csp.example"
    invitation_create(  # no on-commit callbacks run: as if the broker had been down
        acting_user=coordinator,
        partnership=partnership,
        email="new@example.org",
        full_name="New Person",
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership),
        accept_url=lambda token: f"https://csp.example/account/invitations/{token}/",
    )
    invitation = Invitation.objects.get()
    old_hash = invitation.token_hash
    assert flush_outbox.delay().get()["invitations"] == 0  # within the grace period
    Invitation.objects.update(created_at=invitation.created_at - timedelta(hours=1))

    assert flush_outbox.delay().get()["invitations"] == 1
    assert flush_outbox.delay().get()["invitations"] == 0
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
    assert "https://csp.example/account/invitations/" in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.token_hash != old_hash


def test_the_benchmark_command_runs_and_rolls_back(db):
    out = StringIO()
    call_command(
        "benchmark_reminders", "--partnerships", "3", "--lookup", "/nonexistent.csv", stdout=out
    )
    text = out.getvalue()
    assert "Sweep:" in text and "emails/s" in text and "rolled back" in text
    assert "Second sweep:" in text and "0 rows written, 0 emails sent" in text
    assert "Each email once: yes" in text
    assert not Notification.objects.exists() and not SweepRun.objects.exists()
