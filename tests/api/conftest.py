"""A partnership with what the API serves: a contribution request to its police force, open
for an answer, and a published plan in force with an action the force leads. The plans of
tests/plans/conftest.py start on 1 April 2027, so every API test runs on a day inside that period.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import api_token_create
from assessments.services import assessments as assessment_services
from partnerships.models import Membership, Role, Seat
from plans import deadlines
from plans.services import drafting
from tests.assessments.conftest import send_request
from tests.factories import member, organisation_in
from tests.plans.conftest import (  # noqa: F401 -- fixtures
    YEAR,
    add_action,
    assessment,
    draft_plan,
    on_day,
    plan_with_action,
    publish,
    published_plan,
    shared_world,
    signers,
)

TODAY = date(YEAR, 11, 15)  # 2027/28 Q3


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(deadlines, "local_today", lambda: TODAY)
    return TODAY


def token_for(user, *, partnerships=None, days=None) -> str:
    """A real token of ``user`` for the given partnerships (all of theirs by default)."""
    memberships = Membership.objects.filter(user=user)
    if partnerships is not None:
        memberships = memberships.filter(partnership__in=partnerships)
    expires_on = None if days is None else timezone.localdate() + timedelta(days=days)
    return api_token_create(
        acting_user=user,
        name="Records system",
        memberships=list(memberships),
        expires_on=expires_on,
    ).secret


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def api(user, **kwargs) -> Client:
    return bearer(token_for(user, **kwargs))


@pytest.fixture
def police_officer(partnership):
    return member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="officer@police.example")


def open_assessment_of(partnership, coordinator):
    """Next year's assessment, open for contributions (this year's was approved for the plan)."""
    next_year = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR + 1
    )
    assessment_services.assessment_open_contributions(acting_user=coordinator, assessment=next_year)
    return next_year


@pytest.fixture
def open_assessment(partnership, coordinator, published_plan):
    return open_assessment_of(partnership, coordinator)


@pytest.fixture
def contribution(open_assessment, coordinator, partnership):
    return send_request(open_assessment, coordinator, organisation_in(partnership, Seat.POLICE))


@pytest.fixture
def action(published_plan):
    return published_plan.actions.get()


@pytest.fixture
def measure(action):
    return action.measures.get()


def contribution_world() -> SimpleNamespace:
    """What the fixtures above make for a test of a contribution request (the partnership, its
    coordinator and police officer, the published plan and next year's assessment with its
    request to the police), for a module to make once with ``module_data.build`` and re-read
    in each test with ``tests.plans.conftest.fresh``."""
    world = shared_world(today=TODAY, police_officer=True)
    with on_day(TODAY):
        plan = drafting.plan_start(
            acting_user=world.coordinator,
            partnership=world.partnership,
            assessment=world.assessment,
        )
        add_action(plan, world.coordinator)
        world.published_plan = publish(plan, world.coordinator, world.signers)
        world.open_assessment = open_assessment_of(world.partnership, world.coordinator)
        world.contribution = send_request(
            world.open_assessment,
            world.coordinator,
            organisation_in(world.partnership, Seat.POLICE),
        )
    return world
