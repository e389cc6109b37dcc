"""Reminders with real components: a Celery worker subprocess on the real Redis broker (each test
run on its own queue, as tests/test_worker.py does), the test PostgreSQL database, and emails
written to files. The worker's email backend (tests/reminders/email_backends.WorkerBackend) can
be told to fail once or to hang, through files in its mail folder.

These tests commit their data (the worker reads it from another process), so they use
transactional test databases.
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from email import message_from_string, policy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import ContributionRequest
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from csp_portal.celery import app
from partnerships.models import Invitation, Role, Seat
from reminders.models import DeliveryStatus, Notification, SweepRun
from reminders.tasks import flush_outbox, sweep_reminders
from tests.conftest import signed_in
from tests.factories import member, organisation_in

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_worker]

# The worker believes what the settings say; these make it quick to retry and to take over.
WORKER_ENV = {
    "EMAIL_BACKEND": "tests.reminders.email_backends.WorkerBackend",
    "CSP_SITE_URL": "http://portal.example",
    "CSP_REMINDER_RETRY_SECONDS": "1",
    "CSP_REMINDER_CLAIM_TIMEOUT_SECONDS": "2",
    "CSP_UNSENT_EMAIL_GRACE_SECONDS": "0",
}


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """A worker subprocess consuming one queue, with its own var folder (its mail lands in
    ``mail``)."""

    def __init__(self, var_dir: Path, queue: str, **env):
        self.var_dir, self.queue = var_dir, queue
        self.mail = var_dir / "mail"
        self.mail.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            **WORKER_ENV,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CSP_VAR_DIR": str(var_dir),
            **env,
        }
        self.process = None

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "csp_portal",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "--loglevel=warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
        )
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def recipients(self) -> Counter:
        """How many emails each address got, across every file the backend wrote."""
        return Counter(
            address
            for path in self.mail.glob("*.log")
            for address in re.findall(r"^To: (\S+)$", path.read_text(), re.M)
        )

    def messages(self) -> str:
        return "\n".join(path.read_text() for path in self.mail.glob("*.log"))

    def subjects(self) -> list[str]:
        return [
            str(message_from_string(text.strip(), policy=policy.default)["Subject"]).strip()
            for text in self.messages().split("-" * 79)
            if text.strip()
        ]


@pytest.fixture(scope="module")
def queue():
    return f"test-reminders-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def shared_worker(django_db_setup, tmp_path_factory, queue):
    """One worker for the tests that need an ordinary one (starting one takes seconds)."""
    assert settings.REDIS_URL.startswith("redis://"), "make test runs this with REDIS_URL set"
    worker = Worker(tmp_path_factory.mktemp("worker"), queue).start()
    yield worker
    worker.stop()


@pytest.fixture
def real_broker(queue):
    """Tasks go to the real broker, on this module's queue, instead of running in-process."""
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    yield
    app.conf.task_default_queue = "celery"


@pytest.fixture
def mail_clean(shared_worker):
    for path in shared_worker.mail.iterdir():
        path.unlink()
    return shared_worker


def wait_for(condition, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def all_sent() -> bool:
    return not Notification.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    ).exists()


@pytest.fixture
def due(partnership, coordinator):
    """Against the real date (the worker does not know the tests' TODAY): police owe a request
    in five days, the fire service one that was due two days ago. Their announcements are sent
    in-process while the data is made (tasks run eagerly until ``real_broker``)."""
    police = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="police@x.org")
    chief = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE, email="chief@x.org")
    fire = member(partnership, Role.CONTRIBUTOR, seat=Seat.FIRE_AND_RESCUE, email="fire@x.org")
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2030
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    today = timezone.localdate()
    for seat, title, due_on in [
        (Seat.POLICE, "Violence data", today + timedelta(days=5)),
        (Seat.FIRE_AND_RESCUE, "Deliberate fires", today - timedelta(days=2)),
    ]:
        (request,) = contribution_services.contribution_requests_send(
            acting_user=coordinator,
            assessment=assessment,
            organisations=[organisation_in(partnership, seat)],
            title=title,
            questions="Q",
            data_requested="",
            due_date=today + timedelta(days=30),
        )
        ContributionRequest.objects.filter(pk=request.pk).update(due_date=due_on)
    Notification.objects.all().delete()
    return {"police": police, "chief": chief, "fire": fire, "coordinator": coordinator}


EXPECTED = {"police@x.org": 1, "chief@x.org": 1, "fire@x.org": 1, "coordinator@example.org": 1}


def test_a_real_worker_sweeps_and_sends_each_reminder_once(due, mail_clean, real_broker):
    sweep_reminders.apply_async()
    wait_for(lambda: Notification.objects.count() == 4 and all_sent())

    # A doubled sweep (beat and a person running it by hand) and a lost acknowledgement (the
    # same task again) send nothing more.
    sweep_reminders.apply_async()
    sweep_reminders.apply_async()
    # The outbox flush (beat, every minute) finds nothing left to send either.
    flush_outbox.apply_async()
    marker = sweep_reminders.apply_async()  # the queue is handled in order: wait past the flush
    wait_for(lambda: SweepRun.objects.count() >= 4)
    assert marker.id

    assert mail_clean.recipients() == EXPECTED
    subjects = mail_clean.subjects()
    assert "[Trafford] Due in 5 days: Violence data (Trafford Police)" in subjects
    assert "[Trafford] Overdue: Deliberate fires (Trafford Fire and rescue)" in subjects
    assert "http://portal.example/p/trafford/contributions/" in mail_clean.messages()


def test_a_failed_send_is_retried_by_the_worker_and_delivered_once(due, mail_clean, real_broker):
    (mail_clean.mail / "fail-next").write_text("")

    sweep_reminders.apply_async()
    wait_for(lambda: Notification.objects.count() == 4 and all_sent())

    assert mail_clean.recipients() == EXPECTED
    assert Notification.objects.filter(attempts=2).count() == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_worker_killed_mid_send_delivers_after_restart_without_duplicates(
    due, tmp_path, real_broker, queue
):
    # Workers of their own, on a queue of their own, whose broker hands an unacknowledged task
    # back after 3 seconds.
    app.conf.task_default_queue = own_queue = f"{queue}-kill"
    env = {"CSP_BROKER_VISIBILITY_TIMEOUT": "3"}
    first = Worker(tmp_path, own_queue, **env)
    (first.mail / "hang").write_text("")
    first.start()
    try:
        sweep_reminders.apply_async()
        wait_for(lambda: (first.mail / "hanging").exists())
        assert Notification.objects.filter(status=DeliveryStatus.SENDING).exists()
        first.kill()
    finally:
        first.stop()
    (first.mail / "hang").unlink()
    assert first.recipients() == Counter()

    time.sleep(3.5)  # the task's visibility timeout runs out while no worker holds it
    second = Worker(tmp_path, own_queue, **env).start()
    try:
        wait_for(lambda: all_sent(), timeout=60)
    finally:
        second.stop()

    assert first.recipients() == EXPECTED  # same mail folder: every email, once
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def _closed_broker():
    """Point this process's Celery at a port where nothing listens, failing fast."""
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.broker_connection_timeout = 1
    app.conf.broker_transport_options = {"socket_connect_timeout": 1, "max_retries": 0}
    _reset_pools()


def _reset_pools():
    """Forget the cached pools; kombu keeps one per broker address, so each address gets its
    own and the real broker's is still there afterwards."""
    app._pool = None
    app.amqp._producer_pool = None


def _real_broker_again(saved):
    app.conf.broker_url, app.conf.broker_connection_timeout = saved[:2]
    app.conf.broker_transport_options = saved[2]
    _reset_pools()


def test_with_redis_down_pages_work_and_nothing_is_lost(
    partnership, coordinator, mail_clean, real_broker
):
    police = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="police@x.org")
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2030
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    client = signed_in(coordinator)
    day = timezone.localdate() + timedelta(days=21)
    saved = (
        app.conf.broker_url,
        app.conf.broker_connection_timeout,
        app.conf.broker_transport_options,
    )
    _closed_broker()
    try:
        started = time.monotonic()
        asked = client.post(
            reverse(
                "assessments:request_contributions",
                kwargs={"partnership_slug": partnership.slug, "assessment_id": assessment.pk},
            ),
            {
                "organisations": [organisation_in(partnership, Seat.POLICE).pk],
                "title": "Violence data",
                "questions": "What changed?",
                "due_date_0": str(day.day),
                "due_date_1": str(day.month),
                "due_date_2": str(day.year),
            },
        )
        invited = client.post(
            reverse("partnerships:invite", kwargs={"partnership_slug": partnership.slug}),
            {
                "full_name": "Sam Patel",
                "email": "sam.patel@nhs.example",
                "role": Role.CONTRIBUTOR,
                "organisation": organisation_in(partnership, Seat.HEALTH).pk,
            },
        )
        elapsed = time.monotonic() - started
        assert client.get(reverse("reminders:list")).status_code == 200
    finally:
        _real_broker_again(saved)

    assert (asked.status_code, invited.status_code) == (302, 302)
    assert elapsed < 10
    # Nothing went, and nothing is lost: the announcement waits in the outbox, the invitation
    # waits unsent.
    waiting = Notification.objects.get(user=police)
    assert waiting.status == DeliveryStatus.PENDING and waiting.stage == "new"
    assert Invitation.objects.get().sent_at is None
    assert mail_clean.recipients() == Counter()

    # The broker is back: beat's next outbox flush sends both.
    flush_outbox.apply_async()
    wait_for(lambda: all_sent() and Invitation.objects.filter(sent_at__isnull=False).exists())

    assert mail_clean.recipients() == {"police@x.org": 1, "sam.patel@nhs.example": 1}
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.SENT
    invitation = Invitation.objects.get()
    assert invitation.sent_at is not None
    # The invitation went with a new link that works (only its hash is kept).
    token = re.search(
        r"http://portal\.example/account/invitations/([\w-]+)/", mail_clean.messages()
    ).group(1)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
