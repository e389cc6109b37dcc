"""CasePolicy as a matrix: role x grant x the case's status. Counts for every member, the
procedure for coordinators, a case only with a grant on it, and never for scrutiny or a PCC
office, whatever rows say."""

import pytest

from casereviews.models import CaseAccessGrant
from casereviews.policies import CasePolicy, CaseVerb
from partnerships.models import Membership, Role
from tests.factories import member

from .builders import apply, decide, publish_procedure

V = CaseVerb


@pytest.fixture
def case(partnership, coordinator):
    publish_procedure(partnership, coordinator)
    return apply(partnership)


def _membership(user, partnership):
    return Membership.objects.get(user=user, partnership=partnership)


@pytest.mark.parametrize(
    ("role", "reason", "expected"),
    [
        (Role.STRATEGY_MEMBER, None, {V.VIEW_COUNTS}),
        (Role.CONTRIBUTOR, "agency", {V.VIEW_COUNTS, V.READ}),
        (Role.STRATEGY_MEMBER, "coordinator", {V.VIEW_COUNTS, V.READ, V.DECIDE_THRESHOLD}),
        # A grant row cannot give personal data to a role that may never hold it.
        (Role.SCRUTINY, "coordinator", {V.VIEW_COUNTS}),
        (Role.PCC_OFFICE, "agency", {V.VIEW_COUNTS}),
    ],
)
def test_what_each_role_may_do_to_a_new_case(partnership, case, role, reason, expected):
    user = member(partnership, role)
    if reason:
        CaseAccessGrant.objects.create(case=case, user=user, reason=reason)
    membership = _membership(user, partnership)
    allowed = {verb for verb, yes in CasePolicy.may(membership, case).items() if yes}
    assert allowed == {verb.value for verb in expected}
    assert (case in CasePolicy.visible(membership)) == (V.READ in expected)


def test_the_coordinator_who_runs_a_case_may_do_what_its_status_allows(
    partnership, coordinator, case
):
    membership = _membership(coordinator, partnership)
    assert CasePolicy.may(membership, case)["decide_threshold"]
    decide(case, coordinator)
    case.refresh_from_db()
    may = CasePolicy.may(membership, case)
    assert may["record_review"] and may["conclude"] and may["manage_access"]
    assert not may["decide_threshold"] and not may["record_appeal"]
    assert "under review" in CasePolicy.not_now(membership, V.RECORD_APPEAL, case)


def test_a_case_of_another_partnership_is_not_visible(
    partnership, other_partnership, coordinator, case
):
    stranger = member(other_partnership, Role.COORDINATOR)
    CaseAccessGrant.objects.create(case=case, user=stranger, reason="coordinator")
    membership = _membership(stranger, other_partnership)
    assert not CasePolicy.visible(membership).exists()
    assert not CasePolicy.allows(membership, V.READ, case)
