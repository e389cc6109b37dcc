"""PCC report requests: the PCC office asks, the coordinators are told and reminded, the
coordinator answers with text and documents, the PCC asks for more, closes or withdraws; both
sides, the strategy group and scrutiny see the whole history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from authorities.models import OrganisationKind
from oversight.models import ReportDocument, ReportRequest, ReportRequestEntry
from oversight.services import report_requests as services
from partnerships.models import Role
from reminders.models import Notification
from reminders.sweep import reminders_sweep
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, member

from .conftest import pcc_member, pcc_membership


def url(name, partnership, **kwargs):
    return reverse(f"oversight:{name}", kwargs={"partnership_slug": partnership.slug, **kwargs})


def _date_fields(day: date, name="due_date") -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _state():
    return (
        list(ReportRequest.objects.order_by("pk").values_list("pk", "status", "due_date", "round")),
        ReportRequestEntry.objects.count(),
        ReportDocument.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def coordinator(partnership):
    return member(partnership, Role.COORDINATOR, email="coordinator@trafford.example")


def _request(pcc, partnership, *, days=21, title="Knife crime in the town centre"):
    return services.report_request_create(
        acting_user=pcc,
        membership=pcc_membership(pcc, partnership),
        title=title,
        body="Tell us what the partnership is doing about **knife crime**.",
        due_date=date.today() + timedelta(days=days),
    )


def test_a_pcc_office_requests_a_report_and_the_coordinators_are_told(
    partnership, pcc, coordinator
):
    other_coordinator = member(partnership, Role.COORDINATOR)
    strategy = member(partnership, Role.STRATEGY_MEMBER)
    due = date.today() + timedelta(days=30)
    response = signed_in(pcc).post(
        url("report_request_new", partnership),
        {"title": "Knife crime", "body": "What is being done?", **_date_fields(due)},
    )
    report_request = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(
        "report_request", partnership, report_request_id=report_request.pk
    )
    assert (report_request.status, report_request.due_date) == ("requested", due)
    told = set(Notification.objects.filter(stage="new").values_list("user_id", flat=True))
    assert told == {coordinator.pk, other_coordinator.pk}
    assert strategy.pk not in told
    assert AuditEvent.objects.filter(
        action="report_request.create", partnership=partnership
    ).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"due_date": date.today()}, "due_date", "The due date must be in the future"),
        (
            {"due_date": date.today() - timedelta(days=3)},
            "due_date",
            "The due date must be in the future",
        ),
        ({"due_date": date.today() + timedelta(days=400)}, "due_date", "within a year"),
        ({"title": ""}, "title", "Enter the issue of concern"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"body": "x" * 10_001}, "body", "10,000 characters or fewer"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_changes_nothing(
    partnership, pcc, coordinator, fields, field, message
):
    data = {"title": "Knife crime", "body": "What?", "due_date": date.today() + timedelta(days=9)}
    data.update(fields)
    post = {key: value for key, value in data.items() if key != "due_date"}
    post.update(_date_fields(data["due_date"]))
    before = _state()
    response = signed_in(pcc).post(url("report_request_new", partnership), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f"id_{field}" in response.content.decode()
    assert _state() == before


def test_the_sweep_reminds_the_coordinators_before_the_due_date_and_when_overdue(
    partnership, pcc, coordinator
):
    report_request = _request(pcc, partnership, days=7)
    reminders_sweep(today=date.today())
    assert Notification.objects.filter(
        user=coordinator, stage="7", kind="pcc_report_request"
    ).exists()
    reminders_sweep(today=report_request.due_date + timedelta(days=1))
    assert Notification.objects.filter(user=coordinator, stage="overdue").exists()
    assert not Notification.objects.filter(user=pcc).exists()


def test_an_answered_or_withdrawn_request_is_no_longer_due(partnership, pcc, coordinator):
    from reminders.cycles import cycle_for

    cycle = cycle_for("pcc_report_request")
    answered, withdrawn = _request(pcc, partnership), _request(pcc, partnership, title="Other")
    services.report_request_answer(
        acting_user=coordinator,
        membership=pcc_membership(coordinator, partnership),
        report_request=answered,
        body="Here it is.",
    )
    services.report_request_withdraw(
        acting_user=pcc, membership=pcc_membership(pcc, partnership), report_request=withdrawn
    )
    assert list(cycle.due(today=date.today())) == []


def test_the_coordinator_answers_with_a_document_and_the_pcc_sees_the_history(
    partnership, pcc, coordinator
):
    report_request = _request(pcc, partnership)
    client = signed_in(coordinator)
    response = client.post(
        url("report_request_answer", partnership, report_request_id=report_request.pk),
        {
            "body": "Our answer, with <script>alert(1)</script> *emphasis*.",
            "file": [
                SimpleUploadedFile("knife-crime.pdf", b"%PDF-1.7 report", "application/pdf"),
                SimpleUploadedFile("figures.csv", b"month,count\n1,4\n", "text/csv"),
            ],
        },
    )
    assert response.status_code == 302
    report_request.refresh_from_db()
    assert report_request.status == "answered"
    document = ReportDocument.objects.get(original_name="knife-crime.pdf")

    page = signed_in(pcc).get(
        url("report_request", partnership, report_request_id=report_request.pk)
    )
    text = page.content.decode()
    assert "Report requested" in text and "Answered" in text
    assert "<em>emphasis</em>" in text and "<script>" not in text
    assert "knife-crime.pdf" in text and "figures.csv" in text
    # Escaped as the page writes them (a name may hold an apostrophe: O'Neill).
    assert escape(coordinator.full_name) in text and escape(pcc.full_name) in text
    download = signed_in(pcc).get(
        url(
            "report_document",
            partnership,
            report_request_id=report_request.pk,
            report_document_id=document.pk,
        )
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 report"
    assert download["Cache-Control"] == "private, no-store"


def test_a_bad_document_refuses_the_whole_answer(partnership, pcc, coordinator, settings):
    report_request = _request(pcc, partnership)
    before = _state()
    response = signed_in(coordinator).post(
        url("report_request_answer", partnership, report_request_id=report_request.pk),
        {
            "body": "Answer",
            "file": [SimpleUploadedFile("fake.pdf", b"MZ not a pdf", "application/pdf")],
        },
    )
    assert response.status_code == 400
    assert "The selected file is not a real PDF file" in response.content.decode()
    assert _state() == before
    stored = settings.MEDIA_ROOT / "report-requests"
    assert not stored.exists() or not [p for p in stored.rglob("*") if p.is_file()]


def test_the_pcc_asks_for_more_which_reopens_it_then_closes_it(partnership, pcc, coordinator):
    report_request = _request(pcc, partnership)
    membership = pcc_membership(coordinator, partnership)
    services.report_request_answer(
        acting_user=coordinator, membership=membership, report_request=report_request, body="A"
    )
    later = date.today() + timedelta(days=40)
    client = signed_in(pcc)
    response = client.post(
        url("report_request_more", partnership, report_request_id=report_request.pk),
        {"body": "Please add the figures by ward.", **_date_fields(later)},
    )
    assert response.status_code == 302
    report_request.refresh_from_db()
    assert (report_request.status, report_request.due_date, report_request.round) == (
        "requested",
        later,
        2,
    )
    assert Notification.objects.filter(
        user=coordinator, item_key=f"report_request:{report_request.pk}:2"
    ).exists()

    services.report_request_answer(
        acting_user=coordinator, membership=membership, report_request=report_request, body="B"
    )
    client.post(
        url("report_request_close", partnership, report_request_id=report_request.pk),
        {"note": "Thank you."},
    )
    report_request.refresh_from_db()
    assert report_request.status == "closed"
    kinds = list(report_request.entries.values_list("kind", flat=True))
    assert kinds == ["request", "answer", "more", "answer", "close"]


def test_steps_not_open_from_the_current_status_answer_404(partnership, pcc, coordinator):
    report_request = _request(pcc, partnership)
    before = _state()
    client = signed_in(pcc)
    for name in ("report_request_more", "report_request_close"):
        response = client.post(
            url(name, partnership, report_request_id=report_request.pk), {"body": "x"}
        )
        assert response.status_code == 404, name
    assert _state() == before


@pytest.mark.parametrize(
    ("role", "view", "create", "answer"),
    [
        (Role.COORDINATOR, 200, 404, 200),
        (Role.STRATEGY_MEMBER, 200, 404, 404),
        (Role.SCRUTINY, 200, 404, 404),
        (Role.CONTRIBUTOR, 404, 404, 404),
        (Role.PCC_OFFICE, 200, 200, 404),
    ],
)
def test_who_may_do_what(partnership, pcc, coordinator, role, view, create, answer):
    report_request = _request(pcc, partnership)
    client = signed_in(member(partnership, role))
    assert client.get(url("report_requests", partnership)).status_code == view
    assert (
        client.get(
            url("report_request", partnership, report_request_id=report_request.pk)
        ).status_code
        == view
    )
    assert client.get(url("report_request_new", partnership)).status_code == create
    assert (
        client.get(
            url("report_request_answer", partnership, report_request_id=report_request.pk)
        ).status_code
        == answer
    )
    before = _state()
    client.post(url("report_request_withdraw", partnership, report_request_id=report_request.pk))
    if role != Role.PCC_OFFICE:
        assert _state() == before


def test_a_pcc_office_cannot_write_for_a_partnership_it_does_not_serve(
    partnership, pcc, coordinator
):
    from tests.factories import PartnershipFactory

    elsewhere = PartnershipFactory(name="Lincoln", slug="lincoln")
    with pytest.raises(PermissionDenied):
        services.report_request_create(
            acting_user=pcc,
            membership=pcc_membership(coordinator, partnership),  # someone else's membership
            title="T",
            body="B",
            due_date=date.today() + timedelta(days=3),
        )
    assert signed_in(pcc).get(url("report_request_new", elsewhere)).status_code == 404
    assert ReportRequest.objects.count() == 0


def test_the_cycle_reads_in_a_fixed_number_of_queries(partnership, bolton, pcc, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.cycles import cycle_for

    member(bolton, Role.COORDINATOR)
    cycle = cycle_for("pcc_report_request")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            items = list(cycle.due(today=date.today()))
        return len(captured), items

    _request(pcc, partnership)
    small, few = queries()
    for number in range(4):
        _request(pcc, bolton, title=f"Concern {number}")
    large, many = queries()
    assert (len(few), len(many)) == (1, 5)
    assert large == small == 2
    assert all(item.recipients for item in many)


def _answer(coordinator, partnership, report_request):
    return services.report_request_answer(
        acting_user=coordinator,
        membership=pcc_membership(coordinator, partnership),
        report_request=report_request,
        body="Here it is.",
    )


def test_the_pcc_office_that_asked_is_told_of_the_answer_and_reminded_to_close_it(
    partnership,
    pcc,
    pcc_organisation,
    coordinator,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    from reminders.cycles import cycle_for

    colleague = pcc_member(partnership, pcc_organisation)
    other_pcc = pcc_member(partnership, OrganisationFactory(kind=OrganisationKind.PCC))
    scrutiny = member(partnership, Role.SCRUTINY)
    report_request = _request(pcc, partnership)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _answer(coordinator, partnership, report_request)

    told = set(
        Notification.objects.filter(kind="pcc_report_answer", stage="new").values_list(
            "user_id", flat=True
        )
    )
    assert told == {pcc.pk, colleague.pk}
    assert not {other_pcc.pk, scrutiny.pk, coordinator.pk} & told
    assert {address for email in mailoutbox for address in email.to} == {
        pcc.email,
        colleague.email,
    }
    assert "Answer to your report request: Knife crime in the town centre" in mailoutbox[0].subject

    answered_on = date.today()
    due = answered_on + timedelta(days=settings.CSP_PCC_ANSWER_REVIEW_DAYS)
    reminders_sweep(today=due - timedelta(days=1))
    assert Notification.objects.filter(user=pcc, kind="pcc_report_answer", stage="1").exists()

    services.report_request_close(
        acting_user=pcc, membership=pcc_membership(pcc, partnership), report_request=report_request
    )
    assert list(cycle_for("pcc_report_answer").due(today=due)) == []


def test_asking_for_more_turns_the_wait_back_to_the_coordinators(partnership, pcc, coordinator):
    from reminders.cycles import cycle_for

    report_request = _request(pcc, partnership)
    _answer(coordinator, partnership, report_request)
    services.report_request_ask_more(
        acting_user=pcc,
        membership=pcc_membership(pcc, partnership),
        report_request=report_request,
        body="And the figures by ward, please.",
        due_date=date.today() + timedelta(days=10),
    )
    assert list(cycle_for("pcc_report_answer").due(today=date.today())) == []
    (item,) = cycle_for("pcc_report_request").due(today=date.today())
    assert item.recipients == {coordinator.pk}
    assert Notification.objects.filter(user=coordinator, item_key=item.key, stage="new").exists()


def test_the_answer_cycle_reads_in_a_fixed_number_of_queries(partnership, bolton, pcc, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.cycles import cycle_for

    bolton_coordinator = member(bolton, Role.COORDINATOR)
    cycle = cycle_for("pcc_report_answer")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            items = list(cycle.due(today=date.today()))
        return len(captured), items

    _answer(coordinator, partnership, _request(pcc, partnership))
    small, few = queries()
    for number in range(4):
        _answer(bolton_coordinator, bolton, _request(pcc, bolton, title=f"Concern {number}"))
    large, many = queries()
    assert (len(few), len(many)) == (1, 5)
    assert large == small == 2
    assert all(item.recipients == {pcc.pk} for item in many)


def test_an_unread_answer_is_not_in_the_coordinators_weekly_digest(
    partnership, pcc, coordinator, settings
):
    from reminders.sweep import weekly_digests

    late_request = _request(pcc, partnership, days=3)
    answered = _request(pcc, partnership, title="Answered")
    _answer(coordinator, partnership, answered)
    monday_after_both_fell_due = date.today() + timedelta(
        days=settings.CSP_PCC_ANSWER_REVIEW_DAYS + 7
    )
    monday_after_both_fell_due -= timedelta(days=monday_after_both_fell_due.weekday())

    (digest,) = weekly_digests(today=monday_after_both_fell_due)

    assert [detail["title"] for detail in digest.details] == [
        f"Report for the PCC: {late_request.title}"
    ]
