"""A partnership in the middle of both cycles, built through the services.

The sweep is told what day it is (``TODAY``, in the second quarter of 2027/28, the first year of
the plans in tests/plans/conftest.py), so nothing here depends on the real date. Contribution
requests are sent through the service, which refuses past due dates, and then moved to the dates
each test needs, as the demo does.
"""

from datetime import date, timedelta

import pytest
from django.core import mail

from assessments.models import ContributionRequest
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from partnerships.models import Role, Seat
from plans.models import Quarter
from plans.services import approval
from reminders.models import Notification
from tests.factories import PartnershipFactory, member, organisation_in
from tests.plans.conftest import YEAR, add_action, sign_off_by_every_seat

TODAY = date(YEAR, 9, 20)  # 2027/28 Q2: the update for Q2 is due 30 September; Q1's is overdue
Q1, Q2 = Quarter(YEAR, 1), Quarter(YEAR, 2)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def request_to(assessment, coordinator, organisation, *, due: date, title: str):
    """A contribution request due on ``due`` (sent through the service, then moved)."""
    (request,) = contribution_services.contribution_requests_send(
        acting_user=coordinator,
        assessment=assessment,
        organisations=[organisation],
        title=title,
        questions="What changed?",
        data_requested="",
        due_date=max(due, date.today()),
    )
    ContributionRequest.objects.filter(pk=request.pk).update(due_date=due)
    request.refresh_from_db()
    return request


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def stage_of(subject: str) -> str:
    """ "[Trafford] Due in 7 days: Violence data" -> "Due in 7 days"."""
    return subject.split("] ", 1)[1].split(":")[0]


@pytest.fixture
def people(partnership, coordinator):
    """Who sits where: a police analyst and a fire officer (contributors), a police strategy
    group member, and a scrutiny councillor (told nothing)."""
    return {
        "coordinator": coordinator,  # Trafford Council
        "police": member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="police@x.org"),
        "fire": member(
            partnership, Role.CONTRIBUTOR, seat=Seat.FIRE_AND_RESCUE, email="fire@x.org"
        ),
        "chief": member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE, email="chief@x.org"),
        "scrutiny": member(partnership, Role.SCRUTINY, email="cllr@x.org"),
    }


@pytest.fixture
def open_assessment(partnership, coordinator):
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR + 1
    )
    return assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )


@pytest.fixture
def requests(open_assessment, coordinator, partnership, people):
    """Police owe one in 7 days; fire owe one that was due 2 days ago; the council's is due in
    20 days (no reminder yet)."""
    made = {
        "police": request_to(
            open_assessment,
            coordinator,
            organisation_in(partnership, Seat.POLICE),
            due=days(7),
            title="Violence data",
        ),
        "fire": request_to(
            open_assessment,
            coordinator,
            organisation_in(partnership, Seat.FIRE_AND_RESCUE),
            due=days(-2),
            title="Deliberate fires",
        ),
        "council": request_to(
            open_assessment,
            coordinator,
            organisation_in(partnership, Seat.LOCAL_AUTHORITY),
            due=days(20),
            title="ASB cases",
        ),
    }
    # The announcements of the requests are tested on their own; start the sweep's tests clean.
    Notification.objects.all().delete()
    mail.outbox.clear()
    return made


@pytest.fixture
def plan_in_force(partnership, coordinator, people):
    """A published plan for 2027 to 2030 with one action the police lead (no update yet)."""
    from plans.services import drafting
    from tests.plans.conftest import approved_assessment

    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    add_action(plan, coordinator, seat=Seat.POLICE)
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    signers = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat, email=f"{seat}@signers.org")
        for seat in Seat.statutory()
    }
    sign_off_by_every_seat(plan, signers)
    plan = approval.plan_publish(acting_user=coordinator, plan=plan)
    Notification.objects.all().delete()
    mail.outbox.clear()
    return plan


@pytest.fixture
def other_partnership_with_request(db):
    """Another partnership with a late request to its police, to prove people only hear about
    their own partnership's items."""
    other = PartnershipFactory(name="Salford", slug="salford")
    coordinator = member(other, Role.COORDINATOR, email="coord@salford.org")
    officer = member(other, Role.CONTRIBUTOR, seat=Seat.POLICE, email="police@salford.org")
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=other, year_start=YEAR + 1
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    request_to(
        assessment,
        coordinator,
        organisation_in(other, Seat.POLICE),
        due=days(-1),
        title="Salford data",
    )
    Notification.objects.filter(partnership=other).delete()
    return other, officer
