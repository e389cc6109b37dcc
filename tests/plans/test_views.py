import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from plans.models import PartnershipPlan, PlanAction, PlanSection, PlanStatus, SignOff
from plans.services import approval
from tests.conftest import signed_in
from tests.factories import member, organisation_in

from .conftest import YEAR, add_action, sign_off_by_every_seat

pytestmark = pytest.mark.django_db


def url(name, plan, **kwargs):
    return reverse(
        f"plans:{name}",
        kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk, **kwargs},
    )


def _state():
    return (
        list(
            PartnershipPlan.objects.order_by("pk").values_list("pk", "status", "content_revision")
        ),
        list(PlanSection.objects.order_by("pk").values_list("pk", "body", "revision")),
        list(PlanAction.objects.order_by("pk").values_list("pk", "description", "status")),
        SignOff.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.COORDINATOR, {"draft", "consultation", "published"}),
        (Role.STRATEGY_MEMBER, {"draft", "consultation", "published"}),
        (Role.CONTRIBUTOR, {"consultation", "published"}),
        (Role.SCRUTINY, {"published"}),
        (Role.PCC_OFFICE, {"published"}),
    ],
)
def test_who_sees_which_version(published_plan, coordinator, partnership, role, visible):
    from plans.services import drafting

    from .conftest import approved_assessment

    refresh = drafting.plan_refresh(
        acting_user=coordinator,
        plan=published_plan,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )
    client = signed_in(member(partnership, role))
    seen = set()
    for status in ("draft", "consultation"):
        if status == "consultation":
            approval.plan_open_consultation(acting_user=coordinator, plan=refresh)
        if client.get(url("detail", refresh)).status_code == 200:
            seen.add(status)
    if client.get(url("detail", published_plan)).status_code == 200:
        seen.add("published")
    assert seen == visible


@pytest.mark.parametrize("role", [Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY])
def test_only_the_coordinator_writes_and_refusals_change_nothing(
    plan_with_action, partnership, role
):
    client = signed_in(member(partnership, role, seat=Seat.POLICE))
    plan = plan_with_action
    action = plan.actions.get()
    before = _state()
    responses = [
        client.post(url("section_edit", plan, kind="summary"), {"revision": 1, "body": "X"}),
        client.post(url("priority_add", plan), {"theme": "prevent", "rationale": "R"}),
        client.post(url("action_remove", plan, action_id=action.pk)),
        client.post(url("consultation", plan)),
        client.post(url("publish", plan)),
        client.post(
            reverse("plans:approval_rule", kwargs={"partnership_slug": partnership.slug}),
            {"seats": ["police"]},
        ),
    ]
    assert [response.status_code for response in responses] == [404] * len(responses)
    assert _state() == before


def test_a_stale_section_edit_shows_the_other_persons_text(draft_plan, coordinator, partnership):
    deputy = member(partnership, Role.COORDINATOR, email="deputy@example.org")
    section_url = url("section_edit", draft_plan, kind="serious_violence")
    signed_in(deputy).post(section_url, {"revision": 1, "body": "The deputy's **strategy**"})

    response = signed_in(coordinator).post(section_url, {"revision": 1, "body": "Mine"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "after you opened this page" in page
    assert "The deputy's <strong>strategy</strong>" in page
    assert 'name="revision" value="2"' in page
    assert draft_plan.sections.get(kind="serious_violence").body == "The deputy's **strategy**"


def test_rich_text_is_sanitised_on_the_page(draft_plan, coordinator):
    client = signed_in(coordinator)
    client.post(
        url("section_edit", draft_plan, kind="summary"),
        {
            "revision": 1,
            "body": "Safer **streets**<script>alert(1)</script> [x](javascript:alert(2))",
        },
    )
    page = client.get(url("detail", draft_plan)).content.decode()
    assert "Safer <strong>streets</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page


def test_an_action_with_dates_outside_the_plan_is_refused(draft_plan, coordinator):
    client = signed_in(coordinator)
    priority = draft_plan.priorities.first()
    response = client.post(
        url("action_add", draft_plan, plan_priority_id=priority.pk),
        {
            "description": "Patrols",
            "lead_organisation": organisation_in(draft_plan.partnership, Seat.POLICE).pk,
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": str(YEAR - 1),
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": str(YEAR + 1),
        },
    )
    assert response.status_code == 400
    assert "Enter a date within the plan period, 1 April 2027 to 31 March 2030" in (
        response.content.decode()
    )
    assert not PlanAction.objects.exists()


def test_sign_off_and_publication_from_the_pages(plan_with_action, coordinator, signers):
    client = signed_in(coordinator)
    client.post(url("consultation", plan_with_action))
    police = signed_in(signers[Seat.POLICE])
    page = police.get(url("detail", plan_with_action)).content.decode()
    assert url("sign_off", plan_with_action) in page
    police.post(url("sign_off", plan_with_action))
    assert (
        url("sign_off", plan_with_action)
        not in police.get(url("detail", plan_with_action)).content.decode()
    )
    assert SignOff.objects.get().seat == Seat.POLICE
    sign_off_by_every_seat_but_police = {s: u for s, u in signers.items() if s != Seat.POLICE}
    sign_off_by_every_seat(plan_with_action, sign_off_by_every_seat_but_police)
    assert plan_with_action.status == PlanStatus.APPROVED
    client.post(url("publish", plan_with_action))
    plan_with_action.refresh_from_db()
    assert plan_with_action.status == PlanStatus.PUBLISHED


def test_the_plan_page_runs_a_fixed_number_of_queries(draft_plan, coordinator, pcc_priorities):
    client = signed_in(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("detail", draft_plan))
        assert response.status_code == 200
        return len(captured)

    add_action(draft_plan, coordinator)
    queries()  # the session's first request writes it; the ones within the minute do not
    small = queries()
    for priority in draft_plan.priorities.all():
        for index in range(4):
            add_action(
                draft_plan,
                coordinator,
                priority=priority,
                seat=[Seat.POLICE, Seat.HEALTH, Seat.PROBATION, Seat.FIRE_AND_RESCUE][index],
                description=f"Action {index}",
            )
    assert queries() == small
    assert small <= 22


def test_compare_shows_what_changed(published_plan, coordinator, partnership, signers):
    from plans.services import drafting

    from .conftest import approved_assessment

    refresh = drafting.plan_refresh(
        acting_user=coordinator,
        plan=published_plan,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )
    action = refresh.actions.get()
    drafting.plan_action_save(
        acting_user=coordinator,
        priority=action.priority,
        action=action,
        description="Patrol hotspots and parks",
        lead_organisation=action.lead_organisation,
        start_date=action.start_date,
        due_date=action.due_date,
    )
    page = (
        signed_in(coordinator)
        .get(url("compare", refresh), {"other": published_plan.pk})
        .content.decode()
    )
    assert (
        '<del><span class="govuk-visually-hidden">Removed: </span>Action: Patrol hotspots –' in page
    )
    assert (
        '<ins><span class="govuk-visually-hidden">Added: </span>Action: Patrol hotspots and parks'
        in page
    )


def test_compare_with_one_other_version_shows_the_changes_straight_away(
    published_plan, coordinator, partnership
):
    from plans.services import drafting

    from .conftest import approved_assessment

    refresh = drafting.plan_refresh(
        acting_user=coordinator,
        plan=published_plan,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )
    client = signed_in(coordinator)
    page = client.get(url("compare", refresh)).content.decode()
    assert f"Changes from version {published_plan.version} to version {refresh.version}" in page


def test_the_refresh_and_the_start_choose_the_only_approved_assessment(published_plan, coordinator):
    page = signed_in(coordinator).get(url("refresh", published_plan)).content.decode()
    radio = page.split('name="assessment"', 1)[1].split(">", 1)[0]
    assert "checked" in radio


def test_an_approved_assessment_without_requests_does_not_say_yet(partnership, coordinator):
    from .conftest import approved_assessment

    assessment = approved_assessment(partnership, coordinator, year=YEAR + 3)
    page = (
        signed_in(coordinator)
        .get(f"/p/{partnership.slug}/assessments/{assessment.pk}/")
        .content.decode()
    )
    assert "No contributions were requested for this assessment." in page
    assert "requested yet" not in page
