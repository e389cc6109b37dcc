"""Who may do what to an assessment and a contribution request, asked of the services themselves:
for each status and each service, every role calls it directly (no page in between). It is done
only by the roles whose job it is, in the statuses it belongs to; anyone else is refused
(PermissionDenied), someone whose job it is but at the wrong time is told why (ValidationError),
and a refusal writes nothing: no row, no audit event (PostgreSQL's count of writes, rolled-back
ones included, stays as it was).

Each test builds its record in one status once and tries every service and role on it, undoing
what an allowed call did, so the matrix costs one record per status rather than one per cell."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from assessments.models import (
    AssessmentStatus,
    ContributionRequest,
    ContributionStatus,
    SectionKind,
    StrategicAssessment,
)
from assessments.policies import AssessmentVerb, ContributionVerb
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from tests.factories import member
from tests.test_isolation import _snapshot as writes_so_far

from .conftest import YEAR, complete, due_in, send_request

pytestmark = pytest.mark.django_db

S = AssessmentStatus
C = ContributionStatus
DONE, REFUSED, NOT_NOW = "done", "refused", "not now"


class _Undo(Exception):
    """Raised to roll back what an allowed call did, so the next role finds the record as it
    was."""


def outcome(call: Callable[[], object], row) -> str:
    """What happened when ``call`` was made (rolled back when it was done); a refusal is checked
    to have written nothing."""
    writes, events = writes_so_far(), AuditEvent.objects.count()
    status = type(row).objects.values_list("status", flat=True).get(pk=row.pk)
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return DONE
    except PermissionDenied:
        result = REFUSED
    except ValidationError:
        result = NOT_NOW
    assert writes_so_far() == writes, f"a refused call wrote: {call}"
    assert AuditEvent.objects.count() == events
    assert type(row).objects.values_list("status", flat=True).get(pk=row.pk) == status
    return result


def expected(people: dict, rules: dict, status: str) -> dict[tuple[str, str], str]:
    """By service and person: done by those whose job it is in the statuses it belongs to, not
    now for them at any other time, refused for everyone else."""
    return {
        (service, name): REFUSED if name not in who_may else NOT_NOW if status not in when else DONE
        for service, (who_may, when) in rules.items()
        for name in people
    }


@pytest.fixture
def people(partnership, coordinator, other_partnership):
    return {
        "coordinator": coordinator,
        "strategy member": member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE),
        "police contributor": member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE),
        "council contributor": member(partnership, Role.CONTRIBUTOR),
        "scrutiny": member(partnership, Role.SCRUTINY),
        "pcc office": member(partnership, Role.PCC_OFFICE, seat=Seat.POLICE),
        # Coordinates another partnership: nothing of this one is theirs.
        "stranger": member(other_partnership, Role.COORDINATOR),
    }


# Strategic assessments -------------------------------------------------------------------------


def assessment_in(status: str, partnership, people) -> StrategicAssessment:
    """An assessment with every section written and a priority, brought to ``status``."""
    coordinator = people["coordinator"]
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR
    )
    complete(assessment, coordinator)
    steps = [
        (S.CONTRIBUTIONS_OPEN, assessment_services.assessment_open_contributions, coordinator),
        (S.IN_REVIEW, assessment_services.assessment_submit_for_review, coordinator),
        (S.APPROVED, assessment_services.assessment_approve, people["strategy member"]),
    ]
    for reached, step, user in steps:
        if assessment.status == status:
            break
        assessment = step(acting_user=user, assessment=assessment)
        assert assessment.status == reached
    return assessment


def _edit(user, assessment):
    section = assessment.sections.get(kind=SectionKind.CHANGES)
    assessment_services.assessment_section_update(
        acting_user=user, section=section, revision=section.revision, body="Changed."
    )


def _request(user, assessment):
    contribution_services.contribution_requests_send(
        acting_user=user,
        assessment=assessment,
        organisations=[assessment.partnership.partner_organisations.first().organisation],
        title="Reoffending",
        questions="How many?",
        data_requested="",
        due_date=due_in(14),
    )


ASSESSMENT_SERVICES = {
    "start": lambda user, assessment: assessment_services.assessment_start(
        acting_user=user, partnership=assessment.partnership, year_start=YEAR + 1
    ),
    "edit": _edit,
    "add priority": lambda user, assessment: assessment_services.priority_save(
        acting_user=user,
        assessment=assessment,
        theme="youth_justice",
        rationale="First-time entrants rose.",
        evidence="Youth justice service data.",
    ),
    "open": lambda user, assessment: assessment_services.assessment_open_contributions(
        acting_user=user, assessment=assessment
    ),
    "request contributions": _request,
    "submit for review": lambda user, assessment: assessment_services.assessment_submit_for_review(
        acting_user=user, assessment=assessment
    ),
    "return": lambda user, assessment: assessment_services.assessment_return(
        acting_user=user, assessment=assessment, comment="Say more about reoffending."
    ),
    "approve": lambda user, assessment: assessment_services.assessment_approve(
        acting_user=user, assessment=assessment
    ),
    "new version": lambda user, assessment: assessment_services.assessment_new_version(
        acting_user=user, assessment=assessment
    ),
}
# Whose job each is, and in which statuses of the assessment it can be done.
COORDINATOR, STRATEGY = {"coordinator"}, {"strategy member"}
WRITING = {S.DRAFT, S.CONTRIBUTIONS_OPEN}
ASSESSMENT_RULES = {
    "start": (COORDINATOR, set(S)),
    "edit": (COORDINATOR, WRITING),
    "add priority": (COORDINATOR, WRITING),
    "open": (COORDINATOR, {S.DRAFT}),
    "request contributions": (COORDINATOR, {S.CONTRIBUTIONS_OPEN}),
    "submit for review": (COORDINATOR, {S.CONTRIBUTIONS_OPEN}),
    "return": (STRATEGY, {S.IN_REVIEW}),
    "approve": (STRATEGY, {S.IN_REVIEW}),
    "new version": (COORDINATOR, {S.APPROVED}),
}


@pytest.mark.parametrize("status", S.values)
def test_assessment_services_enforce_the_policy(status, partnership, people):
    assessment = assessment_in(status, partnership, people)
    found = {
        (service, name): outcome(lambda call=call, user=user: call(user, assessment), assessment)
        for service, call in ASSESSMENT_SERVICES.items()
        for name, user in people.items()
    }
    assert found == expected(people, ASSESSMENT_RULES, status)


def test_a_priority_of_another_assessment_is_refused(partnership, people):
    coordinator = people["coordinator"]
    approved = assessment_in(S.APPROVED, partnership, people)
    newer = assessment_services.assessment_new_version(acting_user=coordinator, assessment=approved)
    theirs = approved.priorities.get()
    assert (
        outcome(
            lambda: assessment_services.priority_save(
                acting_user=coordinator,
                assessment=newer,
                priority=theirs,
                theme="youth_justice",
                rationale="Moved.",
                evidence="None.",
            ),
            newer,
        )
        == REFUSED
    )


# Contribution requests -------------------------------------------------------------------------

# A request on an assessment that has since been approved, still in progress.
CLOSED = "in progress, assessment approved"


def contribution_in(status: str, partnership, people) -> ContributionRequest:
    """A request to the police, brought to ``status`` by the people whose job each step is."""
    coordinator, officer = people["coordinator"], people["police contributor"]
    assessment = assessment_in(S.CONTRIBUTIONS_OPEN, partnership, people)
    police = people["police contributor"].memberships.get().organisation
    request = send_request(assessment, coordinator, police)
    if status == C.REQUESTED:
        return request
    if status == C.WITHDRAWN:
        return contribution_services.contribution_withdraw(
            acting_user=coordinator, contribution=request
        )
    request = contribution_services.contribution_save(
        acting_user=officer, contribution=request, revision=1, answer="1,204.", figures=[]
    )
    if status == CLOSED:
        assessment_services.assessment_submit_for_review(
            acting_user=coordinator, assessment=assessment
        )
        assessment_services.assessment_approve(
            acting_user=people["strategy member"], assessment=assessment
        )
        return ContributionRequest.objects.get(pk=request.pk)
    if status == C.IN_PROGRESS:
        return request
    request = contribution_services.contribution_submit(acting_user=officer, contribution=request)
    if status == C.RETURNED:
        return contribution_services.contribution_return(
            acting_user=coordinator, contribution=request, comment="Add the figures."
        )
    if status == C.ACCEPTED:
        return contribution_services.contribution_accept(
            acting_user=coordinator, contribution=request
        )
    return request


CONTRIBUTION_SERVICES = {
    "save": lambda user, contribution: contribution_services.contribution_save(
        acting_user=user,
        contribution=contribution,
        revision=contribution.revision,
        answer="Incidents: 1,204.",
        figures=[],
    ),
    "submit": lambda user, contribution: contribution_services.contribution_submit(
        acting_user=user, contribution=contribution
    ),
    "accept": lambda user, contribution: contribution_services.contribution_accept(
        acting_user=user, contribution=contribution
    ),
    "return": lambda user, contribution: contribution_services.contribution_return(
        acting_user=user, contribution=contribution, comment="Add the figures."
    ),
    "withdraw": lambda user, contribution: contribution_services.contribution_withdraw(
        acting_user=user, contribution=contribution
    ),
}
# The police's request: the police contributor and the strategy group member who sits for the
# police answer it; the coordinator (for the council) only reviews it.
POLICE = {"police contributor", "strategy member"}
AWAITING = {C.REQUESTED, C.IN_PROGRESS, C.RETURNED}
CONTRIBUTION_RULES = {
    "save": (POLICE, AWAITING),
    # A request not started has no answer to submit.
    "submit": (POLICE, {C.IN_PROGRESS, C.RETURNED}),
    "accept": (COORDINATOR, {C.SUBMITTED}),
    "return": (COORDINATOR, {C.SUBMITTED}),
    # A request still waiting may be withdrawn even once the assessment is approved.
    "withdraw": (COORDINATOR, AWAITING | {CLOSED}),
}


@pytest.mark.parametrize("status", [*C.values, CLOSED])
def test_contribution_services_enforce_the_policy(status, partnership, people):
    contribution = contribution_in(status, partnership, people)
    found = {
        (service, name): outcome(
            lambda call=call, user=user: call(user, contribution), contribution
        )
        for service, call in CONTRIBUTION_SERVICES.items()
        for name, user in people.items()
    }
    assert found == expected(people, CONTRIBUTION_RULES, status)


def test_templates_ask_only_for_verbs_that_exist():
    """``{% if may.aprove %}`` would silently hide a button: the pages ask the policies' verbs."""
    templates = Path(__file__).resolve().parents[2] / "assessments" / "templates"
    asked = {
        (path.name, verb)
        for path in templates.glob("**/*.html")
        for verb in re.findall(r"\bmay\.(\w+)", path.read_text())
    }
    assert asked, "the assessment pages ask the policies through `may`"
    verbs = {str(verb) for verb in [*AssessmentVerb, *ContributionVerb]}
    assert {(name, verb) for name, verb in asked if verb not in verbs} == set()
