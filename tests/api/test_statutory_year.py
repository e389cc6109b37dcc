"""The statutory year's read endpoints (issue 20): ASB case review yearly figures, the scrutiny
committee's information requests and recommendations, engagement events, information sharing
agreements and quarterly returns, and the strategy group's meetings with their decisions. Each
serves the caller's partnership as its pages do, in the same number of queries at two sizes;
tests/test_api_isolation.py walks them across partnerships and the Schemathesis test fuzzes them.
"""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagement.services import Attendee, event_plan, event_publish, event_record_held
from infosharing.services import agreement_record, returns_open
from partnerships.models import PartnerOrganisation, Role, Seat
from scrutiny.services import committee, information
from strategygroup.services import decision_add, meeting_record, meeting_schedule
from tests.casereviews.builders import concluded, publish_procedure
from tests.factories import member

from .conftest import api

URLS = {
    "figures": "/api/v1/p/trafford/case-reviews/figures/",
    "requests": "/api/v1/p/trafford/scrutiny/information-requests/",
    "recommendations": "/api/v1/p/trafford/scrutiny/recommendations/",
    "events": "/api/v1/p/trafford/engagement/events/",
    "agreements": "/api/v1/p/trafford/information-sharing/agreements/",
    "returns": "/api/v1/p/trafford/information-sharing/returns/",
    "meetings": "/api/v1/p/trafford/strategy-group/meetings/",
}


def one_of_each(partnership, coordinator, councillor, number: int):
    today = date.today()
    concluded(partnership, coordinator)
    asked = information.information_request_create(
        acting_user=councillor,
        partnership=partnership,
        title=f"Request {number}",
        question="How many dispersal orders?",
        due_date=today + timedelta(days=14),
    )
    information.information_request_answer(
        acting_user=coordinator,
        information_request=asked,
        answer="Twelve, all in the town centre.",
        depersonalised=True,
    )
    committee.committee_report_create(
        acting_user=councillor,
        partnership=partnership,
        title=f"Report {number}",
        summary="Night-time economy",
        made_on=today,
        recommendations=["More street pastors", "Later buses"],
    )
    event = event_plan(
        acting_user=coordinator,
        partnership=partnership,
        kind="public_meeting",
        title=f"Public meeting {number}",
        planned_on=today,
        venue="Town hall",
        notice="Come along.",
    )
    event_record_held(
        acting_user=coordinator,
        event=event,
        held_on=today,
        people_attended=30,
        raised="Speeding",
        attendees=[Attendee("police", "Supt. Hughes", "District Commander")],
    )
    event_publish(acting_user=coordinator, event=event)
    agreement_record(
        acting_user=coordinator,
        partnership=partnership,
        title=f"Agreement {number}",
        parties=PartnerOrganisation.objects.filter(
            partnership=partnership, seat__in=[Seat.POLICE, Seat.HEALTH]
        ),
        purpose="Figures",
        legal_basis="s17A",
        signed_on=today,
        review_due=today + timedelta(days=300),
    )
    returns_open(acting_user=coordinator, partnership=partnership, year_start=2026, quarter=number)
    meeting = meeting_schedule(
        acting_user=coordinator,
        partnership=partnership,
        title=f"Strategy group {number}",
        meets_on=today,
        agenda="1. Plan",
    )
    meeting_record(
        acting_user=coordinator,
        meeting=meeting,
        minutes="Supt. Hughes reported.",
        attendees=[Attendee("police", "Supt. Hughes", "District Commander")],
    )
    decision_add(
        acting_user=coordinator, meeting=meeting, text="Fund it", owner="Police", plan_action=None
    )


def _count(client, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.json()


def test_each_endpoint_serves_the_partnership_in_the_same_queries_at_two_sizes(
    partnership, other_partnership, coordinator
):
    councillor = member(partnership, Role.SCRUTINY)
    publish_procedure(partnership, coordinator)
    one_of_each(partnership, coordinator, councillor, 1)
    other = member(other_partnership, Role.COORDINATOR)
    publish_procedure(other_partnership, other)
    one_of_each(other_partnership, other, member(other_partnership, Role.SCRUTINY), 1)
    client = api(coordinator)
    for url in URLS.values():
        client.get(url)  # the token's first use writes its last-used time once
    small = {name: _count(client, url)[0] for name, url in URLS.items()}
    for number in (2, 3):
        one_of_each(partnership, coordinator, councillor, number)
    large = {}
    for name, url in URLS.items():
        large[name], body = _count(client, url)
        rows = body if isinstance(body, list) else body["results"]
        assert rows, name
    assert large == small
    assert max(small.values()) <= 10

    figures = client.get(URLS["figures"]).json()
    assert [row["applications"] for row in figures] == [3]  # not the other partnership's
    assert figures[0]["reviews"] == 3 and set(figures[0]) == {
        "year_start",
        "applications",
        "met",
        "not_met",
        "reviews",
        "with_recommendations",
    }
    requests = client.get(URLS["requests"]).json()
    assert requests["count"] == 3
    assert requests["results"][0]["answer"] == "Twelve, all in the town centre."
    recommendations = client.get(URLS["recommendations"]).json()
    assert recommendations["count"] == 6
    assert {row["text"] for row in recommendations["results"]} == {
        "More street pastors",
        "Later buses",
    }
    events = client.get(URLS["events"]).json()["results"]
    assert events[0]["seats_attended"] == ["police"] and events[0]["raised"] == "Speeding"
    assert "Supt. Hughes" not in str(events)  # seats, not people
    agreements = client.get(URLS["agreements"]).json()["results"]
    assert sorted(agreements[0]["parties"]) == sorted(
        PartnerOrganisation.objects.filter(
            partnership=partnership, seat__in=[Seat.POLICE, Seat.HEALTH]
        ).values_list("organisation__name", flat=True)
    )
    assert client.get(URLS["returns"]).json()["count"] == 3 * len(Seat.statutory())
    meetings = client.get(URLS["meetings"]).json()["results"]
    assert meetings[0]["decisions"] == [
        {
            "number": 1,
            "text": "Fund it",
            "owner": "Police",
            "plan_action": None,
            "signed_off_plan": None,
        }
    ]
    assert meetings[0]["minutes"] == "Supt. Hughes reported."  # the coordinators' draft


def test_each_role_reads_what_its_pages_show(partnership, coordinator):
    councillor = member(partnership, Role.SCRUTINY)
    publish_procedure(partnership, coordinator)
    one_of_each(partnership, coordinator, councillor, 1)

    # A strategy member reads the meetings, not the minutes before they are published.
    strategy = api(member(partnership, Role.STRATEGY_MEMBER))
    (meeting,) = strategy.get(URLS["meetings"]).json()["results"]
    assert meeting["minutes"] is None and meeting["decisions"][0]["text"] == "Fund it"

    # The committee reads its requests and recommendations; not the strategy group's meetings
    # nor the information sharing register, which its pages do not show it either.
    scrutiny = api(councillor)
    assert scrutiny.get(URLS["requests"]).json()["count"] == 1
    assert scrutiny.get(URLS["recommendations"]).json()["count"] == 2
    for name in ("meetings", "agreements", "returns"):
        response = scrutiny.get(URLS[name])
        assert response.status_code == 404 and response.json()["code"] == "not_found", name

    # A partner reads its own organisation's returns only, and nothing of the committee's.
    officer = api(member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE))
    (own,) = officer.get(URLS["returns"]).json()["results"]
    assert own["seat"] == "police"
    assert officer.get(URLS["requests"]).status_code == 404
