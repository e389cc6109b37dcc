"""Queuing on commit never crashes a page or a command, whatever the broker does: the work waits
in the database for the periodic flush. The file-system broker that `make run` uses without
Redis has its folders made where they are configured."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from kombu.messaging import Producer

from csp_portal.celery import app
from partnerships.models import Invitation, Role, Seat
from reminders.tasks import flush_outbox
from tests.factories import organisation_in

ROOT = Path(__file__).resolve().parents[1]


def _file_system_broker_without_its_folder(tmp_path, monkeypatch):
    """A fresh checkout before anything made var/broker: the transport's folder is missing."""
    missing = tmp_path / "var" / "broker"
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {
        "data_folder_in": str(missing),
        "data_folder_out": str(missing),
    }


def _broker_that_raises_something_unheard_of(tmp_path, monkeypatch):
    def publish(self, *args, **kwargs):
        raise RuntimeError("the broker fell over in a new way")

    monkeypatch.setattr(Producer, "publish", publish)


@pytest.mark.parametrize(
    "broken_broker",
    [_file_system_broker_without_its_folder, _broker_that_raises_something_unheard_of],
    ids=["missing-broker-folder", "anything-else"],
)
def test_the_page_answers_and_the_flush_sends_what_could_not_be_queued(
    broken_broker,
    partnership,
    coordinator_client,
    tmp_path,
    monkeypatch,
    caplog,
    settings,
    django_capture_on_commit_callbacks,
):
    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    with monkeypatch.context() as broker:
        # Tasks go to the broker instead of running here; kombu's pools are forgotten before
        # and after, so that this broker is the one used, and then the real one again.
        app.conf.task_always_eager = False
        app._pool = app.amqp._producer_pool = None
        broken_broker(tmp_path, broker)
        with (
            caplog.at_level(logging.WARNING, logger="csp_portal.queue"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = coordinator_client.post(
                reverse("partnerships:invite", kwargs={"partnership_slug": partnership.slug}),
                {
                    "full_name": "Sam Patel",
                    "email": "sam.patel@nhs.example",
                    "role": Role.CONTRIBUTOR,
                    "organisation": organisation_in(partnership, Seat.HEALTH).pk,
                },
            )
    app.conf.broker_url, app.conf.broker_transport_options = saved
    app._pool = app.amqp._producer_pool = None
    app.conf.task_always_eager = True

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None and mail.outbox == []
    # One line, naming the task and what went wrong; no traceback.
    (record,) = [r for r in caplog.records if r.name == "csp_portal.queue"]
    assert "partnerships.tasks.send_invitation" in record.getMessage()
    assert record.exc_info is None

    # Beat's next flush sends it.
    settings.CSP_UNSENT_EMAIL_GRACE_SECONDS = 0
    flush_outbox.delay()
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert [message.to for message in mail.outbox] == [["sam.patel@nhs.example"]]


def test_without_redis_the_broker_folders_are_made_where_configured(tmp_path):
    """What `manage.py seed_demo` does on a fresh checkout: queue a task with no var/ yet."""
    var = tmp_path / "var"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}},
        "CSP_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
    }
    code = (
        "import django; django.setup()\n"
        "from csp_portal.queue import enqueue\n"
        "from reminders.tasks import flush_outbox\n"
        "print(enqueue(flush_outbox))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout.strip()) == (0, "True"), done.stderr
    assert len(list((var / "broker").glob("*.msg"))) == 1
    assert (var / "broker" / "control").is_dir()
