"""The review's documents (upload, access-checked and logged download) and its PDF exports."""

from datetime import timedelta

import pytest

from accounts.models import User
from reviews.models import AccessLogEntry, ReviewDocument
from reviews.services import evidence
from tests.conftest import signed_in
from tests.pdf import read_pdf

from .builders import (
    CHAIR_NAME,
    EVIDENCE_TO_PUBLISHED,
    TODAY,
    advance,
    pdf_upload,
    review_once_per_module,
    snapshot,
    url,
)

pytest_plugins = ["tests.reviews.builders"]
_review_world, partnership, coordinator, dhr, media_root = review_once_per_module()


def test_someone_with_access_attaches_a_document(dhr, coordinator_client):
    response = coordinator_client.post(
        url("documents", dhr),
        {"kind": "overview_report", "file": pdf_upload("Overview report.pdf")},
    )
    assert response.status_code == 302
    document = ReviewDocument.objects.get(review=dhr)
    assert (document.kind, document.original_name) == ("overview_report", "Overview report.pdf")
    # Stored under a random name, never the one it came with.
    assert "Overview" not in document.file.name and document.token in document.file.name


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("payload.exe", b"MZ\x90\x00", "The selected file must be a"),
        ("report.pdf", b"<html>not a pdf</html>", "The selected file is not a real PDF file"),
        ("big.pdf", b"%PDF-1.7 " + b"x" * 2048, "The selected file must be smaller than"),
    ],
    ids=["type", "content", "size"],
)
def test_a_document_of_a_disallowed_type_or_size_is_refused(
    dhr, coordinator_client, settings, name, body, message
):
    settings.CSP_UPLOAD_MAX_BYTES = 1024
    before, reads = snapshot(), AccessLogEntry.objects.count()
    response = coordinator_client.post(
        url("documents", dhr), {"kind": "other", "file": pdf_upload(name, body)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    # Showing the list again (with the error) is a read, and only that.
    assert AccessLogEntry.objects.count() == reads + 1
    assert snapshot() == before


def test_a_download_is_logged_and_never_cached(dhr, attached_document, coordinator):
    client = signed_in(coordinator)
    response = client.get(url("document_download", dhr, review_document_id=attached_document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 a report"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(
        review=dhr, user=coordinator, what="Document: Terms of reference.pdf"
    ).exists()


def test_a_document_of_another_review_is_not_found(dhr, coordinator, attached_document, police_org):
    from reviews.services import lifecycle

    other = lifecycle.review_notify(
        acting_user=coordinator,
        partnership=dhr.partnership,
        victim_pseudonym="Jo",
        death_month=TODAY - timedelta(days=20),
        notified_on=TODAY - timedelta(days=10),
        notified_by=police_org,
        aged_16_or_over=True,
    )
    client = signed_in(coordinator)
    response = client.get(url("document_download", other, review_document_id=attached_document.pk))
    assert response.status_code == 404


@pytest.fixture
def evidenced_review(
    dhr,
    coordinator,
    police_author,
    council_author,
    police_chronology,
    council_chronology,
    action_line,
):
    for user, agency_request, days_ago in [
        (police_author, police_chronology, 20),
        (police_author, police_chronology, 5),
        (council_author, council_chronology, 12),
    ]:
        evidence.chronology_entry_add(
            acting_user=user,
            agency_request=agency_request,
            occurred_on=TODAY - timedelta(days=days_ago),
            description="A contact.",
        )
    return dhr


def test_the_executive_summary_before_publication(evidenced_review, coordinator, police_org):
    dhr = evidenced_review
    client = signed_in(coordinator)
    response = client.get(url("export", dhr, export="executive-summary"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    pdf = read_pdf(response.content)
    assert pdf.tagged and pdf.lang == "en" and pdf.pdfua_part == "1"
    assert pdf.pages > 1
    assert all("OFFICIAL-SENSITIVE" in page for page in pdf.page_texts)
    assert dhr.reference in pdf.text and "Adult Q" in pdf.text and "Person R" in pdf.text
    assert "The criteria are met" in pdf.text and "Contact with Adult Q" in pdf.text
    assert f"{police_org.name} 2 " in pdf.text  # two entries from the police
    assert "Share risk assessments" in pdf.text
    for full_name in User.objects.values_list("full_name", flat=True):
        assert full_name not in pdf.text
    assert CHAIR_NAME not in pdf.text
    assert AccessLogEntry.objects.filter(
        review=dhr, user=coordinator, what="Export: Executive summary (PDF)"
    ).exists()


def test_the_executive_summary_after_publication_is_not_marked(evidenced_review, coordinator):
    dhr = advance(evidenced_review, coordinator, EVIDENCE_TO_PUBLISHED)
    response = signed_in(coordinator).get(url("export", dhr, export="executive-summary"))
    pdf = read_pdf(response.content)
    assert "OFFICIAL-SENSITIVE" not in pdf.text
    assert dhr.reference in pdf.text and "Published on" in pdf.text


def test_the_action_plan_pdf_has_the_recommendations(evidenced_review, coordinator, council_org):
    dhr = evidenced_review
    response = signed_in(coordinator).get(url("export", dhr, export="action-plan"))
    assert response.status_code == 200
    pdf = read_pdf(response.content)
    assert pdf.tagged and pdf.lang == "en"
    assert all("OFFICIAL-SENSITIVE" in page for page in pdf.page_texts)
    assert "Share risk assessments" in pdf.text
    assert "Add the council's housing team" in pdf.text and council_org.name in pdf.text
    assert AccessLogEntry.objects.filter(review=dhr, what="Export: Action plan (PDF)").exists()


def test_an_unknown_export_is_not_found(dhr, coordinator_client):
    before = snapshot()
    assert coordinator_client.get(url("export", dhr, export="overview")).status_code == 404
    assert snapshot() == before


def test_the_review_page_links_the_exports_and_documents(
    dhr, attached_document, coordinator_client
):
    page = coordinator_client.get(url("detail", dhr)).content.decode()
    assert url("export", dhr, export="executive-summary") in page
    assert url("export", dhr, export="action-plan") in page
    assert url("document_download", dhr, review_document_id=attached_document.pk) in page
    assert "/media/" not in page
