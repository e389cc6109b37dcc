"""Partnership plans built through the services, at each point of their life."""

from contextlib import contextmanager, nullcontext
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments.services import assessments as assessment_services
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from plans import deadlines
from plans.models import DocumentKind, DocumentStatus, PoliceAndCrimePlanPriority
from plans.selectors.documents import document_for
from plans.services import approval, drafting
from plans.services.documents import plan_document_render
from tests.assessments.conftest import complete
from tests.factories import PartnershipFactory, member, organisation_in

YEAR = 2027


def approved_assessment(partnership, coordinator, year=YEAR):
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=year
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    complete(assessment, coordinator)
    assessment_services.priority_save(
        acting_user=coordinator,
        assessment=assessment,
        theme="anti_social_behaviour",
        rationale="Residents' first concern.",
        evidence="Survey.",
    )
    assessment_services.assessment_submit_for_review(acting_user=coordinator, assessment=assessment)
    approver = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.LOCAL_AUTHORITY)
    return assessment_services.assessment_approve(
        acting_user=approver,
        assessment=assessment,
    )


def add_action(
    plan, coordinator, *, seat=Seat.POLICE, description="Patrol hotspots", priority=None
):
    priority = priority or plan.priorities.first()
    action = drafting.plan_action_save(
        acting_user=coordinator,
        priority=priority,
        description=description,
        lead_organisation=organisation_in(plan.partnership, seat),
        supporting_organisations=[organisation_in(plan.partnership, Seat.LOCAL_AUTHORITY)],
        start_date=date(YEAR, 4, 1),
        due_date=date(YEAR + 1, 3, 31),
        resources="Two officers",
    )
    drafting.measure_save(
        acting_user=coordinator,
        action=action,
        name="Incidents reported",
        unit="incidents",
        baseline=Decimal(400),
        target=Decimal(320),
        higher_is_better=False,
    )
    return action


def sign_off_by_every_seat(plan, signers):
    for user in signers.values():
        approval.plan_sign_off(
            acting_user=user,
            membership=membership_for(user=user, partnership_slug=plan.partnership.slug),
            plan=plan,
        )
    plan.refresh_from_db()
    return plan


def worker_makes(plan, kind=DocumentKind.PLAN):
    """Make the document that approval or publication queued, as the worker would. Their
    on_commit callbacks ran outside ``django_capture_on_commit_callbacks``, so in a test nothing
    has run them: the document is still waiting to start."""
    plan.refresh_from_db()
    document = document_for(plan=plan, kind=kind)
    assert document.status == DocumentStatus.QUEUED
    return plan_document_render(document_id=document.pk)


@pytest.fixture
def pcc_priorities(partnership):
    return [
        PoliceAndCrimePlanPriority.objects.create(
            police_force_area=partnership.police_force_area, title=title, position=index
        )
        for index, title in enumerate(
            ["Keeping people safe", "Reducing harm", "Strengthening communities"], start=1
        )
    ]


@pytest.fixture
def assessment(partnership, coordinator):
    return approved_assessment(partnership, coordinator)


@pytest.fixture
def draft_plan(partnership, coordinator, assessment):
    return drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )


def signers_of(partnership):
    """A strategy group member for each statutory seat."""
    return {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat, email=f"{seat}@signers.example")
        for seat in Seat.statutory()
    }


@pytest.fixture
def signers(partnership):
    return signers_of(partnership)


@pytest.fixture
def police_officer(partnership):
    return member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="officer@police.example")


@pytest.fixture
def plan_with_action(draft_plan, coordinator):
    add_action(draft_plan, coordinator)
    return draft_plan


def publish(plan, coordinator, signers):
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    sign_off_by_every_seat(plan, signers)
    return approval.plan_publish(acting_user=coordinator, plan=plan)


def published_plan_of(partnership, coordinator):
    """What the ``published_plan`` fixture builds, for a module-scoped fixture: the plan on the
    approved assessment, with one action led by the police, signed by every seat and published."""
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    add_action(plan, coordinator)
    return publish(plan, coordinator, signers_of(partnership))


@pytest.fixture
def published_plan(plan_with_action, coordinator, signers):
    return publish(plan_with_action, coordinator, signers)


@contextmanager
def on_day(today):
    """``deadlines.local_today`` fixed to ``today``, as a module's ``today`` fixture fixes it
    for each test, for what a module-scoped fixture makes before any test starts."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(deadlines, "local_today", lambda: today)
        yield


def shared_world(*, today=None, police_officer=False, other_partnership=False) -> SimpleNamespace:
    """What the fixtures make for each test up to the approved assessment (tests/conftest.py's
    partnership and coordinator, this file's signers and assessment, and, when asked for, the
    police officer and the other partnership), for a module to make once with
    ``module_data.build`` and re-read in each test with ``fresh``: the approved assessment alone
    is half a second of each test. ``today`` is the day a module's ``today`` fixture fixes."""
    with on_day(today) if today else nullcontext():
        partnership = PartnershipFactory(name="Trafford", slug="trafford")
        world = SimpleNamespace(
            partnership=partnership,
            coordinator=member(partnership, Role.COORDINATOR, email="coordinator@example.org"),
        )
        if other_partnership:
            world.other_partnership = PartnershipFactory(name="Cardiff", slug="cardiff")
        if police_officer:
            world.police_officer = member(
                partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="officer@police.example"
            )
        world.signers = signers_of(partnership)
        world.assessment = approved_assessment(partnership, world.coordinator)
    return world


def fresh(record):
    """A record of a module's shared world as the database holds it in this test: an earlier
    test may have changed it (the change rolled back, the Python object left as it was)."""
    return type(record).objects.get(pk=record.pk)
