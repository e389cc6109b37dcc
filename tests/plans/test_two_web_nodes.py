"""The drill: two web nodes (gunicorn) and a Celery worker that share nothing but PostgreSQL,
Redis and the object store (each has its own media folder and var folder, left empty). The plan
PDF the worker makes is downloaded through either node; a document uploaded through one is read
through the other; the request id of a page's request follows its task into the worker's log
and its email."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import ContributionDocument, ContributionRequest
from assessments.services import assessments as assessment_services
from csp_portal.celery import app
from plans.models import DocumentKind, DocumentStatus, PlanDocument
from plans.selectors.documents import PENDING, document_for
from tests.conftest import signed_in
from tests.factories import organisation_in
from tests.object_store import bucket_keys, s3_environment
from tests.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.real_worker, pytest.mark.slow]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{url} exited"
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} was not ready in time")


@pytest.fixture
def nodes(tmp_path, transactional_db, s3_bucket, s3_endpoint):
    """Web nodes A and B and a worker, each with its own empty folders, started in parallel
    (and while the test's other fixtures build its records)."""
    assert settings.REDIS_URL.startswith("redis://"), "make test runs this with REDIS_URL set"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    shared = {
        **os.environ,
        **s3_environment(s3_endpoint, s3_bucket),
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CSP_LOG_FORMAT": "json",
        "CSP_CELERY_QUEUE": queue,
    }

    def own(name: str) -> dict[str, str]:
        folder = tmp_path / name
        (folder / "media").mkdir(parents=True)
        return {**shared, "CSP_VAR_DIR": str(folder), "CSP_MEDIA_ROOT": str(folder / "media")}

    processes, urls = [], {}
    log = (tmp_path / "worker.log").open("w")
    processes.append(
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "csp_portal", "worker", "--pool=solo",
             "-Q", queue, "--loglevel=info", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=own("worker"), stdout=log, stderr=subprocess.STDOUT,
        )
    )  # fmt: skip
    for name in ("a", "b"):
        port = _free_port()
        urls[name] = f"http://127.0.0.1:{port}"
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "csp_portal.wsgi:application",
                 "--config", "python:csp_portal.gunicorn", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1"],
                cwd=ROOT, env=own(name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip

    def wait_until_ready():  # called by the test once its records are built meanwhile
        for name, process in zip(("a", "b"), processes[1:], strict=True):
            _wait_until_ready(urls[name], process)

    yield urls, tmp_path, wait_until_ready
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=20)
    log.close()
    app.conf.task_default_queue = "celery"


def _session(user) -> requests.Session:
    """A browser session on the shared database: either node knows it."""
    client = signed_in(user)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return session


def test_two_web_nodes_and_a_worker_share_only_the_database_redis_and_the_object_store(
    nodes, published_plan, coordinator, police_officer, s3_bucket, s3_endpoint
):
    urls, folders, wait_until_ready = nodes
    wait_until_ready()
    coordinator_session = _session(coordinator)

    # The worker makes the plan PDF that publishing queued; both nodes serve it from the bucket.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and PlanDocument.objects.filter(status__in=PENDING):
        time.sleep(0.3)
    document = document_for(plan=published_plan, kind=DocumentKind.PLAN)
    assert document.status == DocumentStatus.READY, document.error
    path = reverse(
        "plans:plan_document_download",
        kwargs={
            "partnership_slug": published_plan.partnership.slug,
            "plan_id": published_plan.pk,
            "kind": "plan",
        },
    )
    served = [coordinator_session.get(urls[name] + path, timeout=30) for name in ("a", "b")]
    assert [response.status_code for response in served] == [200, 200]
    assert served[0].content == served[1].content
    assert read_pdf(served[0].content).title == "Partnership plan 2027 to 2030"

    # The coordinator asks the police for figures through A: the email goes from the worker,
    # under the id of A's request (in its log lines and in the email's X-Request-ID header).
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=published_plan.partnership, year_start=2031
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    police = organisation_in(published_plan.partnership, "police")
    csrf = secrets.token_hex(16)  # the form's token, as the cookie holds it
    coordinator_session.cookies.set(settings.CSRF_COOKIE_NAME, csrf)
    day = timezone.localdate() + timedelta(days=10)
    asked = coordinator_session.post(
        urls["a"]
        + reverse(
            "assessments:request_contributions",
            kwargs={"partnership_slug": published_plan.partnership.slug,
                    "assessment_id": assessment.pk},
        ),
        data={"csrfmiddlewaretoken": csrf, "organisations": [police.pk], "title": "Violence data",
              "questions": "What changed?", "due_date_0": day.day, "due_date_1": day.month,
              "due_date_2": day.year},
        allow_redirects=False,
        timeout=30,
    )  # fmt: skip
    assert asked.status_code == 302, asked.text[:500]
    asked_id = asked.headers["X-Request-ID"]
    request = ContributionRequest.objects.get(assessment=assessment)

    # The police officer uploads through A; the coordinator reads it through B.
    officer = _session(police_officer)
    officer.cookies.set(settings.CSRF_COOKIE_NAME, csrf)
    kwargs = {"partnership_slug": published_plan.partnership.slug, "contribution_id": request.pk}
    upload = officer.post(
        urls["a"] + reverse("assessments:document_add", kwargs=kwargs),
        data={"csrfmiddlewaretoken": csrf},
        files={"file": ("Figures.pdf", b"%PDF-1.7 uploaded through A", "application/pdf")},
        allow_redirects=False,
        timeout=30,
    )
    assert upload.status_code == 302, upload.text[:500]
    uploaded = ContributionDocument.objects.get(contribution=request)
    read = coordinator_session.get(
        urls["b"] + reverse("assessments:document", kwargs={**kwargs, "document_id": uploaded.pk}),
        timeout=30,
    )
    assert read.status_code == 200
    assert read.content == b"%PDF-1.7 uploaded through A"

    # Everything is in the bucket; nothing on any node's disk.
    keys = bucket_keys(s3_endpoint, s3_bucket)
    assert document.file.name in keys and uploaded.file.name in keys
    for node in ("a", "b", "worker"):
        assert not any((folders / node / "media").rglob("*.*")), node
    # The request id of A's request followed the task into the worker and into its email.
    worker_log = folders / "worker.log"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and f"X-Request-ID: {asked_id}" not in worker_log.read_text():
        time.sleep(0.3)
    lines = worker_log.read_text()
    assert f"X-Request-ID: {asked_id}" in lines
    assert f'"request_id": "{asked_id}"' in lines
