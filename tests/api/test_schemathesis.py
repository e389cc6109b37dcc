"""Schemathesis against the app's own schema, in the suite: for every operation, generated
requests (and the same requests aimed at real records) must never get a server error, and every
response must match the schema: status code, content type, headers and body.

The app is called through WSGI in the test's own database transaction, with a real token of a
member who has a contribution request and an action to write to; the transaction is rolled back
after each operation, so nothing it writes reaches another test.
"""

from unittest.mock import patch

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from partnerships.models import Role, Seat
from plans import deadlines
from strategygroup.services import decision_add
from tests.assessments.conftest import send_request
from tests.factories import PartnershipFactory, member, organisation_in
from tests.plans.conftest import published_plan_of
from tests.test_isolation import (
    _case_review,
    _engagement_event,
    _quarterly_return,
    _sharing_agreement,
    _strategy_meeting,
)

from .conftest import TODAY, open_assessment_of, token_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Loaded when the module is collected (the schema needs no database), from the app itself.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection(db):
    """As Django's test client does: the app must not close the test's connection (and with it
    the transaction that holds the test's data) when a request finishes."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _grant(partnership, coordinator, plan):
    """A community safety grant from the partnership's PCC office for its action, accepted, with
    its first quarter's spend."""
    from decimal import Decimal

    from plans.models import Quarter
    from plans.services import grants
    from tests.factories import OrganisationFactory
    from tests.oversight.conftest import pcc_member

    office = pcc_member(partnership, OrganisationFactory(name="PCC office", kind="pcc"))
    grant = grants.grant_offer(
        acting_user=office,
        partnership=partnership,
        title="Youth diversion",
        amount=Decimal(25000),
        first_year=plan.period_start,
        last_year=plan.period_start,
        actions=plan.actions.all(),
    )
    grant = grants.grant_accept(acting_user=coordinator, grant=grant)
    grants.grant_spend_report(
        acting_user=coordinator,
        grant=grant,
        quarter=Quarter(plan.period_start, 1),
        amount_spent=Decimal(4000),
        outcome="Two youth workers",
    )
    return grant


@pytest.fixture(scope="module")
def seeded(module_data):
    """Real records for the path parameters, and the member's token: Trafford's published plan
    with its action led by the police, next year's assessment with a contribution request to the
    police, and a record of each workflow of the statutory year, built once for the module (each
    operation's test runs in a savepoint)."""

    def make():
        with patch.object(deadlines, "local_today", lambda: TODAY):
            partnership = PartnershipFactory(name="Trafford", slug="trafford")
            coordinator = member(partnership, Role.COORDINATOR, email="coordinator@example.org")
            officer = member(
                partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="officer@police.example"
            )
            plan = published_plan_of(partnership, coordinator)
            contribution = send_request(
                open_assessment_of(partnership, coordinator),
                coordinator,
                organisation_in(partnership, Seat.POLICE),
            )
            # The statutory year's records, so that its lists answer with rows to check.
            for make_one in (_case_review, _engagement_event, _sharing_agreement):
                make_one(partnership)
            _quarterly_return(partnership)
            decision_add(
                acting_user=coordinator,
                meeting=_strategy_meeting(partnership),
                text="Fund it",
                owner="",
                plan_action=plan.actions.get(),
            )
            grant = _grant(partnership, coordinator, plan)
            return {
                "headers": {"Authorization": f"Bearer {token_for(officer)}"},
                "path": {
                    "partnership_slug": partnership.slug,
                    "contribution_id": contribution.pk,
                    "action_id": plan.actions.get().pk,
                    "plan_id": plan.pk,
                    "safety_grant_id": grant.pk,
                },
            }

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, seeded):
    case.call_and_validate(headers=seeded["headers"], checks=CHECKS)
    if case.path_parameters:
        case.path_parameters = {
            name: seeded["path"].get(name, value) for name, value in case.path_parameters.items()
        }
        case.call_and_validate(headers=seeded["headers"], checks=CHECKS)
