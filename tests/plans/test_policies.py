"""Who may do what to a plan, now: every plans service asked directly (not through a page), by
each role, on a plan in each status. A service called by someone whose role does not do it
raises PermissionDenied, one called in a state that does not allow it a ValidationError, and
either way nothing in the database changes (PostgreSQL's own count of writes, the plan's row and
the audit log); everyone else's call goes through.

The tables of expected answers are written out here, not read from the policy, so that they
test it."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from plans.models import ActionStatus, DocumentKind, PartnershipPlan, PlanSectionKind, Quarter
from plans.policies import ActionVerb, GrantVerb, PlanVerb, ReportVerb
from plans.services import approval, drafting
from plans.services.documents import plan_document_request
from plans.services.progress import action_progress_report
from plans.services.reports import progress_report_issue
from tests.factories import PartnershipFactory, member, organisation_in

from .conftest import YEAR, add_action, approved_assessment, sign_off_by_every_seat

pytestmark = pytest.mark.django_db

TODAY = date(YEAR, 11, 15)  # in the plan period: its first two quarters may be reported
Q1 = Quarter(YEAR, 1)

ROLES = {
    "coordinator": Role.COORDINATOR,
    "strategy member": Role.STRATEGY_MEMBER,  # the police seat's, which signs off
    "contributor": Role.CONTRIBUTOR,  # the police's officer: the police lead every action
    "scrutiny": Role.SCRUTINY,
    "pcc office": Role.PCC_OFFICE,
}
STRANGER = "another partnership's coordinator"
EVERYONE = [*ROLES, STRANGER]
STATUSES = ["draft", "consultation", "approved", "published", "superseded"]
DONE, DENIED, NOT_NOW = "done", "denied", "not now"


def _people(partnership) -> dict:
    people = {name: member(partnership, role, seat=Seat.POLICE) for name, role in ROLES.items()}
    people["signers"] = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat) for seat in Seat.statutory()
    }
    return people


def _plan_at(status: str):
    """A partnership, its people, and its plan moved through the services to ``status``: a
    published version and the refresh that superseded it for the last two."""
    partnership = PartnershipFactory(name=f"Partnership {status}", slug=f"p-{status}")
    people = _people(partnership)
    coordinator = people["coordinator"]
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    add_action(plan, coordinator)
    if status != "draft":
        approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    if status in ("approved", "published", "superseded"):
        sign_off_by_every_seat(plan, people["signers"])
    if status in ("published", "superseded"):
        approval.plan_publish(acting_user=coordinator, plan=plan)
        newer = drafting.plan_refresh(
            acting_user=coordinator, plan=plan, assessment=plan.assessment
        )
        approval.plan_open_consultation(acting_user=coordinator, plan=newer)
        sign_off_by_every_seat(newer, people["signers"])
        newer = approval.plan_publish(acting_user=coordinator, plan=newer)
        if status == "published":
            plan = newer
    plan.refresh_from_db()
    assert plan.status == status
    return plan, people


@pytest.fixture(scope="module")
def world(module_data):
    def make():
        plans = {status: _plan_at(status) for status in STATUSES}
        elsewhere = PartnershipFactory(name="Elsewhere", slug="elsewhere")
        fresh = PartnershipFactory(name="Fresh", slug="fresh")
        fresh_people = _people(fresh)
        return {
            "plans": plans,
            "stranger": member(elsewhere, Role.COORDINATOR),
            "fresh": (fresh, fresh_people, approved_assessment(fresh, fresh_people["coordinator"])),
        }

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


def _writes() -> int:
    """Rows written so far in this test's transaction (rolled-back savepoints included)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables WHERE relname <> 'django_session'"
        )
        return cursor.fetchone()[0]


def _plan_row(plan) -> tuple:
    return PartnershipPlan.objects.filter(pk=plan.pk).values_list(
        "status", "content_revision", "status_changed_at"
    )[0]


def _attempt(call, expected, *rows):
    """Call the service; a refusal must be the expected one and change nothing."""
    before = (_writes(), AuditEvent.objects.count(), [_plan_row(row) for row in rows])
    if expected == DONE:
        call()
        return
    refusal = PermissionDenied if expected == DENIED else ValidationError
    with pytest.raises(refusal):
        call()
    after = (_writes(), AuditEvent.objects.count(), [_plan_row(row) for row in rows])
    assert after == before


# The services that change a plan, with who may call them and in which statuses ----------------


def _edit_section(plan, user, people):
    section = plan.sections.get(kind=PlanSectionKind.SUMMARY)
    drafting.plan_section_update(
        acting_user=user, section=section, revision=section.revision, body="Changed."
    )


def _add_priority(plan, user, people):
    drafting.plan_priority_save(
        acting_user=user, plan=plan, theme="substance_misuse", rationale="Rising harm."
    )


def _remove_priority(plan, user, people):
    drafting.plan_priority_remove(acting_user=user, priority=plan.priorities.first())


def _add_action(plan, user, people):
    drafting.plan_action_save(
        acting_user=user,
        priority=plan.priorities.first(),
        description="Youth outreach",
        lead_organisation=organisation_in(plan.partnership, Seat.POLICE),
        start_date=date(YEAR, 4, 1),
        due_date=date(YEAR + 1, 3, 31),
    )


def _remove_action(plan, user, people):
    drafting.plan_action_remove(acting_user=user, action=plan.actions.first())


def _add_measure(plan, user, people):
    drafting.measure_save(
        acting_user=user,
        action=plan.actions.first(),
        name="Referrals",
        baseline=Decimal(10),
        target=Decimal(20),
    )


def _remove_measure(plan, user, people):
    drafting.measure_remove(acting_user=user, measure=plan.actions.first().measures.first())


def _open_consultation(plan, user, people):
    approval.plan_open_consultation(acting_user=user, plan=plan)


def _return_to_draft(plan, user, people):
    approval.plan_return_to_draft(acting_user=user, plan=plan)


def _sign_off(plan, user, people):
    approval.plan_sign_off(
        acting_user=user,
        membership=user.memberships.get(),
        plan=plan,
    )


def _publish(plan, user, people):
    approval.plan_publish(acting_user=user, plan=plan)


def _refresh(plan, user, people):
    drafting.plan_refresh(acting_user=user, plan=plan, assessment=plan.assessment)


def _make_document(plan, user, people):
    plan_document_request(acting_user=user, plan=plan, kind=DocumentKind.PLAN)


def _issue_report(plan, user, people):
    progress_report_issue(acting_user=user, plan=plan, quarter=Q1, today=TODAY)


def _report_progress(plan, user, people):
    action_progress_report(
        acting_user=user,
        action=plan.actions.first(),
        quarter=Q1,
        narrative="Two hotspots patrolled.",
        status=ActionStatus.ON_TRACK,
        today=TODAY,
    )


EDITING = ["draft", "consultation"]
IN_FORCE = ["approved", "published"]


def _runs_the_plan(statuses):
    return {"coordinator": statuses}


PLAN_SERVICES = {
    # service: {who may call it: the statuses it then goes through in}; everyone else is denied
    _edit_section: _runs_the_plan(EDITING),
    _add_priority: _runs_the_plan(EDITING),
    _remove_priority: _runs_the_plan(EDITING),
    _add_action: _runs_the_plan(EDITING),
    _remove_action: _runs_the_plan(EDITING),
    _add_measure: _runs_the_plan(EDITING),
    _remove_measure: _runs_the_plan(EDITING),
    _open_consultation: _runs_the_plan(["draft"]),
    _return_to_draft: _runs_the_plan(["consultation"]),
    _publish: _runs_the_plan(["approved"]),
    _refresh: _runs_the_plan(["published"]),
    _sign_off: {"strategy member": ["consultation"]},
    _issue_report: _runs_the_plan(IN_FORCE),
    _report_progress: {
        "coordinator": IN_FORCE,
        "strategy member": IN_FORCE,  # their organisation leads the action
        "contributor": IN_FORCE,
    },
}
# Having a plan's document made: whoever takes part in the plan, in every status they see.
DOCUMENT_MAKERS = {
    "coordinator": STATUSES,
    "strategy member": STATUSES,
    "contributor": ["consultation", "approved", "published", "superseded"],
}


def _expected(rules: dict, who: str, status: str, *, theirs_in: list[str]) -> str:
    if who not in rules:
        return DENIED
    if status in rules[who]:
        return DONE
    return NOT_NOW if status in theirs_in else DENIED


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("service", list(PLAN_SERVICES), ids=lambda service: service.__name__)
def test_plan_services_ask_the_policy(world, service, who, status):
    plan, people = world["plans"][status]
    user = world["stranger"] if who == STRANGER else people[who]
    # Those whose role does it are refused in the other statuses because of the status; an
    # organisation's grant to report ends with its version (issue 17), so on a superseded one
    # reporting is no longer theirs at all.
    theirs_in = STATUSES
    if service is _report_progress and who != "coordinator":
        theirs_in = [s for s in STATUSES if s != "superseded"]
    expected = _expected(PLAN_SERVICES[service], who, status, theirs_in=theirs_in)
    _attempt(lambda: service(plan, user, people), expected, plan)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("who", EVERYONE)
def test_who_has_a_plan_document_made(world, who, status):
    plan, people = world["plans"][status]
    user = world["stranger"] if who == STRANGER else people[who]
    expected = DONE if status in DOCUMENT_MAKERS.get(who, ()) else DENIED
    _attempt(lambda: _make_document(plan, user, people), expected, plan)


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_coordinator_starts_the_plan(world, who):
    partnership, people, assessment = world["fresh"]
    user = world["stranger"] if who == STRANGER else people[who]
    expected = DONE if who == "coordinator" else DENIED
    _attempt(
        lambda: drafting.plan_start(
            acting_user=user, partnership=partnership, assessment=assessment
        ),
        expected,
    )


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_coordinator_sets_who_signs_off(world, who):
    partnership, people, _assessment = world["fresh"]
    user = world["stranger"] if who == STRANGER else people[who]
    expected = DONE if who == "coordinator" else DENIED
    _attempt(
        lambda: approval.approval_rule_update(
            acting_user=user, partnership=partnership, seats=[Seat.POLICE]
        ),
        expected,
    )


def test_plan_templates_ask_only_for_verbs_that_exist():
    """``{% if may.sing_off %}`` would silently hide a button: the verbs are the policies'."""
    templates = Path(__file__).resolve().parents[2] / "plans" / "templates"
    asked = {
        (path.name, verb)
        for path in templates.glob("**/*.html")
        for verb in re.findall(r"\bmay\.(\w+)", path.read_text())
    }
    assert asked, "the plan templates show buttons from the policies' may"
    verbs = {*PlanVerb, *ActionVerb, *ReportVerb, *GrantVerb}
    assert {(name, verb) for name, verb in asked if verb not in verbs} == set()
