"""A real Celery worker on the real Redis broker delivers the invitation email."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from csp_portal.celery import app
from partnerships.models import Invitation, Role
from partnerships.services import invitation_create
from tests.factories import organisation_in

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.real_worker


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, transactional_db):
    assert settings.REDIS_URL.startswith("redis://"), "make test runs this with REDIS_URL set"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "CSP_VAR_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "csp_portal",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    yield tmp_path / "mail"
    process.terminate()
    process.wait(timeout=20)
    app.conf.task_default_queue = "celery"


def test_the_invitation_email_is_sent_by_a_real_worker(worker, partnership, coordinator):
    invitation_create(
        acting_user=coordinator,
        partnership=partnership,
        email="worker.test@example.org",
        full_name="Worker Test",
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership),
        accept_url=lambda token: f"http://portal.example/account/invitations/{token}/",
    )

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Invitation.objects.filter(sent_at__isnull=False):
        time.sleep(0.25)

    sent = list(worker.glob("*.log"))
    assert len(sent) == 1
    message = sent[0].read_text()
    assert "To: worker.test@example.org" in message
    assert "http://portal.example/account/invitations/" in message
    assert Invitation.objects.get().sent_at is not None
