"""Agency requests, their answers by the agencies' named authors, and the combined chronology."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from reviews.models import AccessGrant, AccessLogEntry, AgencyRequest, ChronologyEntry
from reviews.services import action_plan, evidence, lifecycle
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, member

from .builders import (
    TODAY,
    pdf_upload,
    review_once_per_module,
    snapshot,
    url,
)

pytest_plugins = ["tests.reviews.builders"]
_review_world, partnership, coordinator, dhr, media_root = review_once_per_module()


def _date(prefix: str, value) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def test_a_coordinator_with_access_asks_an_agency_for_its_chronology(
    dhr, coordinator, coordinator_client, police_org
):
    due = TODAY + timedelta(days=21)
    response = coordinator_client.post(
        url("agency_request_create", dhr),
        {"organisation": police_org.pk, "kind": "chronology", **_date("due_date", due)},
    )

    assert response.status_code == 302
    agency_request = AgencyRequest.objects.get(review=dhr)
    assert (agency_request.organisation, agency_request.kind) == (police_org, "chronology")
    assert agency_request.due_date == due and agency_request.requested_by == coordinator
    event = AuditEvent.objects.get(action="review.agency_request")
    assert event.object_id == str(dhr.pk)
    assert coordinator.full_name not in str(event.changes)
    page = coordinator_client.get(url("detail", dhr)).content.decode()
    assert police_org.name in page and "Awaited" in page


def test_a_request_to_an_organisation_outside_the_partnership_is_refused(
    dhr, coordinator, coordinator_client
):
    outsider = OrganisationFactory(name="Elsewhere Police")
    before = snapshot()

    response = coordinator_client.post(
        url("agency_request_create", dhr),
        {
            "organisation": outsider.pk,
            "kind": "chronology",
            **_date("due_date", TODAY + timedelta(days=7)),
        },
    )
    assert response.status_code == 400
    assert "Choose an organisation that sits on this partnership" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        evidence.agency_request_create(
            acting_user=coordinator,
            review=dhr,
            organisation=outsider,
            kind="chronology",
            due_date=TODAY + timedelta(days=7),
        )
    assert "organisation" in refused.value.message_dict
    assert snapshot() == before


def test_a_due_date_in_the_past_is_refused(dhr, coordinator_client, police_org):
    before = snapshot()
    response = coordinator_client.post(
        url("agency_request_create", dhr),
        {
            "organisation": police_org.pk,
            "kind": "imr",
            **_date("due_date", TODAY - timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "The due date must be today or in the future" in response.content.decode()
    assert snapshot() == before


def test_only_a_coordinator_asks_agencies(dhr, coordinator, police_org, police_author):
    # An author holds access but is not a coordinator: the page is not there for them.
    client = signed_in(police_author)
    before = snapshot()
    assert client.get(url("agency_request_create", dhr)).status_code == 404
    with pytest.raises(PermissionDenied):
        evidence.agency_request_create(
            acting_user=police_author,
            review=dhr,
            organisation=police_org,
            kind="chronology",
            due_date=TODAY + timedelta(days=7),
        )
    assert snapshot() == before


def test_the_author_answers_their_agencys_chronology_and_submits_it(
    dhr, police_chronology, police_author
):
    client = signed_in(police_author)
    page = client.get(url("agency_request", dhr, request_id=police_chronology.pk))
    assert page.status_code == 200 and b"Add an entry" in page.content

    response = client.post(
        url("chronology_entry_add", dhr, request_id=police_chronology.pk),
        {"description": "Called to a disturbance.", **_date("occurred_on", TODAY)},
    )
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get(request=police_chronology)
    assert entry.recorded_by == police_author and entry.occurred_on == TODAY
    assert AuditEvent.objects.filter(action="review.chronology_entry_add").count() == 1

    response = client.post(url("agency_request_submit", dhr, request_id=police_chronology.pk))
    assert response.status_code == 302
    police_chronology.refresh_from_db()
    assert police_chronology.submitted_at is not None
    # Submitted: no more entries.
    with pytest.raises(ValidationError):
        evidence.chronology_entry_add(
            acting_user=police_author,
            agency_request=police_chronology,
            occurred_on=TODAY,
            description="Late addition.",
        )


def test_an_entry_dated_in_the_future_is_refused(dhr, police_chronology, police_author):
    before = snapshot()
    response = signed_in(police_author).post(
        url("chronology_entry_add", dhr, request_id=police_chronology.pk),
        {"description": "Tomorrow.", **_date("occurred_on", TODAY + timedelta(days=1))},
    )
    assert response.status_code == 400
    assert "The date must be today or in the past" in response.content.decode()
    assert snapshot() == before


def test_the_author_uploads_the_imr_and_submits_it(dhr, police_imr, police_author):
    client = signed_in(police_author)
    with_upload = client.post(
        url("imr_upload", dhr, request_id=police_imr.pk),
        {"file": _pdf("Police IMR.pdf")},
    )
    assert with_upload.status_code == 302
    (document,) = police_imr.documents.all()
    assert (document.kind, document.original_name) == ("imr", "Police IMR.pdf")
    assert document.file.name == f"reviews/{dhr.pk}/{document.token}"
    submitted = client.post(url("agency_request_submit", dhr, request_id=police_imr.pk))
    assert submitted.status_code == 302
    police_imr.refresh_from_db()
    assert police_imr.submitted_at is not None


def test_submitting_an_empty_chronology_is_refused(dhr, police_chronology, police_author):
    before = snapshot()
    response = signed_in(police_author).post(
        url("agency_request_submit", dhr, request_id=police_chronology.pk)
    )
    assert response.status_code == 400
    assert "Add at least one entry before submitting." in response.content.decode()
    assert snapshot() == before


def test_an_author_of_another_agency_cannot_answer_this_agencys_request(
    dhr, police_chronology, police_imr, council_author, coordinator
):
    """Every page that writes it, and the page that shows it, is not there for them."""
    client = signed_in(council_author)
    before = snapshot()
    write_urls = [
        url("chronology_entry_add", dhr, request_id=police_chronology.pk),
        url("agency_request_submit", dhr, request_id=police_chronology.pk),
        url("imr_upload", dhr, request_id=police_imr.pk),
    ]
    for write_url in write_urls:
        assert client.get(write_url).status_code == 404
        response = client.post(
            write_url,
            {"description": "Not ours.", "file": _pdf(), **_date("occurred_on", TODAY)},
        )
        assert response.status_code == 404
    for acting_user in (council_author, coordinator):
        with pytest.raises(PermissionDenied):
            evidence.chronology_entry_add(
                acting_user=acting_user,
                agency_request=police_chronology,
                occurred_on=TODAY,
                description="Not ours.",
            )
        with pytest.raises(PermissionDenied):
            evidence.agency_request_submit(acting_user=acting_user, agency_request=police_imr)
    assert snapshot() == before
    # Nor do they read it: an agency author reads their own organisation's requests only.
    assert (
        client.get(url("agency_request", dhr, request_id=police_chronology.pk)).status_code == 404
    )


def test_a_member_of_the_agency_without_an_authors_grant_cannot_answer(
    dhr, coordinator, police_chronology
):
    panel_member = member(dhr.partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE)
    lifecycle.access_grant(
        acting_user=coordinator, review=dhr, user=panel_member, reason=AccessGrant.Reason.PANEL
    )
    before = snapshot()
    client = signed_in(panel_member)
    entry_url = url("chronology_entry_add", dhr, request_id=police_chronology.pk)
    response = client.post(entry_url, {"description": "x", **_date("occurred_on", TODAY)})
    assert response.status_code == 404
    assert client.get(entry_url).status_code == 404
    assert snapshot() == before


def test_the_combined_chronology_merges_agencies_in_date_order_and_its_read_is_logged(
    dhr, police_chronology, council_chronology, police_author, council_author, coordinator
):
    for user, agency_request, days_ago, text in [
        (police_author, police_chronology, 3, "Police third"),
        (council_author, council_chronology, 10, "Council first"),
        (police_author, police_chronology, 7, "Police second"),
        (council_author, council_chronology, 1, "Council fourth"),
    ]:
        evidence.chronology_entry_add(
            acting_user=user,
            agency_request=agency_request,
            occurred_on=TODAY - timedelta(days=days_ago),
            description=text,
        )
    client = signed_in(coordinator)
    response = client.get(url("chronology", dhr))

    page = response.content.decode()
    order = ["Council first", "Police second", "Police third", "Council fourth"]
    assert [page.index(text) for text in order] == sorted(page.index(text) for text in order)
    rows = page.split("Council first")[0].rsplit("<tr", 1)[1]
    assert council_chronology.organisation.name in rows
    assert AccessLogEntry.objects.filter(
        review=dhr, user=coordinator, what="Combined chronology"
    ).exists()


def test_reading_a_request_is_logged(dhr, police_chronology, coordinator_client, coordinator):
    coordinator_client.get(url("agency_request", dhr, request_id=police_chronology.pk))
    assert AccessLogEntry.objects.filter(
        review=dhr, user=coordinator, what__startswith="Agency request: Chronology"
    ).exists()


def test_the_review_page_shows_the_sections_in_a_fixed_number_of_queries(
    dhr, coordinator, coordinator_client, police_chronology, police_author, action_line
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(url("detail", dhr)).status_code == 200
        return len(captured)

    evidence.chronology_entry_add(
        acting_user=police_author,
        agency_request=police_chronology,
        occurred_on=TODAY,
        description="One.",
    )
    queries()  # the first visit to a partnership's page writes the session once
    before = queries()
    another_author = member(dhr.partnership, Role.CONTRIBUTOR)
    lifecycle.access_grant(
        acting_user=coordinator,
        review=dhr,
        user=another_author,
        reason=AccessGrant.Reason.AUTHOR,
    )
    council_request = evidence.agency_request_create(
        acting_user=coordinator,
        review=dhr,
        organisation=action_line.owner,
        kind="chronology",
        due_date=TODAY,
    )
    evidence.chronology_entry_add(
        acting_user=another_author,
        agency_request=council_request,
        occurred_on=TODAY,
        description="Two.",
    )
    action_plan.recommendation_add(
        acting_user=coordinator,
        review=dhr,
        recommendation="Another.",
        action="Another action.",
        owner=police_chronology.organisation,
        due_date=TODAY,
    )
    evidence.review_document_upload(
        acting_user=coordinator, review=dhr, kind="other", upload=_pdf()
    )
    assert queries() == before


def _pdf(name="report.pdf"):
    return pdf_upload(name)


@pytest.mark.parametrize("role", list(Role))
def test_a_member_without_a_grant_gets_404_everywhere_and_changes_nothing(
    role, dhr, coordinator, police_chronology, police_imr, action_line, attached_document
):
    """Whatever their role (a coordinator too), without a grant on this review every page of its
    evidence, action plan, documents and exports is not there, by GET and by POST."""
    stranger = member(dhr.partnership, role, seat=Seat.POLICE)
    client = signed_in(stranger)
    urls = [
        url("agency_request_create", dhr),
        url("agency_request", dhr, request_id=police_chronology.pk),
        url("chronology_entry_add", dhr, request_id=police_chronology.pk),
        url("imr_upload", dhr, request_id=police_imr.pk),
        url("agency_request_submit", dhr, request_id=police_chronology.pk),
        url("chronology", dhr),
        url("documents", dhr),
        url("document_download", dhr, review_document_id=attached_document.pk),
        url("recommendation_add", dhr),
        url("recommendation_edit", dhr, recommendation_id=action_line.pk),
        url("export", dhr, export="executive-summary"),
        url("export", dhr, export="action-plan"),
    ]
    post_data = {
        "organisation": police_chronology.organisation_id,
        "kind": "other",
        "description": "Something.",
        "recommendation": "R",
        "action": "A",
        "owner": police_chronology.organisation_id,
        "status": "complete",
        "progress": "Done",
        "evidence_of_completion": "E",
        **_date("due_date", TODAY + timedelta(days=5)),
        **_date("occurred_on", TODAY),
    }
    before = snapshot()
    for page_url in urls:
        assert client.get(page_url).status_code == 404, page_url
        response = client.post(page_url, {**post_data, "file": _pdf()})
        assert response.status_code == 404, page_url
        assert b"Adult Q" not in response.content
    assert snapshot() == before
    assert not AccessLogEntry.objects.filter(user=stranger).exists()
