"""Community engagement (reg 12 of SI 2007/1830): the coordinators plan, record and publish the
partnership's public meetings and consultations, the seat table shows which responsible
authorities had no one of senior position there, the public page carries the notices and the
summaries, and what the community said reads into the next strategic assessment. The walks in
tests/test_isolation.py and tests/test_read_only_roles.py cover every URL; tests/test_demo.py the
demo's engagement."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.documents import assessment_pdf
from assessments.services.assessments import assessment_start
from audit.models import AuditEvent
from engagement.models import EngagementEvent, EventStatus, SeatAttendance
from engagement.selectors import financial_year_of
from engagement.services import (
    Attendee,
    event_cancel,
    event_plan,
    event_publish,
    event_record_held,
)
from partnerships.models import Role
from reminders.cycles import cycle_for

from ..conftest import signed_in
from ..factories import member
from ..pdf import read_pdf

TODAY = timezone.localdate()
NEXT_YEAR = financial_year_of(TODAY) + 1
FOUR_SEATS = [
    Attendee("police", "Supt. Dana Hughes", "District Commander"),
    Attendee("local_authority", "Alex Rowe", "Director of Place"),
    Attendee("fire_and_rescue", "Jo Price", "Borough Manager"),
    Attendee("health", "Sam Ellis", "Deputy Director of Public Health"),
]


def plan(user, partnership, **overrides):
    fields = {
        "kind": "public_meeting",
        "title": "Public meeting, Stretford",
        "planned_on": TODAY,
        "venue": "Stretford Public Hall",
        "notice": "Tell us what worries you.",
    }
    return event_plan(acting_user=user, partnership=partnership, **(fields | overrides))


def held(user, event, raised="Off-road bikes on the towpath", attendees=FOUR_SEATS):
    return event_record_held(
        acting_user=user,
        event=event,
        held_on=TODAY,
        people_attended=40,
        raised=raised,
        attendees=attendees,
    )


def _date_fields(name, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_an_event_is_planned_recorded_with_its_gap_and_published(partnership, coordinator):
    event = plan(coordinator, partnership)
    (item,) = cycle_for("engagement_event").due(today=TODAY)
    assert item.recipients == {coordinator.pk}
    assert item.due_on == TODAY + timedelta(days=14) and "Record" in item.title

    held(coordinator, event)
    event.refresh_from_db()
    assert event.status == EventStatus.HELD
    assert set(SeatAttendance.objects.values_list("seat", flat=True)) == {
        "police",
        "local_authority",
        "fire_and_rescue",
        "health",
    }
    (item,) = cycle_for("engagement_event").due(today=TODAY)
    assert "Publish" in item.title

    event_publish(acting_user=coordinator, event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.published_at
    assert cycle_for("engagement_event").due(today=TODAY) == []
    (yearly,) = cycle_for("engagement_yearly_meeting").due(today=TODAY)
    assert yearly.due_on == TODAY + timedelta(days=365)
    actions = AuditEvent.objects.filter(action__startswith="engagement.").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == [
        "engagement.event.plan",
        "engagement.event.record",
        "engagement.event.publish",
    ]


def test_nothing_is_recorded_without_what_was_raised_or_twice(partnership, coordinator):
    event = plan(coordinator, partnership)
    with pytest.raises(ValidationError):
        held(coordinator, event, raised="  ")
    with pytest.raises(ValidationError):
        held(coordinator, event, attendees=[FOUR_SEATS[0], FOUR_SEATS[0]])
    assert EngagementEvent.objects.get().status == EventStatus.PLANNED
    assert not SeatAttendance.objects.exists()
    held(coordinator, event)
    with pytest.raises(ValidationError):
        held(coordinator, event)
    assert SeatAttendance.objects.count() == 4
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementEvent.objects.filter(pk=event.pk).update(status=EventStatus.PLANNED)


@pytest.mark.parametrize("role", [Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY])
def test_only_the_coordinators_plan_and_record(partnership, coordinator, role):
    event = plan(coordinator, partnership)
    someone = member(partnership, role)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        plan(someone, partnership)
    with pytest.raises(PermissionDenied):
        held(someone, event)
    with pytest.raises(PermissionDenied):
        event_cancel(acting_user=someone, event=event)
    assert EngagementEvent.objects.get().status == EventStatus.PLANNED
    assert AuditEvent.objects.count() == before


def test_a_coordinator_records_a_meeting_through_the_pages_and_it_reaches_the_assessment(
    partnership, coordinator
):
    assessment = assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=NEXT_YEAR
    )
    client = signed_in(coordinator)
    response = client.post(
        "/p/trafford/engagement/new/",
        {
            "kind": "public_meeting",
            "title": "Public meeting, Sale",
            **_date_fields("planned_on", TODAY),
            "venue": "Sale Waterside",
            "notice": "Come and tell us.",
            "submit": "1",
        },
    )
    event = EngagementEvent.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{event.pk}/")
    record = f"/p/trafford/engagement/{event.pk}/record/"
    refused = client.post(
        record, {**_date_fields("held_on", TODAY), "raised": "Bikes", "police_name": "Supt. Hughes"}
    )
    assert refused.status_code == 400 and "Enter their position" in refused.content.decode()
    client.post(
        record,
        {
            **_date_fields("held_on", TODAY),
            "people_attended": "35",
            "raised": "Speeding on the A56",
            "police_name": "Supt. Hughes",
            "police_position": "District Commander",
            "health_name": "Dr. Ellis",
            "health_position": "Director of Public Health",
            "submit": "1",
        },
    )
    index = client.get("/p/trafford/engagement/").content.decode()
    assert "Public meeting, Sale" in index and index.count(">Gap<") == 3

    page = client.get(f"/p/trafford/assessments/{assessment.pk}/").content.decode()
    assert 'data-testid="community-evidence"' in page
    assert "Speeding on the A56" in page and "2 of 5 responsible authorities" in page
    # The PDF carries it in the same section, as linked evidence beside the coordinator's text.
    pdf = read_pdf(assessment_pdf(assessment)).text
    community = pdf.split("From the partnership's public meetings and consultations")[1]
    assert "Public meeting, Sale" in community and "35 people took part" in community
    assert "Speeding on the A56" in community and "2 of 5 responsible authorities" in community

    public = Client().get("/community-safety/trafford/meetings/").content.decode()
    assert "Speeding on the A56" not in public  # not published yet
    client.post(f"/p/trafford/engagement/{event.pk}/publish/", {"submit": "1"})
    public = Client().get("/community-safety/trafford/meetings/").content.decode()
    assert "Speeding on the A56" in public and 'data-seat="police">Attended<' in public
    # The public page shows which authorities attended, not who attended for them.
    assert "Supt. Hughes" not in public and "District Commander" not in public


def test_the_public_page_shows_notices_to_come_and_not_cancelled_ones(partnership, coordinator):
    plan(coordinator, partnership, title="Meeting in Urmston", planned_on=TODAY + timedelta(days=9))
    cancelled = plan(coordinator, partnership, title="Meeting in Partington")
    event_cancel(acting_user=coordinator, event=cancelled)
    page = Client().get("/community-safety/trafford/meetings/").content.decode()
    assert "Meeting in Urmston" in page and "Meeting in Partington" not in page
    assert Client().get("/community-safety/nowhere/meetings/").status_code == 404


def test_the_public_page_shows_one_financial_year_of_summaries_at_a_time(partnership, coordinator):
    this_year = financial_year_of(TODAY)
    for title, day in [
        ("Meeting this year", date(this_year, 4, 1)),
        ("Meeting last year", date(this_year - 1, 4, 1)),
        ("Meeting two years ago", date(this_year - 1, 3, 31)),
    ]:
        event = plan(coordinator, partnership, title=title, planned_on=day)
        event_record_held(
            acting_user=coordinator,
            event=event,
            held_on=day,
            people_attended=12,
            raised=f"Raised at {title}",
            attendees=FOUR_SEATS,
        )
        event_publish(acting_user=coordinator, event=event)
    url = "/community-safety/trafford/meetings/"
    newest = Client().get(url).content.decode()
    assert "Meeting this year" in newest and "Meeting last year" not in newest
    assert f"?year={this_year - 1}" in newest and f"?year={this_year - 2}" in newest
    older = Client().get(f"{url}?year={this_year - 2}").content.decode()
    assert "Meeting two years ago" in older and "Meeting this year" not in older
    assert f"April {this_year - 2} to March {this_year - 1}" in older
    unknown = Client().get(f"{url}?year=1990").content.decode()  # the newest year instead
    assert "Meeting this year" in unknown


def test_a_strategy_member_reads_but_plans_nothing(partnership, coordinator):
    plan(coordinator, partnership)
    client = signed_in(member(partnership, Role.STRATEGY_MEMBER))
    page = client.get("/p/trafford/engagement/").content.decode()
    assert "Public meeting, Stretford" in page and "Plan a public meeting" not in page
    assert client.get("/p/trafford/engagement/new/").status_code == 404
    assert client.post("/p/trafford/engagement/new/", {"title": "x"}).status_code == 404
    assert EngagementEvent.objects.count() == 1


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_and_cycles_run_a_fixed_number_of_queries(
    partnership, other_partnership, coordinator
):
    assessment = assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=NEXT_YEAR
    )
    client = signed_in(coordinator)
    urls = [
        "/p/trafford/engagement/",
        "/community-safety/trafford/meetings/",
        f"/p/trafford/assessments/{assessment.pk}/",
    ]
    for url in urls:
        _count(client, url)  # the first visit to a partnership's page writes the session once

    def some(number, where=partnership, who=coordinator):
        event = plan(who, where, title=f"Meeting {number}")
        held(who, event)
        event_publish(acting_user=who, event=event)
        plan(who, where, title=f"Planned {number}", planned_on=TODAY + timedelta(days=number))

    def cycles():
        counts = []
        for kind in ("engagement_event", "engagement_yearly_meeting"):
            with CaptureQueriesContext(connection) as queries:
                list(cycle_for(kind).due(today=TODAY))
            counts.append(len(queries))
        return counts

    some(1)
    small = [_count(client, url) for url in urls]
    small_cycles = cycles()
    for number in range(2, 8):
        some(number)
    some(1, other_partnership, member(other_partnership, Role.COORDINATOR))
    assert "Meeting 7" in client.get(urls[0]).content.decode()
    assert [_count(client, url) for url in urls] == small
    assert cycles() == small_cycles and max(small_cycles) <= 3
    assert max(small[:2]) <= 12
