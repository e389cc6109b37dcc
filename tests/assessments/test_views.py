import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from assessments.models import (
    AssessmentSection,
    ContributionDocument,
    ContributionRequest,
    ContributionStatus,
    SectionKind,
    StrategicAssessment,
)
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in

from .conftest import YEAR, due_in, send_request

pytestmark = pytest.mark.django_db


def url(name, partnership, **kwargs):
    return reverse(f"assessments:{name}", kwargs={"partnership_slug": partnership.slug, **kwargs})


def _state():
    """Everything a write could touch, to prove that a refused request changed nothing."""
    return (
        list(StrategicAssessment.objects.order_by("pk").values_list("pk", "status", "version")),
        list(AssessmentSection.objects.order_by("pk").values_list("pk", "body", "revision")),
        list(ContributionRequest.objects.order_by("pk").values_list("pk", "status", "answer")),
        ContributionDocument.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("role", "draft_status", "approved_status"),
    [
        (Role.COORDINATOR, 200, 200),
        (Role.STRATEGY_MEMBER, 200, 200),
        (Role.CONTRIBUTOR, 404, 200),
        (Role.SCRUTINY, 404, 200),
        (Role.PCC_OFFICE, 404, 200),
    ],
)
def test_drafts_are_for_those_who_write_and_approve_them(
    approved, coordinator, partnership, role, draft_status, approved_status
):
    newer = assessment_services.assessment_new_version(acting_user=coordinator, assessment=approved)
    client = signed_in(member(partnership, role))
    assert client.get(url("detail", partnership, assessment_id=newer.pk)).status_code == (
        draft_status
    )
    assert client.get(url("pdf", partnership, assessment_id=newer.pk)).status_code == draft_status
    assert client.get(url("detail", partnership, assessment_id=approved.pk)).status_code == (
        approved_status
    )
    listing = client.get(url("list", partnership)).content.decode()
    assert ("Draft" in listing) == (draft_status == 200)


@pytest.mark.parametrize("role", [Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY])
def test_only_the_coordinator_writes_and_refusals_change_nothing(
    open_assessment, partnership, police_request, role
):
    client = signed_in(member(partnership, role))
    before = _state()
    section_url = url(
        "section_edit", partnership, assessment_id=open_assessment.pk, kind=SectionKind.CHANGES
    )
    responses = [
        client.post(url("list", partnership), {"year_start": YEAR + 1}),
        client.post(section_url, {"revision": 1, "body": "Hijacked"}),
        client.post(url("priority_add", partnership, assessment_id=open_assessment.pk), {}),
        client.post(url("submit_for_review", partnership, assessment_id=open_assessment.pk)),
        client.post(url("contribution_accept", partnership, contribution_id=police_request.pk), {}),
    ]
    assert [response.status_code for response in responses] == [404] * len(responses)
    assert _state() == before


def test_an_approved_version_offers_a_new_version_only_until_one_is_started(
    approved, coordinator, coordinator_client, partnership
):
    """The page's buttons are the policy's: "Start a new version" goes once there is one."""
    page = url("detail", partnership, assessment_id=approved.pk)
    new_version = url("new_version", partnership, assessment_id=approved.pk)
    assert new_version in coordinator_client.get(page).content.decode()
    assessment_services.assessment_new_version(acting_user=coordinator, assessment=approved)
    assert new_version not in coordinator_client.get(page).content.decode()


def test_the_coordinator_starts_and_writes_the_assessment(coordinator_client, partnership):
    response = coordinator_client.post(url("list", partnership), {"year_start": YEAR})
    assessment = StrategicAssessment.objects.get()
    assert response["Location"] == url("detail", partnership, assessment_id=assessment.pk)

    community = url(
        "section_edit", partnership, assessment_id=assessment.pk, kind=SectionKind.COMMUNITY
    )
    response = coordinator_client.post(
        community,
        {
            "revision": 1,
            "body": "1,204 people answered the survey.",
            "public_meeting_date_0": "31",
            "public_meeting_date_1": "2",
            "public_meeting_date_2": "2026",
            "public_meeting_attendance": "forty",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a real date" in page
    assert "Enter the number of people as a whole number" in page
    assert assessment.sections.get(kind=SectionKind.COMMUNITY).body == ""

    coordinator_client.post(
        community,
        {
            "revision": 1,
            "body": "1,204 people answered the survey.",
            "public_meeting_date_0": "14",
            "public_meeting_date_1": "9",
            "public_meeting_date_2": "2026",
            "public_meeting_attendance": "62",
            "public_meeting_issues": "Street drinking",
        },
    )
    page = coordinator_client.get(url("detail", partnership, assessment_id=assessment.pk))
    page = page.content.decode()
    assert "1,204 people answered the survey." in page
    assert "14 September 2026" in page


def test_a_stale_section_edit_shows_the_other_persons_text(coordinator_client, draft, partnership):
    deputy = member(partnership, Role.COORDINATOR, email="deputy@example.org")
    section_url = url("section_edit", partnership, assessment_id=draft.pk, kind="changes")
    signed_in(deputy).post(section_url, {"revision": 1, "body": "The deputy's analysis"})

    response = coordinator_client.post(section_url, {"revision": 1, "body": "My analysis"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "after you opened this page" in page
    assert "The deputy&#x27;s analysis" in page
    assert draft.sections.get(kind="changes").body == "The deputy's analysis"
    # The form now carries the current revision, so saving again keeps the coordinator's text.
    assert 'name="revision" value="2"' in page


def test_an_unknown_section_is_not_found(coordinator_client, draft, partnership):
    assert (
        coordinator_client.get(
            url("section_edit", partnership, assessment_id=draft.pk, kind="gossip")
        ).status_code
        == 404
    )


def test_requesting_contributions_from_the_page(
    coordinator_client,
    open_assessment,
    partnership,
    police,
    police_officer,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.CSP_SITE_URL = "http://127.0.0.1:8101"
    form = url("request_contributions", partnership, assessment_id=open_assessment.pk)
    day = due_in(10)
    data = {
        "organisations": [police.pk],
        "title": "Violence data",
        "questions": "What changed?",
        "due_date_0": str(day.day),
        "due_date_1": str(day.month),
        "due_date_2": str(day.year),
    }
    past = due_in(-3)
    refused = coordinator_client.post(
        form,
        {**data, "due_date_0": past.day, "due_date_1": past.month, "due_date_2": past.year},
    )
    assert refused.status_code == 400
    assert "The due date must be today or in the future" in refused.content.decode()
    other = PartnershipFactory(name="Bolton", slug="bolton")
    refused = coordinator_client.post(
        form, {**data, "organisations": [organisation_in(other, Seat.POLICE).pk]}
    )
    assert "Select organisations that sit on this partnership" in refused.content.decode()
    assert ContributionRequest.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(form, data)
    assert response.status_code == 302
    assert ContributionRequest.objects.get().organisation == police
    assert [message.to for message in mail.outbox] == [["analyst@example.org"]]
    # The link starts with the site's address (as every email's does), not the request's Host.
    assert "http://127.0.0.1:8101" + reverse("assessments:my_requests") in mail.outbox[0].body


def test_a_request_title_with_a_line_break_is_refused_by_field_and_changes_nothing(
    coordinator_client, open_assessment, partnership, police
):
    form = url("request_contributions", partnership, assessment_id=open_assessment.pk)
    day = due_in(10)
    data = {
        "organisations": [police.pk],
        "title": "Violence data",
        "questions": "What changed?\r\n\r\nWhy?",
        "due_date_0": str(day.day),
        "due_date_1": str(day.month),
        "due_date_2": str(day.year),
    }
    before = _state()

    titled = coordinator_client.post(form, {**data, "title": "Violence\r\nBcc: all@example.org"})
    asked = coordinator_client.post(form, {**data, "questions": "What changed?\x1b[2J"})

    assert titled.status_code == asked.status_code == 400
    assert "Title must not contain line breaks or control characters" in titled.content.decode()
    assert "Questions must not contain control characters" in asked.content.decode()
    assert _state() == before
    assert mail.outbox == []


def test_a_partner_answers_through_my_requests(police_request, police_officer, partnership):
    client = signed_in(police_officer)
    listing = client.get(reverse("assessments:my_requests")).content.decode()
    assert "Domestic abuse data" in listing
    page_url = url("contribution", partnership, contribution_id=police_request.pk)

    response = client.post(
        page_url,
        {
            "revision": police_request.revision,
            "answer": "Incidents rose by 12%.",
            "figures-TOTAL_FORMS": "3",
            "figures-INITIAL_FORMS": "0",
            "figures-0-label": "Incidents",
            "figures-0-value": "many",
            "action": "save",
        },
    )
    assert response.status_code == 400
    assert "Enter the value as a number" in response.content.decode()
    police_request.refresh_from_db()
    assert police_request.answer == ""

    response = client.post(
        page_url,
        {
            "revision": police_request.revision,
            "answer": "Incidents rose by 12%.",
            "figures-TOTAL_FORMS": "3",
            "figures-INITIAL_FORMS": "0",
            "figures-0-label": "Incidents",
            "figures-0-value": "4120",
            "figures-0-unit": "incidents",
            "action": "submit",
        },
    )
    confirm = url("contribution_submit", partnership, contribution_id=police_request.pk)
    assert response["Location"] == confirm
    client.post(confirm)
    police_request.refresh_from_db()
    assert police_request.status == ContributionStatus.SUBMITTED
    assert police_request.figures.get().value == 4120
    # The list read before the answer is not served again: it is waiting no more, but submitted.
    listing = client.get(reverse("assessments:my_requests")).content.decode()
    assert "Domestic abuse data" not in listing
    assert "Nothing is waiting for your answer." in listing
    finished = client.get(reverse("assessments:my_requests") + "?show=finished").content.decode()
    assert "Domestic abuse data" in finished


def test_another_organisation_cannot_see_or_edit_a_request(
    police_request, council_officer, scrutiny_member, partnership
):
    page_url = url("contribution", partnership, contribution_id=police_request.pk)
    before = _state()
    for user in (council_officer, scrutiny_member):
        client = signed_in(user)
        assert client.get(page_url).status_code == 404
        assert (
            client.post(
                page_url,
                {
                    "revision": 1,
                    "answer": "Mine now",
                    "figures-TOTAL_FORMS": "0",
                    "figures-INITIAL_FORMS": "0",
                },
            ).status_code
            == 404
        )
        assert (
            "Domestic abuse data"
            not in client.get(reverse("assessments:my_requests")).content.decode()
        )
    assert _state() == before


def test_the_coordinator_returns_a_contribution_with_a_comment(
    coordinator_client, police_request, police_officer, partnership
):
    contribution_services.contribution_save(
        acting_user=police_officer,
        contribution=police_request,
        revision=1,
        answer="A",
        figures=[],
    )
    contribution_services.contribution_submit(
        acting_user=police_officer, contribution=police_request
    )
    return_url = url("contribution_return", partnership, contribution_id=police_request.pk)

    assert coordinator_client.post(return_url, {"comment": ""}).status_code == 400
    coordinator_client.post(return_url, {"comment": "Add the ward split"})

    police_request.refresh_from_db()
    assert police_request.status == ContributionStatus.RETURNED
    page = signed_in(police_officer).get(
        url("contribution", partnership, contribution_id=police_request.pk)
    )
    assert "Add the ward split" in page.content.decode()
    assert 'name="answer"' in page.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "The selected file must be a PDF, DOCX"),
        ("report.pdf", b"<html>not a pdf</html>", "is not a real PDF file"),
        ("empty.csv", b"", "The selected file is empty"),
        ("big.csv", b"a,b\n" * 400, "must be smaller than"),
    ],
)
def test_uploads_of_the_wrong_kind_or_size_are_refused(
    police_request, police_officer, partnership, settings, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CSP_UPLOAD_MAX_BYTES = 1024
    client = signed_in(police_officer)
    before = _state()
    response = client.post(
        url("document_add", partnership, contribution_id=police_request.pk),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_documents_are_served_only_to_those_who_may_see_the_contribution(
    police_request, police_officer, council_officer, coordinator_client, partnership
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(police_officer)
    response = client.post(
        url("document_add", partnership, contribution_id=police_request.pk),
        {"file": SimpleUploadedFile("../../etc/Violence profile.pdf", b"%PDF-1.7 data")},
    )
    assert response.status_code == 302
    document = ContributionDocument.objects.get()
    assert document.original_name == "Violence profile.pdf"
    assert "etc" not in document.file.name
    download = url(
        "document", partnership, contribution_id=police_request.pk, document_id=document.pk
    )
    served = coordinator_client.get(download)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.7 data"
    assert served["Cache-Control"] == "private, no-store"
    assert "attachment" in served["Content-Disposition"]
    assert signed_in(council_officer).get(download).status_code == 404


def _assessment_page_queries(client, partnership, assessment, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("detail", partnership, assessment_id=assessment.pk))
    assert response.status_code == 200
    return len(queries)


def test_the_assessment_page_runs_a_fixed_number_of_queries(
    coordinator_client, open_assessment, coordinator, partnership, police_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = coordinator_client.get(
                url("detail", partnership, assessment_id=open_assessment.pk)
            )
        assert response.status_code == 200
        return len(captured)

    send_request(open_assessment, coordinator, organisation_in(partnership, Seat.POLICE))
    queries()  # the session's first request writes it; the ones within the minute do not
    small = queries()
    for seat in (Seat.LOCAL_AUTHORITY, Seat.HEALTH, Seat.PROBATION, Seat.FIRE_AND_RESCUE):
        for index in range(3):
            request = send_request(
                open_assessment,
                coordinator,
                organisation_in(partnership, seat),
                title=f"{seat} {index}",
            )
    contribution_services.contribution_save(
        acting_user=police_officer,
        contribution=ContributionRequest.objects.filter(
            organisation__name__endswith="Police"
        ).get(),
        revision=1,
        answer="A",
        figures=[("One", 1, ""), ("Two", 2, "")],
    )
    assert request.pk
    # Unread notifications cost one write on any page (marking read those it shows): not what
    # is measured here.
    from reminders.models import Notification

    Notification.objects.all().delete()
    large = queries()
    assert large == small
    assert small <= 20


def test_my_requests_runs_a_fixed_number_of_queries(police_officer, partnership, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(police_officer)

    def queries() -> int:
        cache.clear()  # the list as worked out, not as kept under the change stamps
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("assessments:my_requests"))
        assert response.status_code == 200
        return len(captured)

    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    police = organisation_in(partnership, Seat.POLICE)
    send_request(assessment, coordinator, police)
    queries()  # the session's first request writes it; the ones within the minute do not
    small = queries()
    # The same force serves two more partnerships, each asking it several things.
    from partnerships.services import partner_organisation_add

    for slug in ("salford", "wigan"):
        other = PartnershipFactory(name=slug.title(), slug=slug)
        partner_organisation_add(
            acting_user=None, partnership=other, organisation=police, seat=Seat.POLICE
        )
        from partnerships.services import membership_create

        membership_create(
            acting_user=None,
            partnership=other,
            user=police_officer,
            role=Role.CONTRIBUTOR,
            organisation=police,
        )
        their_coordinator = member(other, Role.COORDINATOR)
        theirs = assessment_services.assessment_start(
            acting_user=their_coordinator, partnership=other, year_start=YEAR
        )
        assessment_services.assessment_open_contributions(
            acting_user=their_coordinator, assessment=theirs
        )
        for index in range(4):
            send_request(theirs, their_coordinator, police, title=f"{slug} {index}")
    page = client.get(reverse("assessments:my_requests")).content.decode()
    assert "Wigan" in page and "Salford" in page and "Trafford" in page
    assert queries() == small
    assert small <= 12
