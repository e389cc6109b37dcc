"""Who may do what in PCC oversight, asked of the services themselves (not the views): every
role against every step of a report request in every status, the police and crime plan
priorities and combination approvals. A refusal changes nothing: no row, no history entry, no
audit event, no notification. A membership read before its role changed, or before it ended,
acts no more."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from audit.models import AuditEvent
from authorities.models import OrganisationKind
from oversight.models import CombinationApproval, ReportRequest, ReportRequestEntry
from oversight.policies import (
    TARGET_STATUS,
    PccPriorityPolicy,
    PccPriorityVerb,
    ReportRequestPolicy,
    ReportRequestVerb,
)
from oversight.services import combinations, priorities, report_requests
from partnerships.models import Membership, Partnership, Role
from partnerships.selectors import membership_for
from plans.models import PoliceAndCrimePlanPriority
from reminders.models import Notification
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PoliceForceAreaFactory,
    UserFactory,
    member,
)

from .conftest import pcc_member, pcc_membership

V = ReportRequestVerb
STATUSES = ["requested", "answered", "closed", "withdrawn"]
# Who may take each step, and from which statuses.
MAY = {
    V.ANSWER: (Role.COORDINATOR, {"requested"}),
    V.ASK_MORE: (Role.PCC_OFFICE, {"answered", "closed"}),
    V.CLOSE: (Role.PCC_OFFICE, {"answered"}),
    V.WITHDRAW: (Role.PCC_OFFICE, {"requested", "answered"}),
}
LATER = date.today() + timedelta(days=30)


def _state():
    return (
        list(
            ReportRequest.objects.order_by("pk").values_list(
                "pk", "status", "due_date", "round", "status_changed_at"
            )
        ),
        ReportRequestEntry.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        list(
            PoliceAndCrimePlanPriority.objects.order_by("pk").values_list(
                "pk", "title", "description", "position", "retired_at"
            )
        ),
        CombinationApproval.objects.count(),
    )


@pytest.fixture(scope="module")
def _world(module_data):
    """The force area's two partnerships, the PCC office serving both, Trafford's coordinator
    and the force area's police and crime plan priorities: built once for the module (each
    test runs in a savepoint). The fixtures below read them afresh for each test."""

    def make():
        force_area = PoliceForceAreaFactory(name="Greater Manchester")
        office = OrganisationFactory(name="Greater Manchester PCC", kind=OrganisationKind.PCC)
        trafford = PartnershipFactory(
            name="Trafford", slug="trafford", police_force_area=force_area
        )
        bolton = PartnershipFactory(name="Bolton", slug="bolton", police_force_area=force_area)
        pcc = pcc_member(trafford, office, UserFactory(email="pcc@gm.example"))
        pcc_member(bolton, office, pcc)
        coordinator = member(trafford, Role.COORDINATOR, email="coordinator@trafford.example")
        priorities = [
            PoliceAndCrimePlanPriority.objects.create(
                police_force_area=force_area, title=title, position=index
            )
            for index, title in enumerate(
                ["Keeping people safe", "Reducing harm", "Strengthening communities"], start=1
            )
        ]
        return {
            "partnership": trafford.pk,
            "bolton": bolton.pk,
            "pcc": pcc.pk,
            "coordinator": coordinator.pk,
            "pcc_priorities": [priority.pk for priority in priorities],
        }

    return module_data.build(make)


@pytest.fixture
def partnership(_world, db):
    return Partnership.objects.get(pk=_world["partnership"])


@pytest.fixture
def bolton(_world, db):
    return Partnership.objects.get(pk=_world["bolton"])


@pytest.fixture
def pcc(_world, db):
    return User.objects.get(pk=_world["pcc"])


@pytest.fixture
def coordinator(_world, db):
    return User.objects.get(pk=_world["coordinator"])


@pytest.fixture
def pcc_priorities(_world, db):
    return list(
        PoliceAndCrimePlanPriority.objects.filter(pk__in=_world["pcc_priorities"]).order_by(
            "position"
        )
    )


def _acting(role, partnership, pcc, coordinator):
    """A user in ``role`` in the partnership, and their membership."""
    user = {Role.PCC_OFFICE: pcc, Role.COORDINATOR: coordinator}.get(role) or member(
        partnership, role
    )
    return user, membership_for(user=user, partnership_slug=partnership.slug)


def _request_in(status, partnership, pcc, coordinator):
    membership = pcc_membership(pcc, partnership)
    report_request = report_requests.report_request_create(
        acting_user=pcc,
        membership=membership,
        title="Knife crime",
        body="What is being done?",
        due_date=date.today() + timedelta(days=9),
    )
    if status in ("answered", "closed"):
        report_requests.report_request_answer(
            acting_user=coordinator,
            membership=pcc_membership(coordinator, partnership),
            report_request=report_request,
            body="This.",
        )
    if status == "closed":
        report_requests.report_request_close(
            acting_user=pcc, membership=membership, report_request=report_request
        )
    if status == "withdrawn":
        report_requests.report_request_withdraw(
            acting_user=pcc, membership=membership, report_request=report_request
        )
    report_request.refresh_from_db()
    return report_request


def _take(verb, user, membership, report_request):
    common = {"acting_user": user, "membership": membership, "report_request": report_request}
    if verb == V.ANSWER:
        return report_requests.report_request_answer(**common, body="Our answer.")
    if verb == V.ASK_MORE:
        return report_requests.report_request_ask_more(**common, body="More.", due_date=LATER)
    if verb == V.CLOSE:
        return report_requests.report_request_close(**common)
    return report_requests.report_request_withdraw(**common)


def _pcc_services(user, membership, report_request, priority, partnership, bolton):
    """Each service a PCC office may call, ready to call as ``user``."""
    common = {"acting_user": user, "membership": membership}
    return {
        "request": lambda: report_requests.report_request_create(
            **common, title="T", body="B", due_date=LATER
        ),
        "withdraw": lambda: report_requests.report_request_withdraw(
            **common, report_request=report_request
        ),
        "add": lambda: priorities.pcc_priority_add(**common, title="New"),
        "update": lambda: priorities.pcc_priority_update(
            **common, priority=priority, title="Renamed"
        ),
        "retire": lambda: priorities.pcc_priority_retire(**common, priority=priority),
        "move": lambda: priorities.pcc_priority_move(**common, priority=priority, direction="up"),
        "combine": lambda: combinations.combination_approval_record(
            **common, partnerships=[partnership, bolton], approved_on=date.today(), reference="R"
        ),
    }


@pytest.mark.parametrize("verb", list(MAY))
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", list(Role))
def test_each_step_of_a_report_request_by_role_and_status(
    partnership, bolton, pcc, coordinator, role, status, verb
):
    report_request = _request_in(status, partnership, pcc, coordinator)
    user, membership = _acting(role, partnership, pcc, coordinator)
    who, statuses = MAY[verb]
    allowed = role == who and status in statuses
    assert ReportRequestPolicy.can(membership, verb, report_request) is allowed
    before = _state()
    if role != who:
        with pytest.raises(PermissionDenied):
            _take(verb, user, membership, report_request)
    elif status not in statuses:
        with pytest.raises(ValidationError, match="so that cannot be done now") as refused:
            _take(verb, user, membership, report_request)
        assert refused.value.code == "not_now"
    else:
        _take(verb, user, membership, report_request)
        report_request.refresh_from_db()
        assert report_request.status == TARGET_STATUS[verb]
        assert AuditEvent.objects.count() == before[2] + 1
        return
    assert _state() == before


@pytest.mark.parametrize("service", ["request", "combine"])
@pytest.mark.parametrize("role", list(Role))
def test_only_a_pcc_office_asks_for_a_report_or_records_a_combination(
    partnership, bolton, pcc, coordinator, role, service
):
    user, membership = _acting(role, partnership, pcc, coordinator)
    call = _pcc_services(user, membership, None, None, partnership, bolton)[service]
    before = _state()
    if role == Role.PCC_OFFICE:
        call()
        assert ReportRequest.objects.count() + CombinationApproval.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert _state() == before


def test_a_request_of_another_partnership_is_not_theirs(partnership, bolton, pcc, coordinator):
    report_request = _request_in("requested", partnership, pcc, coordinator)
    bolton_coordinator = member(bolton, Role.COORDINATOR)
    elsewhere = pcc_membership(bolton_coordinator, bolton)
    before = _state()
    for verb, user, membership in [
        (V.ANSWER, bolton_coordinator, elsewhere),
        (V.WITHDRAW, pcc, pcc_membership(pcc, bolton)),
    ]:
        assert not ReportRequestPolicy.can(membership, verb, report_request)
        with pytest.raises(PermissionDenied):
            _take(verb, user, membership, report_request)
    assert _state() == before


@pytest.mark.parametrize("verb", list(PccPriorityVerb)[1:])
@pytest.mark.parametrize("retired", [False, True], ids=["current", "retired"])
@pytest.mark.parametrize("role", list(Role))
def test_the_police_and_crime_plan_priorities_by_role(
    partnership, bolton, pcc, coordinator, pcc_priorities, role, retired, verb
):
    priority = pcc_priorities[1]
    if retired:
        priorities.pcc_priority_retire(
            acting_user=pcc, membership=pcc_membership(pcc, partnership), priority=priority
        )
        priority.refresh_from_db()
    user, membership = _acting(role, partnership, pcc, coordinator)
    before = _state()
    if role != Role.PCC_OFFICE:
        assert not PccPriorityPolicy.can(membership, verb, priority)
        with pytest.raises(PermissionDenied):
            _pcc_services(user, membership, None, priority, None, None)[verb]()
    elif retired and verb == "retire":
        with pytest.raises(ValidationError, match="already been retired"):
            _pcc_services(user, membership, None, priority, None, None)[verb]()
    else:
        _pcc_services(user, membership, None, priority, None, None)[verb]()
        assert _state() != before
        return
    assert _state() == before


def test_a_pcc_office_of_another_force_area_cannot_touch_the_priorities(
    partnership, pcc_priorities
):
    from authorities.models import OrganisationKind
    from tests.factories import OrganisationFactory, PartnershipFactory

    from .conftest import pcc_member

    lincoln = PartnershipFactory(name="Lincoln", slug="lincoln")
    stranger = pcc_member(
        lincoln, OrganisationFactory(name="Lincolnshire PCC", kind=OrganisationKind.PCC)
    )
    membership = pcc_membership(stranger, lincoln)
    before = _state()
    for verb in ("update", "retire", "move"):
        with pytest.raises(PermissionDenied):
            _pcc_services(stranger, membership, None, pcc_priorities[0], None, None)[verb]()
    assert _state() == before


# A membership read before it changed ------------------------------------------------------------


@pytest.mark.parametrize("change", ["role", "removed"])
@pytest.mark.parametrize(
    "service", ["request", "withdraw", "add", "update", "retire", "move", "combine"]
)
def test_a_membership_that_changed_after_it_was_read_acts_no_more(
    partnership, bolton, pcc, coordinator, pcc_priorities, change, service
):
    """The service reads the acting member's role again under a lock: a page read before the
    PCC office became a scrutiny member, or left, cannot still act through it."""
    report_request = _request_in("requested", partnership, pcc, coordinator)
    membership = pcc_membership(pcc, partnership)  # as the page read it
    stored = Membership.objects.filter(pk=membership.pk)
    if change == "role":
        stored.update(role=Role.SCRUTINY)
    else:
        stored.delete()
    before = _state()
    call = _pcc_services(pcc, membership, report_request, pcc_priorities[1], partnership, bolton)[
        service
    ]
    with pytest.raises(PermissionDenied):
        call()
    assert _state() == before


def test_someone_elses_membership_lends_no_rights(partnership, bolton, pcc, coordinator):
    """A service handed a membership that is not the acting user's refuses, even when the user
    holds one that would do."""
    report_request = _request_in("requested", partnership, pcc, coordinator)
    before = _state()
    with pytest.raises(PermissionDenied):
        report_requests.report_request_answer(
            acting_user=pcc,
            membership=pcc_membership(coordinator, partnership),
            report_request=report_request,
            body="Not mine to give.",
        )
    assert _state() == before
