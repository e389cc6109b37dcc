"""Your work (the home page) and the cycle view read the deadline registry the sweep reads: each
person sees what is theirs to do, grouped by when it is due and linked to the item; each role
sees what it watches beside that; the cycle view shows a partnership's year, what is late and
who owes it. Nothing of a DHR reaches anyone without access to it. Opening an item marks the
notifications about it read."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.deadlines import AssessmentSignOffCycle
from assessments.services import assessments as assessment_services
from partnerships.models import Role, Seat
from reminders import selectors
from reminders.cycles import due_items
from reminders.models import Notification
from reminders.outbox import outbox_send
from reminders.sweep import reminders_sweep
from tests.assessments.conftest import complete
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in

from .conftest import TODAY, days, request_to

pytestmark = pytest.mark.django_db

HOME = reverse("reminders:your_work")


def cycle_url(partnership, query=""):
    return reverse("reminders:cycle", kwargs={"partnership_slug": partnership.slug}) + query


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(selectors, "work_day", lambda: TODAY)
    return TODAY


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def section(page: str, name: str) -> str:
    """The HTML of one list of Your work or the cycle view (empty when it is not there)."""
    found = re.search(rf'data-testid="{name}".*?</(ul|section)>', page, re.S)
    return found.group(0) if found else ""


TITLE = re.compile(r'<a class="govuk-link govuk-!-font-weight-bold" href="[^"]*">([^<]*)</a>')


def titles(html: str) -> list[str]:
    return TITLE.findall(html)


def test_each_person_sees_their_own_items_grouped_and_a_coordinator_who_owes_what_is_late(
    requests, people
):
    police = signed_in(people["police"]).get(HOME).content.decode()
    fire = signed_in(people["fire"]).get(HOME).content.decode()
    coordinator = signed_in(people["coordinator"]).get(HOME).content.decode()
    councillor = signed_in(people["scrutiny"]).get(HOME).content.decode()

    assert titles(section(police, "work-soon")) == ["Violence data (Trafford Police)"]
    assert f'href="/p/trafford/contributions/{requests["police"].pk}/"' in police
    assert "Deliberate fires" not in police  # the fire service's, not theirs
    assert "work-overseen" not in police  # nobody but the coordinator sees what others owe
    assert titles(section(fire, "work-overdue")) == ["Deliberate fires (Trafford Fire and rescue)"]
    assert "was due 18 Sep 2027, 2 days overdue" in fire
    # The coordinator (of the council) owes the council's request, due in 20 days: later; and
    # sees the fire service's late one, with who owes it.
    assert titles(section(coordinator, "work-later")) == ["ASB cases (Trafford Local authority)"]
    overseen = section(coordinator, "work-overseen")
    assert titles(overseen) == ["Deliberate fires (Trafford Fire and rescue)"]
    assert f"Owed by {escape(people['fire'].full_name)}" in overseen
    # Nothing to do says so plainly.
    assert "You have nothing to do at the moment." in councillor
    assert "Violence data" not in councillor and "Deliberate fires" not in councillor


def test_a_partnership_of_ones_own_narrows_it_and_another_is_not_found(
    requests, people, other_partnership_with_request
):
    other, officer = other_partnership_with_request
    member(other, Role.CONTRIBUTOR, seat=Seat.POLICE, user=people["police"])
    client = signed_in(people["police"])

    everywhere = client.get(HOME).content.decode()
    assert "Salford data" in everywhere and "Violence data" in everywhere
    trafford = client.get(HOME, {"partnership": "trafford"}).content.decode()
    assert "Violence data" in trafford and "Salford data" not in trafford
    assert client.get(HOME, {"partnership": "nowhere"}).status_code == 404
    assert signed_in(officer).get(HOME, {"partnership": "trafford"}).status_code == 404
    # A partnership's own home leads there.
    assert client.get("/p/trafford/")["Location"] == f"{HOME}?partnership=trafford"


def test_a_pcc_office_watches_refreshes_and_scrutiny_reads_new_reports(
    plan_in_force, partnership, coordinator, people, monkeypatch
):
    from plans.models import ProgressReport, Quarter
    from plans.services.reports import progress_report_issue

    pcc = member(partnership, Role.PCC_OFFICE, seat=Seat.POLICE, email="pcc@x.org")
    report = progress_report_issue(
        acting_user=coordinator, plan=plan_in_force, quarter=Quarter(TODAY.year, 1), today=TODAY
    )
    ProgressReport.objects.filter(pk=report.pk).update(issued_at=_moment(TODAY - timedelta(days=3)))

    watched = section(signed_in(pcc).get(HOME).content.decode(), "work-watched")
    assert titles(watched) == ["Partnership plan revised and approved for 2028/29"]
    councillor = signed_in(people["scrutiny"]).get(HOME).content.decode()
    to_read = section(councillor, "work-to-read")
    assert titles(to_read) == [str(report)]
    assert reverse("plans:progress_report", args=["trafford", report.pk]) in to_read
    assert "work-watched" not in councillor
    # Some five weeks on, the report is no longer new.
    monkeypatch.setattr(selectors, "work_day", lambda: TODAY + timedelta(days=37))
    assert "work-to-read" not in signed_in(people["scrutiny"]).get(HOME).content.decode()


def test_opening_a_new_report_reads_it_for_that_person_only(
    plan_in_force, partnership, coordinator, people, monkeypatch
):
    from plans import deadlines
    from plans.models import ProgressReport, ProgressReportRead, Quarter
    from plans.services.reports import progress_report_issue

    monkeypatch.setattr(deadlines, "local_today", lambda: TODAY)
    colleague = member(partnership, Role.SCRUTINY, email="cllr2@x.org")
    pcc = member(partnership, Role.PCC_OFFICE, seat=Seat.POLICE, email="pcc@x.org")
    report = progress_report_issue(
        acting_user=coordinator, plan=plan_in_force, quarter=Quarter(TODAY.year, 1), today=TODAY
    )
    ProgressReport.objects.filter(pk=report.pk).update(issued_at=_moment(TODAY - timedelta(days=3)))
    councillor = signed_in(people["scrutiny"])
    page = reverse("plans:progress_report", args=["trafford", report.pk])
    _queries(councillor, HOME)  # the first visit writes the session once
    cache.clear()  # measured as worked out, not as kept
    unread = _queries(councillor, HOME)

    assert councillor.get(page).status_code == 200
    assert councillor.get(page).status_code == 200  # opened twice, read once
    assert "work-to-read" not in councillor.get(HOME).content.decode()
    cache.clear()
    assert _queries(councillor, HOME) == unread
    # The committee's other member and the PCC office have not read it yet.
    for other in (colleague, pcc):
        assert titles(section(signed_in(other).get(HOME).content.decode(), "work-to-read")) == [
            str(report)
        ]
    # The coordinator, who issued it, reads it without it being anyone's to read.
    assert signed_in(coordinator).get(page).status_code == 200
    assert list(ProgressReportRead.objects.values_list("user_id", flat=True)) == [
        people["scrutiny"].pk
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_your_work_and_the_cycle_view_run_a_fixed_number_of_queries(
    requests, people, partnership, open_assessment
):
    coordinator = people["coordinator"]
    client = signed_in(coordinator)
    _queries(
        client, cycle_url(partnership)
    )  # the first visit to a partnership's page writes the session once
    few = (_queries(client, HOME), _queries(client, cycle_url(partnership)))

    # Five times the items, in three more partnerships the coordinator also runs.
    for number in range(3):
        other = PartnershipFactory(name=f"Other {number}", slug=f"other-{number}")
        member(other, Role.COORDINATOR, user=coordinator, seat=Seat.LOCAL_AUTHORITY)
        member(other, Role.CONTRIBUTOR, seat=Seat.POLICE)
        from assessments.services import assessments as assessment_services

        assessment = assessment_services.assessment_start(
            acting_user=coordinator, partnership=other, year_start=TODAY.year + 1
        )
        assessment_services.assessment_open_contributions(
            acting_user=coordinator, assessment=assessment
        )
        for seat in (Seat.POLICE, Seat.LOCAL_AUTHORITY):
            request_to(
                assessment, coordinator, organisation_in(other, seat), due=days(-3), title="Late"
            )
    for number in range(4):
        request_to(
            open_assessment,
            coordinator,
            organisation_in(partnership, Seat.PROBATION),
            due=days(number - 2),
            title=f"Probation {number}",
        )

    # Unread notifications cost one write on the page that reads them: not what is measured here.
    Notification.objects.all().delete()
    many = (_queries(client, HOME), _queries(client, cycle_url(partnership)))
    assert many == few
    # Each registered cycle reads in a fixed number of queries (one while nothing of it is due);
    # the cycle view asks every cycle, the five of engagement, infosharing and strategygroup too.
    assert few[0] <= 30 and few[1] <= 35


def test_the_cycle_view_shows_the_year_what_is_late_and_who_owes_it(
    requests, plan_in_force, people, partnership
):
    page = signed_in(people["coordinator"]).get(cycle_url(partnership)).content.decode()

    contributions = section(page, "cycle-contribution_request")
    assert "1 overdue" in contributions
    assert titles(contributions)[0] == "Deliberate fires (Trafford Fire and rescue)"
    first_row = contributions.split("</li>")[0]
    assert "Owed by " in first_row and escape(people["fire"].full_name) in first_row
    assert 'govuk-tag--red">Overdue' in contributions  # by colour and in words
    assert 'govuk-tag--yellow">Due soon' in contributions
    refresh = section(page, "cycle-plan_refresh")
    assert 'govuk-tag--green">On track' in refresh
    assert "Nothing open." in section(page, "cycle-dhr_clock")

    late = signed_in(people["coordinator"]).get(cycle_url(partnership, "?status=overdue"))
    late = late.content.decode()
    assert sorted(titles(late)) == [
        "2027/28 Q1 update: Patrol hotspots",  # the police's update for last quarter
        "Deliberate fires (Trafford Fire and rescue)",
    ]
    assert "Violence data" not in late
    # Strategy members read it too; contributors, scrutiny and PCC offices do not.
    assert signed_in(people["chief"]).get(cycle_url(partnership)).status_code == 200
    for name in ("police", "scrutiny"):
        assert signed_in(people[name]).get(cycle_url(partnership)).status_code == 404


def test_each_cycle_says_where_its_workflow_stands_one_click_from_the_place_to_act(
    requests, plan_in_force, people, partnership, coordinator
):
    from plans.policies import required_seats
    from plans.services import approval, drafting
    from tests.plans.conftest import sign_off_by_every_seat

    refresh = drafting.plan_refresh(
        acting_user=coordinator, plan=plan_in_force, assessment=plan_in_force.assessment
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=refresh, closes_on=days(30))
    required = len(required_seats(partnership))
    sign_off_by_every_seat(refresh, {Seat.POLICE: people["chief"]})
    page = signed_in(people["coordinator"]).get(cycle_url(partnership)).content.decode()

    def lines(kind):
        found = re.search(rf'data-testid="workflow-{kind}">(.*?)</div>', page, re.S)
        return re.findall(
            r'<a class="govuk-link" href="([^"]*)">([^<]*)</a>', found[1] if found else ""
        )

    plan_page = reverse("plans:detail", args=["trafford", refresh.pk])
    assert lines("plan_sign_off") == [
        (
            plan_page,
            f"Partnership plan {refresh.period_label}, version 2: in consultation until "
            f"{days(30):%-d %B %Y}, 1 of {required} seats signed",
        )
    ]
    assert lines("plan_consultation") == [
        (
            reverse("plans:comments", args=["trafford", refresh.pk]),
            f"Consultation on the {refresh.period_label} plan: 0 comments, 0 awaiting a response",
        )
    ]
    ((url, text),) = lines("contribution_request")
    assert text.endswith(": 0 of 3 requests handed in") and url.endswith("#contributions")
    assert "open for contributions since" in lines("assessment_sign_off")[0][1]
    assert lines("dhr_clock") == []


def test_the_weekly_digest_links_to_the_overdue_items_of_the_cycle_view(
    requests, people, partnership
):
    reminders_sweep(today=TODAY + timedelta(days=(7 - TODAY.weekday()) % 7))
    digest = Notification.objects.get(kind="weekly_digest", user=people["coordinator"])
    assert digest.url == cycle_url(partnership, "?status=overdue")
    page = signed_in(people["coordinator"]).get(digest.url).content.decode()
    assert "Deliberate fires" in page


def test_opening_the_item_marks_its_notification_read_and_costs_nothing_without_unread(
    requests, people
):
    reminders_sweep(today=TODAY)
    outbox_send(today=TODAY)
    police = people["police"]
    notification = Notification.objects.get(user=police)
    client = signed_in(police)

    client.get("/account/")
    notification.refresh_from_db()
    assert notification.read_at is None
    page = client.get(notification.url).content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert (
        'data-testid="notifications-link"' in page
        and "unread" not in page.split('data-testid="notifications-link"')[1].split("</a>")[0]
    )

    with CaptureQueriesContext(connection) as captured:
        client.get("/account/")
    assert not [query for query in captured if query["sql"].startswith('UPDATE "reminders')]


def test_nothing_of_a_review_reaches_anyone_without_access(partnership, coordinator, people):
    from tests.reviews.conftest import notify

    review = notify(partnership, coordinator)
    reminders_sweep(today=TODAY)
    other_coordinator = member(partnership, Role.COORDINATOR, email="second@x.org")
    chief = people["chief"]

    with_access = signed_in(coordinator).get(HOME).content.decode()
    assert review.reference in with_access
    for person in (other_coordinator, chief):
        client = signed_in(person)
        pages = [client.get(HOME), client.get(reverse("reminders:list"))]
        pages.append(client.get(cycle_url(partnership)))
        for response in pages:
            text = response.content.decode()
            assert review.reference not in text and review.victim_pseudonym not in text
        cycle = pages[2].content.decode()
        assert "deadlines are running on reviews you do not have access to" in cycle or (
            "deadline is running on reviews you do not have access to" in cycle
        )
        assert not Notification.objects.filter(user=person, kind="dhr_clock").exists()


# Your work is kept under the change stamps of the partnerships it reads (csp_portal.changes) ----


def test_your_work_is_kept_until_something_in_the_partnership_changes(requests, people):
    """A second visit is served the kept rendering, in fewer queries and identical; the moment
    the police submit their contribution (an audited change), it is worked out afresh: the fire
    service's late item is still there for the coordinator, the police's is gone from theirs."""
    from assessments.services.contributions import contribution_save, contribution_submit

    police = signed_in(people["police"])
    first = section(police.get(HOME).content.decode(), "work-soon")
    with CaptureQueriesContext(connection) as kept:
        again = section(police.get(HOME).content.decode(), "work-soon")
    assert again == first
    assert titles(again) == ["Violence data (Trafford Police)"]
    with CaptureQueriesContext(connection) as afresh_queries:
        signed_in(people["fire"]).get(HOME)
    assert len(kept) < len(afresh_queries) - 10  # the cycles were not read again

    contribution = requests["police"]
    contribution = contribution_save(
        acting_user=people["police"],
        contribution=contribution,
        revision=contribution.revision,
        answer="Figures attached.",
        figures=[],
    )
    contribution_submit(acting_user=people["police"], contribution=contribution)

    after = police.get(HOME).content.decode()
    assert "Violence data" not in after
    assert "You have nothing to do at the moment." in after


def test_a_kept_your_work_is_only_ever_its_own_persons(requests, people):
    """Two people of the same partnership, on the same day: each is served their own items,
    kept or not, and the scrutiny councillor who owes nothing never sees another's list."""
    for _visit in range(2):
        police = signed_in(people["police"]).get(HOME).content.decode()
        fire = signed_in(people["fire"]).get(HOME).content.decode()
        councillor = signed_in(people["scrutiny"]).get(HOME).content.decode()
        assert "Violence data" in police and "Deliberate fires" not in police
        assert "Deliberate fires" in fire and "Violence data" not in fire
        assert "Violence data" not in councillor and "Deliberate fires" not in councillor


def test_a_kept_your_work_is_worked_out_again_the_next_day(requests, people, monkeypatch):
    """What is due soon today is overdue a week later, with nothing changed in the records."""
    police = signed_in(people["police"])
    assert titles(section(police.get(HOME).content.decode(), "work-soon")) == [
        "Violence data (Trafford Police)"
    ]
    monkeypatch.setattr(selectors, "work_day", lambda: days(8))
    later = police.get(HOME).content.decode()
    assert titles(section(later, "work-overdue")) == ["Violence data (Trafford Police)"]
    assert "was due" in later and "1 day overdue" in later


def test_a_new_membership_shows_at_once(requests, people, other_partnership_with_request):
    """Joining another partnership is a change of the person's, not of the partnership they are
    kept under: their Your work lists the new partnership's item at once."""
    client = signed_in(people["police"])
    assert "Salford data" not in client.get(HOME).content.decode()
    other, _officer = other_partnership_with_request
    member(other, Role.CONTRIBUTOR, seat=Seat.POLICE, user=people["police"])
    assert "Salford data" in client.get(HOME).content.decode()


def _in_review(assessment, coordinator):
    complete(assessment, coordinator)
    return assessment_services.assessment_submit_for_review(
        acting_user=coordinator, assessment=assessment
    )


def test_a_role_that_owes_a_cycle_in_one_partnership_only_sees_that_share_and_all_of_it(
    open_assessment, coordinator, people, monkeypatch
):
    """Your work asks a cycle only where the person's role may owe it (``Cycle.owing_roles``):
    the police chief signs Trafford's assessment off as a strategy group member, while in
    Salford, where they answer for the police as a partner contributor, the assessment in review
    is the strategy group's there. Their Your work lists exactly what the sweep reminds them of
    in both partnerships, and the sign-off cycle is not asked about Salford at all."""
    chief = people["chief"]
    salford = PartnershipFactory(name="Salford", slug="salford")
    salford_coordinator = member(salford, Role.COORDINATOR, email="coord@salford.org")
    member(salford, Role.CONTRIBUTOR, seat=Seat.POLICE, user=chief)
    member(salford, Role.STRATEGY_MEMBER, seat=Seat.POLICE, email="chief@salford.org")
    salford_assessment = assessment_services.assessment_open_contributions(
        acting_user=salford_coordinator,
        assessment=assessment_services.assessment_start(
            acting_user=salford_coordinator, partnership=salford, year_start=TODAY.year + 1
        ),
    )
    request_to(
        salford_assessment,
        salford_coordinator,
        organisation_in(salford, Seat.POLICE),
        due=days(5),
        title="Salford data",
    )
    _in_review(salford_assessment, salford_coordinator)
    trafford = _in_review(open_assessment, coordinator)
    asked = []
    sign_off_due = AssessmentSignOffCycle.due

    def spy(cycle, *, today, partnership_ids=None):
        asked.append(set(partnership_ids))
        return sign_off_due(cycle, today=today, partnership_ids=partnership_ids)

    monkeypatch.setattr(AssessmentSignOffCycle, "due", spy)

    page = signed_in(chief).get(HOME).content.decode()
    assert asked == [{trafford.partnership_id}]
    assert str(trafford) in titles(page)
    assert "Salford data (Salford Police)" in titles(page)  # theirs to answer in Salford
    assert 'data-kind="assessment_sign_off"' in page and page.count("assessment_sign_off") == 1
    work = selectors.your_work(user=chief, today=TODAY)
    listed = {item.key for item in work.page.object_list} | {row.item.key for row in work.to_read}
    swept = {
        item.key
        for item in due_items(
            today=TODAY, partnership_ids=[trafford.partnership_id, salford.pk], to_read=None
        )
        if chief.pk in item.recipients
    }
    assert listed == swept
    assert f"assessment_sign_off:{salford_assessment.pk}" not in swept
    # Salford's own strategy group member is asked for Salford's.
    salford_chief = salford.memberships.get(role=Role.STRATEGY_MEMBER).user
    salford_page = signed_in(salford_chief).get(HOME).content.decode()
    assert str(salford_assessment) in titles(salford_page)
