"""Sending from the outbox: once per row, retried with backoff, never twice however many senders
run at once; each person's choice of immediate emails or a daily digest; what an email says."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from assessments.models import ContributionRequest
from assessments.services import contributions as contribution_services
from partnerships.models import Seat
from reminders.models import DeliveryStatus, Frequency, Notification
from reminders.outbox import claim, digests_send, outbox_send
from reminders.services import email_preference_update
from reminders.sweep import reminders_sweep
from tests.factories import organisation_in

from .conftest import TODAY, sent_to, stage_of
from .email_backends import DownBackend, FlakyBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.reminders.email_backends.FlakyBackend"
    settings.REMINDERS_RETRY_SECONDS = 60
    yield FlakyBackend
    FlakyBackend.failures = 0


def make_ready(**filters) -> None:
    """As if the backoff had passed."""
    Notification.objects.filter(**filters).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_failed_email_is_retried_after_a_backoff_and_delivered_once(requests, people, flaky):
    reminders_sweep(today=TODAY)
    flaky.failures = 1

    first = outbox_send(today=TODAY)
    assert first.deferred == 1 and first.sent == 3
    waiting = Notification.objects.get(status=DeliveryStatus.PENDING)
    assert waiting.attempts == 1 and "451" in waiting.last_error
    assert 55 <= (waiting.next_attempt_at - timezone.now()).total_seconds() <= 60

    assert outbox_send(today=TODAY).sent == 0  # not before its time
    make_ready(pk=waiting.pk)
    assert outbox_send(today=TODAY).sent == 1
    assert outbox_send(today=TODAY).sent == 0
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.SENT and waiting.attempts == 2
    assert len(sent_to(waiting.user.email)) == 1
    assert len(mail.outbox) == 4


def test_with_the_mail_server_down_the_batch_waits_after_one_try(requests, people, settings):
    settings.EMAIL_BACKEND = "tests.reminders.email_backends.DownBackend"
    DownBackend.calls = 0
    reminders_sweep(today=TODAY)

    result = outbox_send(today=TODAY)

    assert DownBackend.calls == 1  # not one timeout per email
    assert result.deferred == 4 and result.sent == 0
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


def test_the_backoff_doubles_and_the_outbox_gives_up_in_the_end(requests, people, flaky, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 3
    reminders_sweep(today=TODAY)
    Notification.objects.exclude(user=people["fire"]).delete()
    flaky.failures = 10
    waits = []
    for _attempt in range(3):
        outbox_send(today=TODAY)
        row = Notification.objects.get()
        waits.append(round((row.next_attempt_at - timezone.now()).total_seconds() / 60))
        make_ready()
    assert waits[:2] == [1, 2]
    assert row.status == DeliveryStatus.FAILED and row.attempts == 3
    assert outbox_send(today=TODAY).claimed == 0
    assert mail.outbox == []


def test_a_sender_that_died_mid_send_is_taken_over_after_the_claim_timeout(
    requests, people, settings
):
    reminders_sweep(today=TODAY)
    _token, claimed = claim(frequency=Frequency.IMMEDIATE)  # …and the process dies here
    assert len(claimed) == 4
    assert outbox_send(today=TODAY).claimed == 0  # still someone else's

    Notification.objects.update(
        claimed_at=timezone.now() - timedelta(seconds=settings.REMINDERS_CLAIM_TIMEOUT_SECONDS + 1)
    )
    assert outbox_send(today=TODAY).sent == 4
    assert len(mail.outbox) == 4


def test_after_an_outage_only_the_latest_stage_of_an_item_goes(requests, people):
    police = requests["police"]
    # Nothing was sent for a week: the 14-day and the 7-day reminders both wait.
    reminders_sweep(today=police.due_date - timedelta(days=14))
    reminders_sweep(today=police.due_date - timedelta(days=7))
    outbox_send(today=TODAY)
    assert [stage_of(m.subject) for m in sent_to("police@x.org")] == ["Due in 7 days"]
    assert Notification.objects.get(user=people["police"], stage="14").status == (
        DeliveryStatus.COVERED
    )


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_and_senders_at_once_send_each_reminder_once(requests, people):
    start = threading.Barrier(2)
    errors = []

    def sweep_and_send():
        try:
            start.wait(timeout=10)
            reminders_sweep(today=TODAY)
            outbox_send(today=TODAY, limit=1)  # small batches, so the senders interleave
            outbox_send(today=TODAY)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep_and_send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        ["police@x.org", "chief@x.org", "fire@x.org", "coordinator@example.org"]
    )
    assert Notification.objects.filter(status=DeliveryStatus.SENT).count() == 4


# Immediate or daily -------------------------------------------------------------------------------


def test_a_person_who_chose_the_daily_digest_gets_one_email_a_day(requests, people):
    email_preference_update(acting_user=people["police"], frequency=Frequency.DAILY)
    reminders_sweep(today=TODAY)
    reminders_sweep(today=TODAY + timedelta(days=6))  # the request is due tomorrow: stage 1

    outbox_send(today=TODAY)
    assert sent_to("police@x.org") == []
    assert sent_to("chief@x.org")  # who did not choose the digest

    assert digests_send(today=TODAY).emails == 1
    assert digests_send(today=TODAY).emails == 0
    (digest,) = sent_to("police@x.org")
    assert "Your CSP Portal reminders" in digest.subject
    # The later stage of the same item replaced the earlier one.
    assert digest.body.count("Violence data") == 1
    assert "Due in 7 days" in digest.body


def test_the_digest_leaves_out_what_is_no_longer_due(requests, people, coordinator):
    email_preference_update(acting_user=people["fire"], frequency=Frequency.DAILY)
    reminders_sweep(today=TODAY)
    contribution_services.contribution_withdraw(
        acting_user=coordinator, contribution=requests["fire"]
    )
    assert digests_send(today=TODAY).emails == 0
    assert sent_to("fire@x.org") == []


# What an email says ------------------------------------------------------------------------------


def test_an_email_says_only_the_title_partnership_due_date_and_link(requests, people, settings):
    settings.CSP_SITE_URL = "https://csp.example"
    request = requests["police"]
    ContributionRequest.objects.filter(pk=request.pk).update(
        questions="Confidential question text", answer="Draft answer text"
    )
    reminders_sweep(today=TODAY)
    outbox_send(today=TODAY)

    (message,) = sent_to("police@x.org")
    assert message.subject == "[Trafford] Due in 7 days: Violence data (Trafford Police)"
    link = f"https://csp.example/p/trafford/contributions/{request.pk}/"
    for body in (message.body, message.alternatives[0][0]):
        assert "Violence data (Trafford Police)" in body
        assert "Trafford" in body
        assert request.due_date.strftime("%-d %B %Y") in body
        assert link in body
        assert "https://csp.example/notifications/settings/" in body
        assert "Confidential" not in body and "Draft answer" not in body
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["Message-ID"].startswith("<reminder.")


def test_a_title_with_a_line_break_is_still_sent_with_a_one_line_subject(requests, people):
    """Data stored before titles refused control characters must not stop a reminder (a
    subject with CR/LF raises BadHeaderError): the subject is put on one line."""
    ContributionRequest.objects.filter(pk=requests["police"].pk).update(
        title="Violence\r\nBcc: everyone@example.org\x07 data"
    )
    reminders_sweep(today=TODAY)

    result = outbox_send(today=TODAY)

    (message,) = sent_to("police@x.org")
    assert message.subject == (
        "[Trafford] Due in 7 days: Violence Bcc: everyone@example.org data (Trafford Police)"
    )
    assert result.sent == 4 and result.deferred == 0
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_new_request_is_announced_through_the_outbox_and_shows_in_the_app(
    open_assessment, coordinator, partnership, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution_services.contribution_requests_send(
            acting_user=coordinator,
            assessment=open_assessment,
            organisations=[organisation_in(partnership, Seat.POLICE)],
            title="Stop and search",
            questions="How many?",
            data_requested="",
            due_date=timezone.localdate() + timedelta(days=10),
            link="https://csp.example/my-requests/",
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["chief@x.org", "police@x.org"]
    assert (
        mail.outbox[0].subject
        == "[Trafford] Contribution request: Stop and search (Trafford Police)"
    )
    new = Notification.objects.filter(stage="new")
    assert {row.status for row in new} == {DeliveryStatus.SENT}
    assert {row.url for row in new} == {"https://csp.example/my-requests/"}

    # The announcement covers the 14-day reminder: the sweep the same day adds nothing to send.
    mail.outbox.clear()
    reminders_sweep()
    outbox_send()
    assert mail.outbox == []


def test_the_outbox_rows_commit_with_the_request_or_not_at_all(
    open_assessment, coordinator, partnership, people
):
    with pytest.raises(RuntimeError):  # noqa: SIM117 - the error must leave the transaction
        with transaction.atomic():
            contribution_services.contribution_requests_send(
                acting_user=coordinator,
                assessment=open_assessment,
                organisations=[organisation_in(partnership, Seat.POLICE)],
                title="Stop and search",
                questions="How many?",
                data_requested="",
                due_date=timezone.localdate() + timedelta(days=10),
            )
            assert Notification.objects.filter(stage="new").count() == 2
            raise RuntimeError
    assert Notification.objects.count() == 0


def test_a_reminder_links_to_the_address_the_demo_runs_on(requests, people, settings):
    settings.CSP_SITE_URL = "http://127.0.0.1:8101"  # as `make run PORT=8101` sets it
    reminders_sweep(today=TODAY)
    outbox_send(today=TODAY)

    (message,) = sent_to("police@x.org")
    links = [word for word in message.body.split() if "://" in word]
    assert links and all(link.startswith("http://127.0.0.1:8101/") for link in links)
