"""A real Celery worker on the real Redis broker makes the plan's PDF (tests/test_worker.py does
the same for the invitation email)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from csp_portal.celery import app
from plans.models import DocumentKind, DocumentStatus, PlanDocument
from plans.selectors.documents import PENDING, document_for
from tests.conftest import signed_in
from tests.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[2]

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
        # The worker keeps the file where this test's settings look for it.
        "CSP_MEDIA_ROOT": str(settings.MEDIA_ROOT),
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
    yield process
    process.terminate()
    process.wait(timeout=20)
    app.conf.task_default_queue = "celery"


def test_the_plan_pdf_is_made_by_a_real_worker(worker, published_plan, coordinator):
    # The worker is up before the plan is approved and published, and each commit queues its
    # renders on the broker: nobody has to ask for them.
    client = signed_in(coordinator)
    kwargs = {
        "partnership_slug": published_plan.partnership.slug,
        "plan_id": published_plan.pk,
        "kind": "plan",
    }

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and PlanDocument.objects.filter(status__in=PENDING):
        time.sleep(0.25)

    document = document_for(plan=published_plan, kind=DocumentKind.PLAN)
    assert document.status == DocumentStatus.READY, document.error
    assert client.get(reverse("plans:plan_document_status", kwargs=kwargs)).json()["status"] == (
        "ready"
    )
    pdf = read_pdf(client.get(reverse("plans:plan_document_download", kwargs=kwargs)).content)
    assert pdf.tagged
    assert pdf.title == "Partnership plan 2027 to 2030"
    assert pdf.pages == document.pages
    assert "Patrol hotspots" in pdf.text
