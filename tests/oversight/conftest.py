"""A police force area with two partnerships and a PCC office serving both, built through the
services."""

from datetime import date

import pytest

from authorities.models import Nation, OrganisationKind
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from partnerships.services import membership_create, partner_organisation_add
from plans.models import PoliceAndCrimePlanPriority, Quarter
from plans.services import approval, drafting
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PoliceForceAreaFactory,
    UserFactory,
    member,
)
from tests.plans.conftest import add_action, approved_assessment, sign_off_by_every_seat


@pytest.fixture
def force_area(db):
    return PoliceForceAreaFactory(name="Greater Manchester")


@pytest.fixture
def pcc_organisation(db):
    return OrganisationFactory(name="Greater Manchester PCC", kind=OrganisationKind.PCC)


def seat_pcc(partnership, organisation):
    if not partnership.partner_organisations.filter(organisation=organisation).exists():
        partner_organisation_add(
            acting_user=None, partnership=partnership, organisation=organisation, seat=Seat.INVITED
        )


def pcc_member(partnership, organisation, user=None):
    """A PCC-office membership of the partnership, for ``organisation`` in the invited seat."""
    user = user or UserFactory()
    seat_pcc(partnership, organisation)
    membership_create(
        acting_user=None,
        partnership=partnership,
        user=user,
        role=Role.PCC_OFFICE,
        organisation=organisation,
    )
    return user


@pytest.fixture
def partnership(force_area):
    return PartnershipFactory(name="Trafford", slug="trafford", police_force_area=force_area)


@pytest.fixture
def bolton(force_area):
    return PartnershipFactory(name="Bolton", slug="bolton", police_force_area=force_area)


@pytest.fixture
def pcc(partnership, bolton, pcc_organisation):
    user = pcc_member(partnership, pcc_organisation, UserFactory(email="pcc@gm.example"))
    return pcc_member(bolton, pcc_organisation, user)


def pcc_membership(user, partnership):
    return membership_for(user=user, partnership_slug=partnership.slug)


@pytest.fixture
def pcc_priorities(force_area):
    return [
        PoliceAndCrimePlanPriority.objects.create(
            police_force_area=force_area, title=title, position=index
        )
        for index, title in enumerate(
            ["Keeping people safe", "Reducing harm", "Strengthening communities"], start=1
        )
    ]


def published_plan(partnership, coordinator, *, serves=(), actions=1):
    """A published plan in force today, whose one priority serves ``serves``; ``actions``
    actions led by the police."""
    year = Quarter.containing(date.today()).year_start
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator, year=year),
    )
    priority = plan.priorities.get(theme="anti_social_behaviour")
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=plan,
        priority=priority,
        revision=priority.revision,
        theme=priority.theme,
        rationale=priority.rationale,
        pcc_priorities=list(serves),
    )
    for number in range(actions):
        add_action(plan, coordinator, description=f"Action {number}")
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    signers = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat) for seat in Seat.statutory()
    }
    sign_off_by_every_seat(plan, signers)
    return approval.plan_publish(acting_user=coordinator, plan=plan)


def welsh_partnership(force_area, name="Cardiff", slug="cardiff"):
    return PartnershipFactory(
        name=name, slug=slug, nation=Nation.WALES, police_force_area=force_area
    )
