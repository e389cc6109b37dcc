"""The crime and disorder committee's work with the partnership: services and their policy,
the reminders, and the pages (the walks in tests/test_isolation.py and
tests/test_read_only_roles.py cover every URL for isolation and for what scrutiny may write)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from partnerships.models import Role
from reminders.cycles import cycle_for
from reminders.models import Notification
from scrutiny.models import (
    CallForAction,
    CommitteeReport,
    InformationRequest,
    InformationRequestStatus,
    Recommendation,
    ScrutinyMeeting,
)
from scrutiny.services import committee, information

from ..conftest import signed_in
from ..factories import member

TODAY = timezone.localdate()


@pytest.fixture
def councillor(partnership):
    return member(partnership, Role.SCRUTINY, full_name="Cllr Jo Bloggs")


@pytest.fixture
def coordinator(partnership):
    return member(partnership, Role.COORDINATOR, full_name="Priya Shah")


def ask(user, partnership, **overrides):
    fields = {
        "title": "Repeat burglary in Sale",
        "question": "How many homes were burgled twice in the year?",
        "due_date": TODAY + timedelta(days=28),
    }
    return information.information_request_create(
        acting_user=user, partnership=partnership, **(fields | overrides)
    )


def _due(kind, partnership):
    return [
        item for item in cycle_for(kind).due(today=TODAY) if item.partnership_id == partnership.pk
    ]


# Information requests --------------------------------------------------------------------------


def test_a_request_is_due_from_the_coordinators_who_are_told_at_once(
    partnership, councillor, coordinator
):
    request = ask(councillor, partnership)

    (item,) = _due("scrutiny_information_request", partnership)
    assert item.recipients == {coordinator.pk} and item.due_on == request.due_date
    assert Notification.objects.filter(user=coordinator, url=item.url).exists()
    assert not Notification.objects.filter(user=councillor).exists()
    assert AuditEvent.objects.filter(action="scrutiny.information_request.create").count() == 1


@pytest.mark.parametrize("answer", ["Write to jo.smith@example.org", "Mrs Patel was burgled twice"])
def test_an_answer_that_identifies_someone_is_refused(partnership, councillor, coordinator, answer):
    request = ask(councillor, partnership)
    with pytest.raises(ValidationError) as refused:
        information.information_request_answer(
            acting_user=coordinator, information_request=request, answer=answer, depersonalised=True
        )
    assert "depersonalised" in str(refused.value)
    request.refresh_from_db()
    assert (request.status, request.answer) == (InformationRequestStatus.REQUESTED, "")


def test_the_answer_needs_the_declaration_and_reaches_the_member_who_asked(
    partnership, councillor, coordinator
):
    other_councillor = member(partnership, Role.SCRUTINY)
    request = ask(councillor, partnership)
    with pytest.raises(ValidationError):
        information.information_request_answer(
            acting_user=coordinator, information_request=request, answer="41.", depersonalised=False
        )
    assert InformationRequest.objects.get().status == InformationRequestStatus.REQUESTED

    information.information_request_answer(
        acting_user=coordinator,
        information_request=request,
        answer="41 homes, 9 of them in Sale Moor.",
        depersonalised=True,
    )
    request.refresh_from_db()
    assert request.status == InformationRequestStatus.ANSWERED
    assert request.answered_by_name == "Priya Shah"
    assert _due("scrutiny_information_request", partnership) == []
    (item,) = _due("scrutiny_information_answer", partnership)
    assert item.recipients == {councillor.pk}
    assert Notification.objects.filter(user=councillor, url=item.url).exists()
    assert not Notification.objects.filter(user=other_councillor).exists()


def test_the_database_refuses_an_answer_not_declared_depersonalised(partnership, councillor):
    request = ask(councillor, partnership)
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.filter(pk=request.pk).update(
            status=InformationRequestStatus.ANSWERED, answer="41", answered_at=timezone.now()
        )


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SCRUTINY])
def test_only_the_committee_asks(partnership, role):
    with pytest.raises(PermissionDenied):
        ask(member(partnership, role), partnership)
    assert not InformationRequest.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.COORDINATOR])
def test_only_the_coordinators_answer(partnership, councillor, role):
    request = ask(councillor, partnership)
    with pytest.raises(PermissionDenied):
        information.information_request_answer(
            acting_user=member(partnership, role),
            information_request=request,
            answer="41.",
            depersonalised=True,
        )
    request.refresh_from_db()
    assert (request.status, request.answer) == (InformationRequestStatus.REQUESTED, "")


def test_a_withdrawn_request_is_no_longer_due_and_cannot_be_answered(
    partnership, councillor, coordinator
):
    request = ask(councillor, partnership)
    information.information_request_withdraw(acting_user=councillor, information_request=request)
    assert _due("scrutiny_information_request", partnership) == []
    with pytest.raises(ValidationError):
        information.information_request_answer(
            acting_user=coordinator, information_request=request, answer="41.", depersonalised=True
        )
    assert InformationRequest.objects.get().status == InformationRequestStatus.WITHDRAWN


# Reports and recommendations -------------------------------------------------------------------


def test_each_recommendation_is_answered_and_the_last_answers_the_report(
    partnership, councillor, coordinator, settings
):
    settings.CSP_SCRUTINY_RESPONSE_DAYS = 28
    report = committee.committee_report_create(
        acting_user=councillor,
        partnership=partnership,
        title="Night-time economy",
        summary="The committee's review.",
        made_on=TODAY,
        recommendations=["Fund street pastors", "", "Publish the taxi marshal figures"],
    )
    assert report.response_due == TODAY + timedelta(days=28)
    first, second = report.recommendations.order_by("number")
    assert (first.number, second.number) == (1, 2)
    (item,) = _due("scrutiny_report_response", partnership)
    assert item.recipients == {coordinator.pk}

    with pytest.raises(ValidationError):  # rejected without reasons
        committee.scrutiny_recommendation_respond(
            acting_user=coordinator, recommendation=first, status="rejected", response=" "
        )
    with pytest.raises(PermissionDenied):
        committee.scrutiny_recommendation_respond(
            acting_user=councillor, recommendation=first, status="accepted", response=""
        )
    assert set(Recommendation.objects.values_list("status", flat=True)) == {"pending"}

    committee.scrutiny_recommendation_respond(
        acting_user=coordinator, recommendation=first, status="accepted", response="Funded."
    )
    assert CommitteeReport.objects.get().status == "awaiting"
    committee.scrutiny_recommendation_respond(
        acting_user=coordinator, recommendation=second, status="rejected", response="No data."
    )
    assert CommitteeReport.objects.get().status == "responded"
    assert _due("scrutiny_report_response", partnership) == []
    with pytest.raises(ValidationError):  # answered once
        committee.scrutiny_recommendation_respond(
            acting_user=coordinator, recommendation=first, status="rejected", response="No."
        )


# Calls for action and meetings -----------------------------------------------------------------


def test_a_call_for_action_is_recorded_with_its_outcome(partnership, councillor, coordinator):
    call = committee.call_for_action_record(
        acting_user=councillor,
        partnership=partnership,
        matter="Drug dealing behind the Kings Road shops",
        ward="Longford",
        councillor="Cllr Sam Ali",
        details="Residents report dealing most evenings.",
        referred_on=TODAY,
    )
    with pytest.raises(PermissionDenied):
        committee.call_for_action_conclude(
            acting_user=coordinator, call=call, outcome="resolved", outcome_details="Done."
        )
    committee.call_for_action_conclude(
        acting_user=councillor, call=call, outcome="resolved", outcome_details="Patrols added."
    )
    call.refresh_from_db()
    assert (call.status, call.outcome) == ("concluded", "resolved")
    with pytest.raises(IntegrityError), transaction.atomic():
        CallForAction.objects.filter(pk=call.pk).update(outcome="")


def test_the_yearly_meeting_falls_due_twelve_months_after_the_last(partnership, councillor):
    held_on = TODAY - timedelta(days=30)
    committee.scrutiny_meeting_record(
        acting_user=councillor,
        partnership=partnership,
        held_on=held_on,
        attended_by="Chair of the partnership",
        asked="Why did burglary rise?",
        answered="Two prolific offenders; both now charged.",
    )
    (item,) = _due("scrutiny_yearly_meeting", partnership)
    assert (item.due_on, item.recipients) == (held_on + timedelta(days=365), {councillor.pk})
    with pytest.raises(ValidationError):
        committee.scrutiny_meeting_record(
            acting_user=councillor,
            partnership=partnership,
            held_on=held_on,
            attended_by="Chair",
            asked="Again?",
            answered="Again.",
        )
    assert ScrutinyMeeting.objects.count() == 1


# Pages -----------------------------------------------------------------------------------------


def _date_fields(name, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_the_councillor_asks_and_reads_the_answer_through_the_pages(
    partnership, councillor, coordinator
):
    asker = signed_in(councillor)
    page = asker.get("/p/trafford/scrutiny/")
    assert page.status_code == 200 and "Ask for information" in page.content.decode()
    response = asker.post(
        "/p/trafford/scrutiny/information/new/",
        {
            "title": "Repeat burglary",
            "question": "How many?",
            **_date_fields("due_date", TODAY + timedelta(days=14)),
            "submit": "1",
        },
    )
    request = InformationRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{request.pk}/")

    answerer = signed_in(coordinator)
    url = f"/p/trafford/scrutiny/information/{request.pk}/answer/"
    form = answerer.get(url).content.decode()
    assert "depersonalised information only" in form
    refused = answerer.post(url, {"answer": "41.", "submit": "1"})
    assert refused.status_code == 400
    assert "Confirm that the answer identifies no one" in refused.content.decode()
    answerer.post(url, {"answer": "41 homes.", "depersonalised": "on", "submit": "1"})

    page = asker.get(f"/p/trafford/scrutiny/information/{request.pk}/").content.decode()
    assert "41 homes." in page and "Answer the request" not in page
    assert asker.get(url).status_code == 404


def test_a_strategy_member_reads_but_asks_nothing(partnership, councillor):
    ask(councillor, partnership)
    client = signed_in(member(partnership, Role.STRATEGY_MEMBER))
    page = client.get("/p/trafford/scrutiny/").content.decode()
    assert "Repeat burglary in Sale" in page and "Ask for information" not in page
    assert client.get("/p/trafford/scrutiny/information/new/").status_code == 404
    assert client.get("/p/trafford/scrutiny/information/").status_code == 404
    assert (
        signed_in(member(partnership, Role.CONTRIBUTOR)).get("/p/trafford/scrutiny/").status_code
        == 404
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _some_of_everything(partnership, councillor, coordinator, number):
    request = ask(councillor, partnership, title=f"Request {number}")
    information.information_request_answer(
        acting_user=coordinator, information_request=request, answer="41.", depersonalised=True
    )
    committee.committee_report_create(
        acting_user=councillor,
        partnership=partnership,
        title=f"Report {number}",
        summary="S",
        made_on=TODAY,
        recommendations=["One", "Two"],
    )
    committee.call_for_action_record(
        acting_user=councillor,
        partnership=partnership,
        matter=f"Matter {number}",
        ward="Longford",
        councillor="Cllr Ali",
        details="D",
        referred_on=TODAY,
    )
    committee.scrutiny_meeting_record(
        acting_user=councillor,
        partnership=partnership,
        held_on=TODAY - timedelta(days=number),
        attended_by="Chair",
        asked="A",
        answered="B",
    )


CYCLES = (
    "scrutiny_information_request",
    "scrutiny_information_answer",
    "scrutiny_report_response",
    "scrutiny_yearly_meeting",
)


def _cycle_queries() -> dict[str, int]:
    counts = {}
    for kind in CYCLES:
        with CaptureQueriesContext(connection) as queries:
            list(cycle_for(kind).due(today=TODAY))
        counts[kind] = len(queries)
    return counts


def test_the_index_and_the_cycles_run_a_fixed_number_of_queries(
    partnership, other_partnership, councillor, coordinator
):
    client = signed_in(councillor)
    url = "/p/trafford/scrutiny/"
    _count(client, url)  # the first visit to a partnership's page writes the session once
    _some_of_everything(partnership, councillor, coordinator, 1)
    small, small_cycles = _count(client, url), _cycle_queries()
    for number in range(2, 8):
        _some_of_everything(partnership, councillor, coordinator, number)
    cardiff = (
        member(other_partnership, Role.SCRUTINY),
        member(other_partnership, Role.COORDINATOR),
    )
    _some_of_everything(other_partnership, *cardiff, 1)
    page = client.get(url).content.decode()
    assert "Report 7" in page and "Matter 7" in page
    assert _count(client, url) == small
    assert small <= 12
    assert _cycle_queries() == small_cycles
    assert max(small_cycles.values()) <= 3
