"""Plan PDFs heal by themselves: a render lost to a killed worker or to a broker outage is queued
again by the heal that beat runs every minute, and a ready document whose file has gone (the
database restored without its media) is made again instead of failing the page."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import DocumentKind, DocumentStatus, PlanDocument
from plans.selectors.documents import document_for
from plans.services import documents as document_services
from plans.tasks import heal_plan_documents
from tests.conftest import signed_in
from tests.pdf import read_pdf

from .conftest import worker_makes

pytestmark = pytest.mark.django_db


def document_url(name, plan, kind=DocumentKind.PLAN):
    return reverse(
        f"plans:{name}",
        kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk, "kind": kind},
    )


def pdf_url(plan):
    return reverse("plans:public_summary_pdf", kwargs={"slug": plan.partnership.slug})


def lost(plan, status, minutes, kind=DocumentKind.PLAN) -> PlanDocument:
    """Publication queued the document; make it look ``status`` for ``minutes``."""
    since = timezone.now() - timedelta(minutes=minutes)
    plan.refresh_from_db()
    document = document_for(plan=plan, kind=kind)
    if status == DocumentStatus.RENDERING:
        PlanDocument.objects.filter(pk=document.pk).update(status=status, started_at=since)
    else:
        PlanDocument.objects.filter(pk=document.pk).update(requested_at=since)
    return document


@pytest.fixture
def queued(monkeypatch):
    """The broker: holds what is queued, for the test to play the worker."""
    held = []
    monkeypatch.setattr(
        document_services.render_plan_document,
        "apply_async",
        lambda args, **options: held.append(args[0]),
    )
    return held


def heal(capture):
    with capture(execute=True):
        return heal_plan_documents.delay().get()


@pytest.mark.parametrize(
    ("status", "minutes"),
    [(DocumentStatus.RENDERING, 11), (DocumentStatus.QUEUED, 6)],
    ids=["worker-killed-mid-render", "task-never-reached-the-broker"],
)
def test_a_lost_render_is_queued_again_and_made(
    published_plan, status, minutes, django_capture_on_commit_callbacks, caplog
):
    document = lost(published_plan, status, minutes)

    with caplog.at_level(logging.WARNING, logger="plans.services.documents"):
        assert heal(django_capture_on_commit_callbacks) == 1

    document.refresh_from_db()
    assert (document.status, document.requeued) == (DocumentStatus.READY, 1)
    assert read_pdf(document.file.read()).page_texts
    (line,) = [r.getMessage() for r in caplog.records if r.name == "plans.services.documents"]
    assert f"Plan document {document.pk} was {status} for too long" in line


@pytest.mark.parametrize(
    ("status", "minutes"), [(DocumentStatus.RENDERING, 9), (DocumentStatus.QUEUED, 4)]
)
def test_a_render_within_its_time_is_left_alone(
    published_plan, status, minutes, queued, django_capture_on_commit_callbacks
):
    document = lost(published_plan, status, minutes)

    assert heal(django_capture_on_commit_callbacks) == 0

    assert queued == []
    document.refresh_from_db()
    assert (document.status, document.requeued) == (status, 0)


def test_a_lost_render_of_an_earlier_state_of_the_plan_is_left_alone(
    published_plan, queued, django_capture_on_commit_callbacks
):
    # Approval queued the plan's PDF; publication moved the plan on and queued another.
    earlier = PlanDocument.objects.filter(plan=published_plan, kind=DocumentKind.PLAN).earliest(
        "content_revision"
    )
    assert earlier.content_revision < published_plan.content_revision
    PlanDocument.objects.filter(pk=earlier.pk).update(
        requested_at=timezone.now() - timedelta(hours=1)
    )

    assert heal(django_capture_on_commit_callbacks) == 0
    assert queued == []


def test_two_heals_queue_a_lost_render_once(
    published_plan, queued, django_capture_on_commit_callbacks
):
    document = lost(published_plan, DocumentStatus.RENDERING, 30)
    stale_view = PlanDocument.objects.get(pk=document.pk)

    assert heal(django_capture_on_commit_callbacks) == 1
    assert heal(django_capture_on_commit_callbacks) == 0
    # A heal that read the row before the first claimed it changes nothing either.
    assert document_services._heal(stale_view) is False

    assert queued == [document.pk]
    document.refresh_from_db()
    assert (document.status, document.requeued) == (DocumentStatus.QUEUED, 1)


def test_a_render_lost_again_and_again_ends_failed_for_a_person_to_retry(
    published_plan, coordinator, queued, settings, django_capture_on_commit_callbacks
):
    # Each render dies at once (a document that kills its worker), after the plan's publication.
    settings.CSP_DOCUMENT_REQUEUE_LIMIT, settings.CSP_DOCUMENT_RENDERING_MINUTES = 2, 0
    document = lost(published_plan, DocumentStatus.RENDERING, 0)
    for _ in range(2):
        assert heal(django_capture_on_commit_callbacks) == 1
        PlanDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.RENDERING, started_at=timezone.now()
        )

    assert heal(django_capture_on_commit_callbacks) == 0

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert len(queued) == 2
    client = signed_in(coordinator)
    page = client.get(document_url("plan_document", published_plan))
    assert "Failed" in page.text and "Try again" in page.text
    # Trying again starts the count afresh.
    client.post(document_url("plan_document", published_plan))
    document.refresh_from_db()
    assert (document.status, document.requeued) == (DocumentStatus.QUEUED, 0)


def test_a_ready_document_whose_file_is_gone_is_made_again_not_a_500(
    published_plan, coordinator, django_capture_on_commit_callbacks, caplog
):
    document = worker_makes(published_plan)
    document.file.storage.delete(document.file.name)  # restored without the media folder
    client = signed_in(coordinator)

    with (
        caplog.at_level(logging.WARNING, logger="plans.services.documents"),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        download = client.get(document_url("plan_document_download", published_plan))
        page = client.get(document_url("plan_document", published_plan))
        status = client.get(document_url("plan_document_status", published_plan)).json()

    assert download.status_code == 302
    assert download["Location"] == document_url("plan_document", published_plan)
    assert page.status_code == 200
    assert "Waiting to start" in page.text and "download the partnership plan" not in page.text
    assert (status["status"], status["pending"]) == ("queued", True)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "plans.services.documents"]
    assert "is ready but its file" in line and "making it again" in line

    for callback in callbacks:  # the worker makes it
        callback()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    pdf = client.get(document_url("plan_document_download", published_plan))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_public_summary_pdf_whose_file_is_gone_is_prepared_again(
    client, published_plan, django_capture_on_commit_callbacks
):
    document = worker_makes(published_plan, DocumentKind.SUMMARY)
    assert client.get(pdf_url(published_plan)).status_code == 200
    document.file.storage.delete(document.file.name)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(pdf_url(published_plan))
        summary_page = client.get(
            reverse("plans:public_summary", kwargs={"slug": published_plan.partnership.slug})
        )

    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert "The document is being prepared" in response.text
    assert summary_page.status_code == 200

    for callback in callbacks:
        callback()
    response = client.get(pdf_url(published_plan))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
