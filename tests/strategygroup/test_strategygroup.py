"""The strategy group's meetings: the coordinators schedule a meeting with its agenda, record it
with who attended for each seat and its minutes, add the decisions and actions arising (linked to
the partnership plan's actions), and publish the minutes to the members, who read them only then.
The walks in tests/test_isolation.py and tests/test_read_only_roles.py cover every URL."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from engagement.selectors import financial_year_of
from engagement.services import Attendee
from partnerships.models import Role
from plans.services import approval, drafting
from reminders.cycles import cycle_for
from strategygroup.models import Decision, MeetingPaper, MeetingStatus, StrategyMeeting
from strategygroup.services import (
    decision_add,
    meeting_publish,
    meeting_publish_public,
    meeting_record,
    meeting_schedule,
)

from ..conftest import signed_in
from ..factories import member
from ..plans.conftest import add_action, approved_assessment, published_plan_of

TODAY = timezone.localdate()


def plan_action(partnership, coordinator):
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    return add_action(plan, coordinator)


def schedule(user, partnership, **overrides):
    fields = {"title": "Strategy group, June", "meets_on": TODAY, "agenda": "1. Knife crime"}
    return meeting_schedule(acting_user=user, partnership=partnership, **(fields | overrides))


def test_a_meeting_is_recorded_decided_and_its_minutes_published_to_members(
    partnership, coordinator
):
    strategy_member = signed_in(member(partnership, Role.STRATEGY_MEMBER))
    meeting = schedule(coordinator, partnership)
    (item,) = cycle_for("strategygroup_minutes").due(today=TODAY)
    assert item.recipients == {coordinator.pk}
    meeting_record(
        acting_user=coordinator,
        meeting=meeting,
        minutes="The group agreed the knife crime plan.",
        attendees=[Attendee("police", "Supt. Hughes", "District Commander")],
    )
    url = f"/p/trafford/strategy-group/{meeting.pk}/"
    page = strategy_member.get(url).content.decode()
    assert "Supt. Hughes" in page and "No one attended" in page
    assert "The group agreed" not in page  # not published yet

    action = plan_action(partnership, coordinator)
    decision = decision_add(
        acting_user=coordinator,
        meeting=meeting,
        text="Fund two more knife arches",
        owner="Police",
        plan_action=action,
    )
    assert decision.number == 1
    meeting_publish(acting_user=coordinator, meeting=meeting)
    page = strategy_member.get(url).content.decode()
    assert "The group agreed" in page and "Fund two more knife arches" in page
    assert f"/actions/{action.pk}/progress/" in page
    assert cycle_for("strategygroup_minutes").due(today=TODAY) == []
    with pytest.raises(ValidationError):
        decision_add(
            acting_user=coordinator, meeting=meeting, text="Late", owner="", plan_action=None
        )
    assert Decision.objects.count() == 1


def test_a_decision_cannot_name_another_partnerships_action(
    partnership, other_partnership, coordinator
):
    other = member(other_partnership, Role.COORDINATOR)
    elsewhere = plan_action(other_partnership, other)
    meeting = schedule(coordinator, partnership)
    meeting_record(acting_user=coordinator, meeting=meeting, minutes="M", attendees=[])
    with pytest.raises(ValidationError):
        decision_add(
            acting_user=coordinator, meeting=meeting, text="X", owner="", plan_action=elsewhere
        )
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", [Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY])
def test_only_the_coordinators_keep_the_meetings(partnership, coordinator, role):
    meeting = schedule(coordinator, partnership)
    someone = member(partnership, role)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        schedule(someone, partnership)
    with pytest.raises(PermissionDenied):
        meeting_record(acting_user=someone, meeting=meeting, minutes="M", attendees=[])
    assert StrategyMeeting.objects.get().status == MeetingStatus.SCHEDULED
    assert AuditEvent.objects.count() == before
    client = signed_in(someone)
    assert client.get("/p/trafford/strategy-group/new/").status_code == 404
    expected = 404 if role == Role.SCRUTINY else 200
    assert client.get("/p/trafford/strategy-group/").status_code == expected


def test_the_coordinator_schedules_and_records_through_the_pages(partnership, coordinator):
    client = signed_in(coordinator)
    response = client.post(
        "/p/trafford/strategy-group/new/",
        {
            "title": "Strategy group, July",
            "meets_on_0": TODAY.day,
            "meets_on_1": TODAY.month,
            "meets_on_2": TODAY.year,
            "agenda": "1. The plan refresh",
            "submit": "1",
        },
    )
    meeting = StrategyMeeting.objects.get()
    assert response.status_code == 302
    client.post(
        f"/p/trafford/strategy-group/{meeting.pk}/record/",
        {
            "minutes": "Agreed the refresh timetable.",
            "health_name": "Dr. Ellis",
            "health_position": "Director of Public Health",
            "submit": "1",
        },
    )
    client.post(
        f"/p/trafford/strategy-group/{meeting.pk}/decisions/new/",
        {"text": "Circulate the draft by May", "submit": "1"},
    )
    page = client.get(f"/p/trafford/strategy-group/{meeting.pk}/").content.decode()
    assert "Dr. Ellis" in page and "Circulate the draft by May" in page


def test_the_list_and_the_cycle_run_a_fixed_number_of_queries(partnership, coordinator):
    client = signed_in(coordinator)
    url = "/p/trafford/strategy-group/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def cycle():
        with CaptureQueriesContext(connection) as queries:
            list(cycle_for("strategygroup_minutes").due(today=TODAY))
        return len(queries)

    count()
    schedule(coordinator, partnership, title="Meeting 1", meets_on=TODAY - timedelta(days=1))
    small, small_cycle = count(), cycle()
    for number in range(2, 9):
        schedule(coordinator, partnership, title=f"Meeting {number}", meets_on=TODAY)
    assert "Meeting 8" in client.get(url).content.decode()
    assert (count(), cycle()) == (small, small_cycle)
    assert small <= 12 and small_cycle <= 2


def test_papers_are_checked_stored_and_served_to_members(partnership, coordinator, media_root):
    meeting = schedule(coordinator, partnership)
    client = signed_in(coordinator)
    url = f"/p/trafford/strategy-group/{meeting.pk}/papers/new/"
    form = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form
    refused = client.post(
        url,
        {"file": SimpleUploadedFile("report.pdf", b"not a pdf"), "submit": "1"},
    )
    assert refused.status_code == 400 and not MeetingPaper.objects.exists()
    client.post(
        url,
        {"file": SimpleUploadedFile("Performance Q2.pdf", b"%PDF-1.4 figures"), "submit": "1"},
    )
    paper = MeetingPaper.objects.get()
    reader = signed_in(member(partnership, Role.CONTRIBUTOR))
    page = reader.get(f"/p/trafford/strategy-group/{meeting.pk}/").content.decode()
    assert "Performance Q2.pdf" in page and "Add a paper" not in page
    download = reader.get(f"/p/trafford/strategy-group/{meeting.pk}/papers/{paper.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert reader.get(url).status_code == 404


def held_and_published(user, partnership, **overrides):
    meeting = schedule(user, partnership, **overrides)
    meeting_record(
        acting_user=user,
        meeting=meeting,
        minutes="Supt. Hughes said the knife arches worked.",
        attendees=[Attendee("police", "Supt. Hughes", "District Commander")],
    )
    return meeting_publish(acting_user=user, meeting=meeting)


def test_the_coordinator_puts_depersonalised_minutes_on_the_public_page(partnership, coordinator):
    meeting = held_and_published(coordinator, partnership)
    public = "/community-safety/trafford/strategy-group/"
    assert "No minutes have been published yet" in Client().get(public).content.decode()
    url = f"/p/trafford/strategy-group/{meeting.pk}/publish-public/"

    strategy_member = signed_in(member(partnership, Role.STRATEGY_MEMBER))
    before = AuditEvent.objects.count()
    assert strategy_member.get(url).status_code == 404
    assert strategy_member.post(url, {"public_minutes": "X", "submit": "1"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.public_at is None and AuditEvent.objects.count() == before

    client = signed_in(coordinator)
    form = client.get(url).content.decode()
    assert "Supt. Hughes said" in form  # the members' minutes, to be edited down
    response = client.post(
        url, {"public_minutes": "The police said the knife arches worked.", "submit": "1"}
    )
    assert response.status_code == 302
    page = Client().get(public).content.decode()
    assert "The police said the knife arches worked." in page
    assert 'data-seat="police">Attended<' in page and "No one attended" in page
    assert "Supt. Hughes" not in page and "District Commander" not in page
    event = AuditEvent.objects.get(action="strategygroup.meeting.publish_public")
    assert event.actor_id == coordinator.pk
    assert client.get(url).status_code == 404  # already there
    assert "Minutes published on" in client.get(meeting_url(meeting)).content.decode()

    # Taken off again: by the coordinators only, audited, and the members keep their minutes.
    withdraw = f"/p/trafford/strategy-group/{meeting.pk}/withdraw-public/"
    assert strategy_member.post(withdraw, {"submit": "1"}).status_code == 404
    assert "The police said" in Client().get(public).content.decode()
    assert client.post(withdraw, {"submit": "1"}).status_code == 302
    assert "No minutes have been published yet" in Client().get(public).content.decode()
    meeting.refresh_from_db()
    assert meeting.public_at is None and meeting.minutes.startswith("Supt. Hughes said")
    assert AuditEvent.objects.filter(action="strategygroup.meeting.withdraw_public").count() == 1
    assert client.get(withdraw).status_code == 404  # nothing left to take off
    assert client.get(url).status_code == 200  # and it may go back, rewritten


def meeting_url(meeting):
    return f"/p/trafford/strategy-group/{meeting.pk}/"


def test_only_published_minutes_can_go_to_the_public_page(partnership, coordinator):
    meeting = schedule(coordinator, partnership)
    meeting_record(acting_user=coordinator, meeting=meeting, minutes="M", attendees=[])
    with pytest.raises(ValidationError):
        meeting_publish_public(acting_user=coordinator, meeting=meeting, public_minutes="M")
    meeting_publish(acting_user=coordinator, meeting=meeting)
    with pytest.raises(ValidationError):
        meeting_publish_public(acting_user=coordinator, meeting=meeting, public_minutes=" ")
    meeting.refresh_from_db()
    assert meeting.public_at is None and meeting.public_minutes == ""


def test_the_public_minutes_are_shown_a_year_at_a_time_in_a_fixed_number_of_queries(
    partnership, other_partnership, coordinator
):
    this_year = financial_year_of(TODAY)
    url = "/community-safety/trafford/strategy-group/"

    def count(address=url):
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(address).status_code == 200
        return len(queries)

    def publish(title, day, where=partnership, who=coordinator):
        meeting = held_and_published(who, where, title=title, meets_on=day)
        meeting_publish_public(acting_user=who, meeting=meeting, public_minutes=f"About {title}")

    publish("Meeting this year", date(this_year, 4, 1))
    publish("Meeting last year", date(this_year, 3, 31))
    small = count()
    for number in range(2, 8):
        publish(f"Meeting {number}", date(this_year, 4, 1) + timedelta(days=number))
    other = member(other_partnership, Role.COORDINATOR)
    publish("Elsewhere", TODAY, other_partnership, other)
    assert count() == small and small <= 8
    newest = Client().get(url).content.decode()
    assert "About Meeting 7" in newest and "About Meeting last year" not in newest
    assert "Elsewhere" not in newest
    older = Client().get(f"{url}?year={this_year - 1}").content.decode()
    assert "About Meeting last year" in older and "About Meeting 7" not in older
    assert Client().get("/community-safety/nowhere/strategy-group/").status_code == 404


def test_a_decision_records_the_plan_sign_off_and_the_plan_shows_it(
    partnership, other_partnership, coordinator
):
    plan = published_plan_of(partnership, coordinator)
    draft = drafting.plan_refresh(
        acting_user=coordinator,
        plan=plan,
        assessment=approved_assessment(partnership, coordinator, year=plan.period_start + 1),
    )
    meeting = schedule(coordinator, partnership, title="Strategy group, March")
    meeting_record(acting_user=coordinator, meeting=meeting, minutes="M", attendees=[])
    client = signed_in(coordinator)
    form = client.get(f"/p/trafford/strategy-group/{meeting.pk}/decisions/new/").content.decode()
    choices = form.split('name="signed_off_plan"')[1].split("</select>")[0]
    assert f'value="{plan.pk}"' in choices and f'value="{draft.pk}"' not in choices
    response = client.post(
        f"/p/trafford/strategy-group/{meeting.pk}/decisions/new/",
        {
            "text": "The group signed off the plan and asked for this action's progress",
            "plan_action": plan.actions.get().pk,
            "signed_off_plan": plan.pk,
            "submit": "1",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.signed_off_plan == plan
    assert "signed-off-plan" in client.get(meeting_url(meeting)).content.decode()
    page = client.get(f"/p/trafford/plans/{plan.pk}/").content.decode()
    assert 'data-testid="sign-off-decisions"' in page and meeting_url(meeting) in page
    assert "Strategy group, March" in page and "decision 1" in page
    # Who does not read the meetings does not see the link (scrutiny reads the plan only).
    scrutiny = signed_in(member(partnership, Role.SCRUTINY))
    plan_page = scrutiny.get(f"/p/trafford/plans/{plan.pk}/").content.decode()
    assert "Signed off at the strategy group" not in plan_page
    # The action's page links back to the decision about it, as the plan's page does.
    action_url = reverse("plans:action_progress", args=["trafford", plan.actions.get().pk])
    action_page = client.get(action_url).content.decode()
    assert 'data-testid="group-decisions"' in action_page and meeting_url(meeting) in action_page
    assert meeting_url(meeting) not in scrutiny.get(action_url).content.decode()

    other = member(other_partnership, Role.COORDINATOR)
    elsewhere = plan_action(other_partnership, other).plan
    approval.plan_open_consultation(acting_user=other, plan=elsewhere)
    for refused in [draft, elsewhere]:
        with pytest.raises(ValidationError):
            decision_add(
                acting_user=coordinator,
                meeting=meeting,
                text="X",
                owner="",
                plan_action=None,
                signed_off_plan=refused,
            )
    assert Decision.objects.count() == 1
