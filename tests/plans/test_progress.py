"""Progress on the plan in force: My actions, a quarter's update on an action, the coordinator's
dashboard, and the deadlines they all read.

The plans of tests/plans/conftest.py start on 1 April 2027, so every test here runs on a fixed
day inside that period (``TODAY``, in the third quarter of 2027/28)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from partnerships.services import membership_create, membership_remove, partner_organisation_add
from plans import deadlines
from plans.models import (
    ActionStatus,
    MeasureActual,
    PartnershipPlan,
    PlanAction,
    PlanStatus,
    ProgressUpdate,
    Quarter,
)
from plans.selectors.progress import Course
from plans.services import approval, drafting
from plans.services.progress import action_progress_report
from reminders.cycles import cycle_for
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, UserFactory, member, organisation_in
from tests.shared_world import (  # noqa: F401 (fixtures)
    assessment,
    coordinator,
    media_root,
    other_partnership,
    partnership,
    police_officer,
    signers,
)

from .conftest import (
    YEAR,
    add_action,
    approved_assessment,
    shared_world,
    sign_off_by_every_seat,
)

pytestmark = pytest.mark.django_db

TODAY = date(YEAR, 11, 15)  # 2027/28 Q3; Q2 (July to September) is the last completed quarter
Q2, Q3 = Quarter(YEAR, 2), Quarter(YEAR, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(deadlines, "local_today", lambda: TODAY)
    return TODAY


@pytest.fixture(scope="module")
def world(module_data):
    """The partnerships, people and approved assessment, made once (tests/plans/conftest.py's
    ``shared_world``); each test still starts, approves and publishes its own plan on them."""
    return module_data.build(
        lambda: shared_world(today=TODAY, police_officer=True, other_partnership=True)
    )


@pytest.fixture
def action(published_plan):
    return published_plan.actions.get()


@pytest.fixture
def measure(action):
    return action.measures.get()


def progress_url(action) -> str:
    return reverse(
        "plans:action_progress",
        kwargs={"partnership_slug": action.partnership.slug, "action_id": action.pk},
    )


def dashboard_url(plan) -> str:
    return reverse(
        "plans:progress_dashboard",
        kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk},
    )


def form_data(measure=None, *, quarter=Q3, status=ActionStatus.ON_TRACK, actual="350", **extra):
    data = {"quarter": quarter.code, "status": status, "narrative": "Two hotspots patrolled."}
    if measure is not None:
        data[f"actual_{measure.pk}"] = actual
    return {**data, **extra}


def shown(page) -> str:
    """What a progress page showed of each quarter (its hidden ``revisions``)."""
    return re.search(r'name="revisions" value="([^"]*)"', page.content.decode()).group(1)


def _state():
    """Everything a report could touch, to prove that a refused one changed nothing."""
    return (
        list(ProgressUpdate.objects.order_by("pk").values_list("pk", "narrative", "status")),
        list(MeasureActual.objects.order_by("pk").values_list("pk", "value")),
        list(PlanAction.objects.order_by("pk").values_list("pk", "status", "revision")),
        list(PartnershipPlan.objects.order_by("pk").values_list("pk", "content_revision")),
        AuditEvent.objects.count(),
    )


def publish(plan, coordinator, signers):
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    sign_off_by_every_seat(plan, signers)
    return approval.plan_publish(acting_user=coordinator, plan=plan)


def second_partnership_serving(police, officer, name="Salford", actions=1):
    """Another partnership on which the same police force sits, with a published plan whose
    action the force leads; ``officer`` (if given) represents the force there too."""
    other = PartnershipFactory(name=name, slug=name.lower())
    partner_organisation_add(
        acting_user=None, partnership=other, organisation=police, seat=Seat.POLICE
    )
    if officer is not None:
        membership_create(
            acting_user=None,
            partnership=other,
            user=officer,
            role=Role.CONTRIBUTOR,
            organisation=police,
        )
    their_coordinator = member(other, Role.COORDINATOR)
    plan = drafting.plan_start(
        acting_user=their_coordinator,
        partnership=other,
        assessment=approved_assessment(other, their_coordinator),
    )
    for index in range(actions):
        drafting.plan_action_save(
            acting_user=their_coordinator,
            priority=plan.priorities.first(),
            description=f"{name} night-time economy patrols" + (f" {index}" if index else ""),
            lead_organisation=police,
            start_date=date(YEAR, 4, 1),
            due_date=date(YEAR + 1, 3, 31),
        )
    signers = {seat: member(other, Role.STRATEGY_MEMBER, seat=seat) for seat in Seat.statutory()}
    return publish(plan, their_coordinator, signers)


# Reporting progress -----------------------------------------------------------------------------


def test_the_lead_organisation_reports_the_quarter(police_officer, action, measure):
    client = signed_in(police_officer)
    page = client.get(progress_url(action)).content.decode()
    assert f'value="{Q3.code}" selected' in page
    assert Quarter(YEAR, 4).code not in page  # never a future quarter
    revision = action.plan.content_revision

    response = client.post(progress_url(action), form_data(measure))

    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.action, update.period, update.status) == (action, Q3, ActionStatus.ON_TRACK)
    assert update.submitted_by == police_officer
    actual = MeasureActual.objects.get()
    assert (actual.measure, actual.period, actual.value) == (measure, Q3, Decimal(350))
    action.refresh_from_db()
    assert action.status == ActionStatus.ON_TRACK
    action.plan.refresh_from_db()
    assert action.plan.content_revision == revision  # progress is not plan content
    event = AuditEvent.objects.get(action="plan.progress_report")
    assert event.actor == police_officer
    assert event.changes["status"] == [ActionStatus.NOT_STARTED, ActionStatus.ON_TRACK]
    page = client.get(progress_url(action)).content.decode()
    assert "Two hotspots patrolled." in page
    assert "Progress for 2027/28 Q3 saved." in page


def test_the_coordinator_reports_on_any_action(coordinator_client, action, measure):
    response = coordinator_client.post(
        progress_url(action), form_data(measure, status=ActionStatus.AT_RISK)
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.AT_RISK


def test_a_strategy_member_of_the_lead_organisation_reports(partnership, action, measure):
    chief = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE)
    assert signed_in(chief).post(progress_url(action), form_data(measure)).status_code == 302
    assert ProgressUpdate.objects.count() == 1


def _same_force_in_another_partnership(partnership, other_partnership):
    """An officer of the action's lead organisation (so in its group, which holds the object
    permission) who represents it on another partnership only."""
    police = organisation_in(partnership, Seat.POLICE)
    partner_organisation_add(
        acting_user=None, partnership=other_partnership, organisation=police, seat=Seat.POLICE
    )
    officer = UserFactory(email="police-elsewhere@example.org")
    membership_create(
        acting_user=None,
        partnership=other_partnership,
        user=officer,
        role=Role.CONTRIBUTOR,
        organisation=police,
    )
    return officer


@pytest.mark.parametrize(
    ("who", "sees_page"),
    [
        ("council_contributor", False),
        ("scrutiny", False),
        ("pcc_office", False),
        ("police_scrutiny", False),
        ("council_strategy_member", True),  # views progress, but reports only for the police
        ("same_force_other_partnership", False),
    ],
)
def test_everyone_else_is_refused_and_nothing_changes(
    partnership, other_partnership, action, measure, who, sees_page
):
    users = {
        "council_contributor": lambda: member(partnership, Role.CONTRIBUTOR),
        "scrutiny": lambda: member(partnership, Role.SCRUTINY),
        "pcc_office": lambda: member(partnership, Role.PCC_OFFICE),
        "police_scrutiny": lambda: member(partnership, Role.SCRUTINY, seat=Seat.POLICE),
        "council_strategy_member": lambda: member(partnership, Role.STRATEGY_MEMBER),
        "same_force_other_partnership": lambda: _same_force_in_another_partnership(
            partnership, other_partnership
        ),
    }
    client = signed_in(users[who]())
    before = _state()

    page = client.get(progress_url(action))
    assert page.status_code == (200 if sees_page else 404)
    if sees_page:
        assert 'name="narrative"' not in page.content.decode()
    assert client.post(progress_url(action), form_data(measure)).status_code == 404
    through_other = reverse(
        "plans:action_progress",
        kwargs={"partnership_slug": other_partnership.slug, "action_id": action.pk},
    )
    assert client.post(through_other, form_data(measure)).status_code == 404
    assert "Patrol hotspots" not in client.get(reverse("plans:my_actions")).content.decode()

    assert _state() == before
    assert not ProgressUpdate.objects.exists()
    assert not MeasureActual.objects.exists()
    assert not AuditEvent.objects.filter(action="plan.progress_report").exists()


def test_the_service_asserts_who_may_report(partnership, action, measure):
    council = member(partnership, Role.CONTRIBUTOR)
    before = _state()
    with pytest.raises(PermissionDenied):
        action_progress_report(
            acting_user=council,
            action=action,
            quarter=Q3,
            narrative="Not ours",
            status=ActionStatus.COMPLETE,
            actuals={measure.pk: Decimal(1)},
            today=TODAY,
        )
    assert _state() == before


@pytest.mark.parametrize(
    "code",
    [
        Quarter(YEAR + 5, 1).code,  # outside the plan period
        Quarter(YEAR - 1, 4).code,  # before it
        Quarter(YEAR, 4).code,  # in the plan, but not started yet
        "2027-9",
        "next quarter",
    ],
)
def test_a_quarter_outside_the_plan_is_refused(police_officer, action, measure, code):
    before = _state()
    response = signed_in(police_officer).post(
        progress_url(action), {**form_data(measure), "quarter": code}
    )
    assert response.status_code == 400
    assert "Choose a quarter of this plan" in response.content.decode()
    assert _state() == before


def test_the_service_refuses_a_future_quarter_and_another_actions_measure(
    police_officer, partnership, published_plan, action, measure, other_partnership
):
    before = _state()
    with pytest.raises(ValidationError) as refused:
        action_progress_report(
            acting_user=police_officer,
            action=action,
            quarter=Quarter(YEAR, 4),
            narrative="Early",
            status=ActionStatus.ON_TRACK,
            today=TODAY,
        )
    assert "quarter" in refused.value.message_dict
    with pytest.raises(ValidationError):
        action_progress_report(
            acting_user=police_officer,
            action=action,
            quarter=Q3,
            narrative="Someone else's measure",
            status=ActionStatus.ON_TRACK,
            actuals={measure.pk + 1000: Decimal(1)},
            today=TODAY,
        )
    assert _state() == before


@pytest.mark.parametrize(
    ("actual", "message"),
    [
        ("lots", "Enter the actual for Incidents reported as a number"),
        ("1.234", "at most 2 decimal places"),
        ("1234567890123", "at most 12 digits"),
    ],
)
def test_an_actual_that_is_not_a_number_is_refused(
    police_officer, action, measure, actual, message
):
    before = _state()
    response = signed_in(police_officer).post(
        progress_url(action), form_data(measure, actual=actual)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'href="#id_actual_{measure.pk}"' in page  # the error summary links to the field
    assert _state() == before


def test_a_narrative_and_status_are_required(police_officer, action, measure):
    before = _state()
    response = signed_in(police_officer).post(
        progress_url(action), form_data(measure, narrative="", status="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say what progress has been made this quarter" in page
    assert "Select the action&#x27;s status" in page
    assert _state() == before


def test_reporting_a_quarter_again_corrects_it(police_officer, action, measure):
    client = signed_in(police_officer)
    client.post(progress_url(action), form_data(measure, actual="350"))
    client.post(
        progress_url(action),
        form_data(
            measure,
            actual="330",
            status=ActionStatus.AT_RISK,
            narrative="Corrected.",
            revisions=shown(client.get(progress_url(action))),
        ),
    )

    update = ProgressUpdate.objects.get()
    assert (update.narrative, update.status) == ("Corrected.", ActionStatus.AT_RISK)
    assert MeasureActual.objects.get().value == Decimal(330)
    action.refresh_from_db()
    assert action.status == ActionStatus.AT_RISK
    assert AuditEvent.objects.filter(action="plan.progress_report").count() == 2
    # An earlier quarter is its own update; a blank actual leaves the quarter's figure alone.
    client.post(progress_url(action), form_data(measure, quarter=Q2, actual="370"))
    again = client.get(progress_url(action) + f"?quarter={Q2.code}")
    client.post(
        progress_url(action), form_data(measure, quarter=Q2, actual="", revisions=shown(again))
    )
    assert ProgressUpdate.objects.count() == 2
    assert sorted(MeasureActual.objects.values_list("quarter", "value")) == [
        (2, Decimal(370)),
        (3, Decimal(330)),
    ]
    # The page opens an earlier quarter's update for correction, and shows the history.
    page = client.get(progress_url(action) + f"?quarter={Q2.code}").content.decode()
    assert f'value="{Q2.code}" selected' in page
    assert 'value="370"' in page
    history = page[page.index('data-testid="measure-') :]
    assert history.index("2027/28 Q2") < history.index("2027/28 Q3")


@pytest.mark.parametrize("reported_before", [False, True], ids=["first-report", "correction"])
def test_from_two_tabs_the_second_save_is_refused_and_shows_the_first(
    police_officer, partnership, action, measure, reported_before
):
    if reported_before:
        action_progress_report(
            acting_user=police_officer,
            action=action,
            quarter=Q3,
            narrative="As it was.",
            status=ActionStatus.ON_TRACK,
        )
    colleague = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="sam@police.example")
    first_tab, second_tab = signed_in(colleague), signed_in(police_officer)
    first_page, second_page = (
        first_tab.get(progress_url(action)),
        second_tab.get(progress_url(action)),
    )

    saved = first_tab.post(
        progress_url(action),
        form_data(measure, narrative="Sam's account.", actual="310", revisions=shown(first_page)),
    )
    assert saved.status_code == 302
    before = _state()

    refused = second_tab.post(
        progress_url(action),
        form_data(
            measure,
            narrative="My account.",
            status=ActionStatus.AT_RISK,
            actual="999",
            revisions=shown(second_page),
        ),
    )

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "saved a change at" in page and "Your change has not been saved" in page
    their_version = page[page.index('data-testid="their-version"') :]
    assert "Sam&#x27;s account." in their_version[: their_version.index("</div>")]
    assert "My account." in page  # what they typed is still in the form, to copy from
    assert _state() == before  # nothing overwritten, nothing audited
    update = ProgressUpdate.objects.get()
    assert (update.narrative, update.submitted_by) == ("Sam's account.", colleague)
    assert MeasureActual.objects.get().value == Decimal(310)

    # Having seen it, they save again: now it builds on Sam's.
    again = second_tab.post(
        progress_url(action),
        form_data(measure, narrative="Both accounts.", revisions=shown(refused)),
    )
    assert again.status_code == 302
    assert ProgressUpdate.objects.get().narrative == "Both accounts."


def test_the_service_refuses_a_report_over_a_newer_one(police_officer, action):
    action_progress_report(
        acting_user=police_officer, action=action, quarter=Q3, narrative="1", status="on_track"
    )
    with pytest.raises(ValidationError) as refused:
        action_progress_report(
            acting_user=police_officer,
            action=action,
            quarter=Q3,
            narrative="2",
            status="on_track",
            revision=0,
        )
    assert refused.value.code == "stale"
    assert ProgressUpdate.objects.get().narrative == "1"
    action_progress_report(
        acting_user=police_officer,
        action=action,
        quarter=Q3,
        narrative="3",
        status="on_track",
        revision=1,
    )
    assert ProgressUpdate.objects.get().revision == 2


def test_a_draft_plans_actions_are_not_reported_on(
    police_officer, coordinator_client, plan_with_action
):
    action = plan_with_action.actions.get()
    client = signed_in(police_officer)
    before = _state()
    for user_client in (client, coordinator_client):
        assert user_client.get(progress_url(action)).status_code == 404
        assert user_client.post(progress_url(action), form_data()).status_code == 404
    assert "Patrol hotspots" not in client.get(reverse("plans:my_actions")).content.decode()
    with pytest.raises(ValidationError):
        action_progress_report(
            acting_user=police_officer,
            action=action,
            quarter=Q3,
            narrative="Too early",
            status=ActionStatus.ON_TRACK,
            today=TODAY,
        )
    assert _state() == before


def test_an_approved_first_plan_is_in_force_before_publication(
    police_officer, plan_with_action, coordinator, signers
):
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    plan = sign_off_by_every_seat(plan_with_action, signers)
    assert plan.status == PlanStatus.APPROVED
    action = plan.actions.get()
    client = signed_in(police_officer)
    assert "Patrol hotspots" in client.get(reverse("plans:my_actions")).content.decode()
    assert client.post(progress_url(action), form_data()).status_code == 302


def test_before_the_plan_period_nothing_can_be_reported(
    monkeypatch, police_officer, action, measure
):
    monkeypatch.setattr(deadlines, "local_today", lambda: date(YEAR, 3, 1))
    client = signed_in(police_officer)
    page = client.get(progress_url(action)).content.decode()
    assert "Progress can be reported once the plan period starts on 1 April 2027" in page
    assert 'name="narrative"' not in page
    assert client.post(progress_url(action), form_data(measure)).status_code == 404
    assert not ProgressUpdate.objects.exists()


# My actions -------------------------------------------------------------------------------------


def test_my_actions_across_partnerships(police_officer, partnership, action):
    police = organisation_in(partnership, Seat.POLICE)
    second_partnership_serving(police, police_officer, "Salford")
    # A partnership the force sits on, but this officer does not serve.
    second_partnership_serving(police, None, "Wigan")
    client = signed_in(police_officer)
    action_progress_report(
        acting_user=police_officer,
        action=action,
        quarter=Q3,
        narrative="Done this quarter",
        status=ActionStatus.ON_TRACK,
        today=TODAY,
    )

    page = client.get(reverse("plans:my_actions")).content.decode()

    assert "Patrol hotspots" in page and "Salford night-time economy patrols" in page
    assert "Wigan" not in page
    assert page.index(">Salford</h2>") < page.index(">Trafford</h2>")
    assert "2 actions have no update for the last quarter." in page
    salford = PlanAction.objects.get(description__startswith="Salford")
    row = page[page.index(f'data-action="{salford.pk}"') :]
    assert "Overdue" in row[: row.index("</tr>")]
    mine = page[page.index(f'data-action="{action.pk}"') :]
    assert "Update in" in mine[: mine.index("</tr>")]

    by_due = client.get(reverse("plans:my_actions") + "?order=due").content.decode()
    assert "Actions by due date" in by_due and ">Salford</td>" in by_due


def test_my_actions_shows_each_change_through_a_service_as_soon_as_it_is_saved(
    police_officer, coordinator, partnership, action, django_capture_on_commit_callbacks
):
    """Your actions is kept under the change stamps of the partnerships the person serves
    (issue 17): a progress update (theirs or another's), a partnership joined or left, each
    through its service, shows on the next request; nothing kept from before is served."""
    client = signed_in(police_officer)
    url = reverse("plans:my_actions")
    page = client.get(url).content.decode()
    row = page[page.index(f'data-action="{action.pk}"') :]
    assert "Update in" not in row[: row.index("</tr>")]

    with django_capture_on_commit_callbacks(execute=True):
        action_progress_report(
            acting_user=coordinator,
            action=action,
            quarter=Q3,
            narrative="Reported for the force",
            status=ActionStatus.AT_RISK,
            today=TODAY,
        )
    page = client.get(url).content.decode()
    row = page[page.index(f'data-action="{action.pk}"') :]
    assert "Update in" in row[: row.index("</tr>")] and "At risk" in row[: row.index("</tr>")]

    police = organisation_in(partnership, Seat.POLICE)
    with django_capture_on_commit_callbacks(execute=True):
        salford = second_partnership_serving(police, police_officer, "Salford")
    assert "Salford night-time economy patrols" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(
            acting_user=salford.partnership.memberships.get(role=Role.COORDINATOR).user,
            membership=police_officer.memberships.get(partnership=salford.partnership),
        )
    assert "Salford night-time economy patrols" not in client.get(url).content.decode()


def test_my_actions_kept_for_one_person_is_never_anothers(police_officer, partnership, action):
    """Each person's list is kept for them alone: a colleague of the same partnership who leads
    nothing is not shown the officer's list, kept a moment before."""
    assert (
        "Patrol hotspots"
        in signed_in(police_officer).get(reverse("plans:my_actions")).content.decode()
    )
    colleague = member(partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH)
    page = signed_in(colleague).get(reverse("plans:my_actions")).content.decode()
    assert "does not lead any actions" in page and "Patrol hotspots" not in page


def test_my_actions_is_empty_for_someone_who_leads_nothing(partnership, published_plan):
    client = signed_in(member(partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH))
    page = client.get(reverse("plans:my_actions")).content.decode()
    assert "does not lead any actions" in page


def _count_queries(client, url) -> int:
    client.get(url)  # the first request in a process also loads Django's content type cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_my_actions_runs_a_fixed_number_of_queries(police_officer, partnership, published_plan):
    client = signed_in(police_officer)
    small = _count_queries(client, reverse("plans:my_actions"))
    small_fresh = _count_fresh_queries(client, reverse("plans:my_actions"))
    police = organisation_in(partnership, Seat.POLICE)
    for name in ("Salford", "Wigan", "Bolton"):
        other = second_partnership_serving(police, police_officer, name, actions=4)
        coordinator = other.partnership.memberships.get(role=Role.COORDINATOR).user
        for index, action in enumerate(other.actions.all()):
            action_progress_report(
                acting_user=coordinator,
                action=action,
                quarter=Q2,
                narrative=f"Update {index}",
                status=ActionStatus.AT_RISK,
                today=TODAY,
            )
    large = _count_queries(client, reverse("plans:my_actions"))
    assert client.get(reverse("plans:my_actions")).content.decode().count("data-action=") == 13
    assert large == small
    assert small <= 12  # one for the menu: the partnership last worked in, or their first
    # Worked out afresh (nothing kept in the cache: the first request of the day), the same at
    # both sizes too, and dearer than kept.
    large_fresh = _count_fresh_queries(client, reverse("plans:my_actions"))
    assert large_fresh == small_fresh
    assert small < small_fresh <= 16


# The dashboard ----------------------------------------------------------------------------------


@pytest.fixture
def progress_plan(draft_plan, coordinator, signers, partnership):
    """A published plan with a small known state: four actions under two priorities."""
    asb, vawdasv = (
        draft_plan.priorities.get(theme="anti_social_behaviour"),
        draft_plan.priorities.get(theme="vawdasv"),
    )
    police = add_action(draft_plan, coordinator, priority=asb, description="Patrol hotspots")
    council = add_action(
        draft_plan, coordinator, seat=Seat.LOCAL_AUTHORITY, priority=asb, description="CCTV"
    )
    health = add_action(
        draft_plan, coordinator, seat=Seat.HEALTH, priority=vawdasv, description="IDVA referrals"
    )
    late = drafting.plan_action_save(
        acting_user=coordinator,
        priority=vawdasv,
        description="Refuge review",
        lead_organisation=organisation_in(partnership, Seat.PROBATION),
        start_date=date(YEAR, 4, 1),
        due_date=date(YEAR, 9, 30),
    )
    plan = publish(draft_plan, coordinator, signers)
    # Patrols: on track for Q2, 350 incidents (a steady path would be at about 360: on course).
    # CCTV: at risk, reported for Q3 only, 390 (a steady path would be at 340: not on course).
    # Referrals: complete in Q2 with 300, beating its target of 320; the review reports nothing.
    for action, quarter, status, value in (
        (police, Q2, ActionStatus.ON_TRACK, 350),
        (council, Q3, ActionStatus.AT_RISK, 390),
        (health, Q2, ActionStatus.COMPLETE, 300),
    ):
        action_progress_report(
            acting_user=coordinator,
            action=action,
            quarter=quarter,
            narrative="Reported",
            status=status,
            actuals={action.measures.get().pk: Decimal(value)},
            today=TODAY,
        )
    return plan, {"police": police, "council": council, "health": health, "late": late}


def _row(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</tr>", start)]


def _cells(row: str) -> list[str]:
    import re

    return re.findall(r'<td class="govuk-table__cell[^"]*">([^<]*)</td>', row)


def test_the_dashboard_counts_measures_and_overdue(coordinator_client, progress_plan):
    plan, actions = progress_plan
    response = coordinator_client.get(dashboard_url(plan))
    assert response.status_code == 200
    page = response.content.decode()

    # Not started, on track, at risk, off track, complete; then all actions.
    assert _cells(_row(page, 'data-priority="anti_social_behaviour"')) == [
        "0", "1", "1", "0", "0", "2",
    ]  # fmt: skip
    assert _cells(_row(page, 'data-priority="vawdasv"')) == ["1", "0", "0", "0", "1", "2"]
    assert _cells(_row(page, 'data-priority="total"')) == ["1", "1", "1", "0", "1", "4"]

    # The chart draws the same numbers: one bar per priority, its segments' counts as above.
    chart = response.context["status_chart"]
    assert [[segment.count for segment in bar.segments] for bar in chart.bars] == [[1, 1], [1, 1]]
    assert page.count('role="img"') == 1
    dashboard = response.context["dashboard"]
    courses = {row.action.description: row.course for row in dashboard.measures}
    assert courses == {
        "Patrol hotspots": Course.ON_COURSE,
        "CCTV": Course.OFF_COURSE,
        "IDVA referrals": Course.MET,
    }
    latest = {
        row.action.description: row.latest and row.latest.period for row in dashboard.measures
    }
    assert latest["CCTV"] == Q3
    assert "Not on course" in _row(page, f'data-measure="{actions["council"].measures.get().pk}"')

    # No Q2 update: the CCTV (it reported Q3 only) and the review; complete actions owe nothing.
    overdue = page[page.index('data-testid="overdue-updates"') :]
    overdue = overdue[: overdue.index("</table>")]
    assert "CCTV" in overdue and "Refuge review" in overdue
    assert "Patrol hotspots" not in overdue and "IDVA referrals" not in overdue
    past_due = page[page.index('data-testid="past-due"') :]
    past_due = past_due[: past_due.index("</table>")]
    assert "Refuge review" in past_due and "CCTV" not in past_due
    assert "2027/28 Q3: 1 of 4 actions have reported." in page


def test_the_dashboard_is_for_those_who_follow_progress(
    partnership, progress_plan, draft_plan, coordinator_client
):
    """Whoever may not follow progress never receives the dashboard, even once it is kept in the
    cache for those who may."""
    plan, _actions = progress_plan
    assert coordinator_client.get(dashboard_url(plan)).status_code == 200
    for role, status in (
        (Role.STRATEGY_MEMBER, 200),
        (Role.CONTRIBUTOR, 404),
        (Role.SCRUTINY, 404),
        (Role.PCC_OFFICE, 404),
    ):
        assert signed_in(member(partnership, role)).get(dashboard_url(plan)).status_code == status


def test_the_dashboard_shows_a_progress_update_as_soon_as_it_is_saved(
    coordinator_client, coordinator, progress_plan, django_capture_on_commit_callbacks
):
    """The dashboard's body is kept under the partnership's change stamp (issue 17): a progress
    update, through its service, moves the stamp when it commits, so the next request works the
    dashboard out again and shows it; nothing kept from before is served."""
    plan, actions = progress_plan
    before = coordinator_client.get(dashboard_url(plan)).content.decode()
    assert "2027/28 Q3: 1 of 4 actions have reported." in before

    with django_capture_on_commit_callbacks(execute=True):
        action_progress_report(
            acting_user=coordinator,
            action=actions["police"],
            quarter=Q3,
            narrative="Patrols cut back",
            status=ActionStatus.OFF_TRACK,
            today=TODAY,
        )
    after = coordinator_client.get(dashboard_url(plan)).content.decode()
    assert "2027/28 Q3: 2 of 4 actions have reported." in after
    # Not started, on track, at risk, off track, complete; then all actions.
    assert _cells(_row(after, 'data-priority="anti_social_behaviour"')) == [
        "0", "0", "1", "1", "0", "2",
    ]  # fmt: skip


def test_the_dashboard_is_worked_out_again_on_the_next_day(
    coordinator_client, progress_plan, monkeypatch
):
    """What is overdue and the quarter being reported depend on the day: a dashboard kept
    yesterday is not today's."""
    plan, _actions = progress_plan
    page = coordinator_client.get(dashboard_url(plan)).content.decode()
    assert "2027/28 Q3: 1 of 4 actions have reported." in page
    monkeypatch.setattr(deadlines, "local_today", lambda: date(YEAR + 1, 1, 5))  # 2027/28 Q4
    page = coordinator_client.get(dashboard_url(plan)).content.decode()
    assert "2027/28 Q4: 0 of 4 actions have reported." in page
    overdue = page[page.index('data-testid="overdue-updates"') :]
    assert "Patrol hotspots" in overdue[: overdue.index("</table>")]  # no Q3 update


def test_a_draft_has_no_dashboard(coordinator_client, draft_plan):
    assert coordinator_client.get(dashboard_url(draft_plan)).status_code == 404


def test_the_dashboard_runs_a_fixed_number_of_queries(
    coordinator_client, coordinator, draft_plan, signers, partnership
):
    add_action(draft_plan, coordinator)
    plan = publish(draft_plan, coordinator, signers)
    small = _count_queries(coordinator_client, dashboard_url(plan))

    newer = drafting.plan_refresh(acting_user=coordinator, plan=plan, assessment=plan.assessment)
    for priority in newer.priorities.all():
        for seat in Seat.statutory():
            action = add_action(newer, coordinator, seat=seat, priority=priority)
            drafting.measure_save(
                acting_user=coordinator,
                action=action,
                name="Repeat victims",
                baseline=Decimal(50),
                target=Decimal(60),
            )
    newer = publish(newer, coordinator, signers)
    for action in newer.actions.all()[:6]:
        action_progress_report(
            acting_user=coordinator,
            action=action,
            quarter=Q2,
            narrative="Reported",
            status=ActionStatus.ON_TRACK,
            actuals={measure.pk: Decimal(10) for measure in action.measures.all()},
            today=TODAY,
        )
    assert newer.actions.count() > 10
    large = _count_queries(coordinator_client, dashboard_url(newer))
    assert large == small
    assert small <= 14
    # Worked out afresh (the kept body gone), the same at both sizes too, and dearer than kept.
    small_fresh = _count_fresh_queries(coordinator_client, dashboard_url(plan))
    large_fresh = _count_fresh_queries(coordinator_client, dashboard_url(newer))
    assert large_fresh == small_fresh
    assert small < small_fresh <= 16


def _count_fresh_queries(client, url) -> int:
    """``_count_queries`` for a page worked out afresh: with nothing kept in the cache."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Deadlines --------------------------------------------------------------------------------------


def test_one_persons_share_of_the_progress_cycle_is_what_the_sweep_chases_them_for(
    police_officer, coordinator, signers, partnership, action
):
    """Your work asks the cycle for one person's updates alone (issue 17): the very items the
    sweep reminds that person of, in the partnerships asked about, and nobody else's."""
    police = organisation_in(partnership, Seat.POLICE)
    salford = second_partnership_serving(police, police_officer, "Salford", actions=2)
    cycle = cycle_for("progress_update")
    everything = list(cycle.due(today=TODAY))
    both = [partnership.pk, salford.partnership_id]

    def share(person, partnership_ids):
        return list(cycle.due_to(user_id=person.pk, today=TODAY, partnership_ids=partnership_ids))

    for person in (police_officer, signers[Seat.POLICE], coordinator):
        assert share(person, both) == [item for item in everything if person.pk in item.recipients]
    assert len(share(police_officer, both)) == 6  # three actions, two quarters each
    assert {item.partnership_id for item in share(police_officer, [partnership.pk])} == {
        partnership.pk
    }
    assert share(coordinator, both) == []  # may report on any action, chased for none

    action.status = ActionStatus.COMPLETE
    action.save(update_fields=["status"])
    assert {item.partnership_id for item in share(police_officer, both)} == {salford.partnership_id}


def test_what_is_due_when_and_from_whom(police_officer, signers, published_plan, action):
    due = deadlines.progress_due(plan=published_plan, today=TODAY)
    assert [(item.quarter, item.due_on, item.is_overdue) for item in due] == [
        (Q2, date(YEAR, 9, 30), True),
        (Q3, date(YEAR, 12, 31), False),
    ]
    assert due[1].days_left == 46
    # The force's people who report: its analyst and its strategy group member, not the coordinator.
    assert {
        action_id: set(people) for action_id, people in deadlines.due_from(updates=due).items()
    } == {action.pk: {police_officer, signers[Seat.POLICE]}}
    assert [item.action for item in deadlines.all_progress_due(today=TODAY)] == [action, action]
    assert [
        item.quarter for item in deadlines.overdue_updates(plan=published_plan, today=TODAY)
    ] == [Q2]

    action_progress_report(
        acting_user=police_officer,
        action=action,
        quarter=Q2,
        narrative="Late, but in",
        status=ActionStatus.COMPLETE,
        today=TODAY,
    )
    assert deadlines.progress_due(plan=published_plan, today=TODAY) == []  # complete owes nothing
    assert deadlines.progress_due(plan=published_plan, today=date(YEAR, 3, 31)) == []
    assert deadlines.reporting_quarter(plan=published_plan, today=date(YEAR, 3, 31)) is None
    assert deadlines.reportable_quarters(plan=published_plan, today=date(YEAR, 7, 1)) == [
        Q2,
        Quarter(YEAR, 1),
    ]


def test_an_action_owes_nothing_before_it_starts_and_drafts_owe_nothing(
    coordinator, draft_plan, signers, partnership
):
    drafting.plan_action_save(
        acting_user=coordinator,
        priority=draft_plan.priorities.first(),
        description="Starts next year",
        lead_organisation=organisation_in(partnership, Seat.POLICE),
        start_date=date(YEAR + 1, 4, 1),
        due_date=date(YEAR + 2, 3, 31),
    )
    assert deadlines.progress_due(plan=draft_plan, today=TODAY) == []
    plan = publish(draft_plan, coordinator, signers)
    assert deadlines.progress_due(plan=plan, today=TODAY) == []
    assert [
        item.quarter for item in deadlines.progress_due(plan=plan, today=date(YEAR + 1, 5, 2))
    ] == [Quarter(YEAR + 1, 1)]


def test_a_refresh_awaiting_publication_is_not_in_force(
    coordinator, published_plan, signers, police_officer
):
    newer = drafting.plan_refresh(
        acting_user=coordinator, plan=published_plan, assessment=published_plan.assessment
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=newer)
    newer = sign_off_by_every_seat(newer, signers)
    assert newer.status == PlanStatus.APPROVED
    assert not deadlines.is_in_force(newer)
    assert deadlines.is_in_force(published_plan)
    rows = signed_in(police_officer).get(reverse("plans:my_actions")).context["rows"]
    assert [row.action.plan_id for row in rows] == [published_plan.pk]
