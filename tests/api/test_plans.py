"""Your actions, progress and published plans through the API: the same rules as the pages."""

from decimal import Decimal
from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from audit.models import AuditEvent
from partnerships.models import Partnership, Role, Seat
from plans import deadlines
from plans.models import (
    ActionStatus,
    MeasureActual,
    PartnershipPlan,
    PlanAction,
    ProgressUpdate,
    Quarter,
)
from plans.services import drafting
from tests.factories import PartnershipFactory, member, organisation_in
from tests.plans.conftest import YEAR, approved_assessment, published_plan_of
from tests.plans.test_progress import second_partnership_serving

from .conftest import TODAY, api

pytestmark = pytest.mark.django_db

Q3 = Quarter(YEAR, 3)


@pytest.fixture(scope="module")
def _world(module_data):
    """Trafford with its coordinator, a police officer and the published plan with its one
    action (led by the police) and measure, built once for the module on the module's day."""

    def make():
        with patch.object(deadlines, "local_today", lambda: TODAY):
            partnership = PartnershipFactory(name="Trafford", slug="trafford")
            coordinator = member(partnership, Role.COORDINATOR, email="coordinator@example.org")
            officer = member(
                partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="officer@police.example"
            )
            plan = published_plan_of(partnership, coordinator)
        return partnership.pk, coordinator.pk, officer.pk, plan.pk

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def partnership(_world, db):
    return Partnership.objects.get(pk=_world[0])


@pytest.fixture
def coordinator(_world, db):
    return User.objects.get(pk=_world[1])


@pytest.fixture
def police_officer(_world, db):
    return User.objects.get(pk=_world[2])


@pytest.fixture
def published_plan(_world, db):
    return PartnershipPlan.objects.get(pk=_world[3])


def action_url(action) -> str:
    return f"/api/v1/p/{action.partnership.slug}/actions/{action.pk}/"


def report(client, action, body):
    return client.post(action_url(action) + "progress/", body, content_type="application/json")


def _state():
    return (
        list(ProgressUpdate.objects.order_by("pk").values_list("pk", "narrative", "status")),
        list(MeasureActual.objects.order_by("pk").values_list("pk", "value")),
        list(PlanAction.objects.order_by("pk").values_list("pk", "status", "revision")),
        AuditEvent.objects.count(),
    )


def test_your_actions_lists_what_the_organisation_leads(police_officer, action):
    body = api(police_officer).get("/api/v1/actions/").json()

    (row,) = body["results"]
    assert (row["id"], row["partnership"], row["status"]) == (
        action.pk,
        "trafford",
        ActionStatus.NOT_STARTED,
    )
    assert row["current_quarter"] == Q3.code
    assert row["submitted_this_quarter"] is False
    assert row["update_due"]["quarter"] == Q3.code
    assert row["url"].endswith(action_url(action))


def test_the_actions_list_filters(police_officer, action):
    client = api(police_officer)
    assert client.get("/api/v1/actions/?status=not_started").json()["count"] == 1
    assert client.get("/api/v1/actions/?status=complete").json()["count"] == 0
    assert client.get("/api/v1/actions/?partnership=cardiff").json()["count"] == 0


def test_posting_a_quarters_progress(police_officer, action, measure):
    client = api(police_officer)
    detail = client.get(action_url(action)).json()
    assert detail["can_report"] is True
    assert Q3.code in detail["reportable_quarters"]

    response = report(
        client,
        action,
        {
            "quarter": Q3.code,
            "revision": 0,
            "status": ActionStatus.ON_TRACK,
            "narrative": "Two hotspots patrolled.",
            "actuals": [{"measure": measure.pk, "value": "350"}],
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == ActionStatus.ON_TRACK
    assert body["progress_updates"][0]["narrative"] == "Two hotspots patrolled."
    assert body["measures"][0]["actuals"] == [{"quarter": Q3.code, "value": "350.00"}]
    assert MeasureActual.objects.get().value == Decimal(350)
    assert AuditEvent.objects.filter(action="plan.progress_report", actor=police_officer).exists()


def test_a_report_made_over_a_newer_one_is_refused(partnership, police_officer, action):
    colleague = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="sam@police.example")
    mine, theirs = api(police_officer), api(colleague)
    body = {"quarter": Q3.code, "revision": 0, "status": "on_track"}
    assert report(theirs, action, {**body, "narrative": "Sam's account."}).status_code == 200
    before = _state()

    response = report(mine, action, {**body, "narrative": "Mine.", "status": "off_track"})

    assert response.status_code == 400
    (message,) = response.json()["fields"]["non_field_errors"]
    assert message.startswith(f"{colleague.full_name} saved a change at ")
    assert _state() == before
    # Read again, the quarter's revision is there to build on.
    (update,) = mine.get(action_url(action)).json()["progress_updates"]
    assert (update["narrative"], update["revision"]) == ("Sam's account.", 1)
    corrected = report(mine, action, {**body, "revision": 1, "narrative": "Both."})
    assert corrected.status_code == 200
    assert corrected.json()["progress_updates"][0]["revision"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quarter": "2027-4"}, "quarter"),  # a future quarter: the service's rule
        ({"quarter": "next"}, "quarter"),
        ({"status": "finished"}, "status"),
        ({"narrative": ""}, "narrative"),
        ({"narrative": "Patrols\x00\x07"}, "narrative"),
        ({"actuals": [{"measure": 999999, "value": "1"}]}, "actuals"),
        ({"actuals": [{"measure": 0, "value": "NaN"}]}, "actuals"),
        ({"extra": True}, "extra"),
        ({"revision": -1}, "revision"),
        ({"revision": None}, "revision"),
    ],
)
def test_bad_progress_is_refused_by_field_and_changes_nothing(
    police_officer, action, measure, change, field
):
    client = api(police_officer)
    body = {"quarter": Q3.code, "revision": 0, "status": "on_track", "narrative": "N.", **change}
    before = _state()

    response = report(client, action, body)

    assert response.status_code == 400
    assert field in response.json()["fields"], response.json()
    assert _state() == before


@pytest.mark.parametrize("role", [Role.SCRUTINY, Role.PCC_OFFICE])
def test_scrutiny_and_pcc_cannot_post_progress(partnership, action, measure, role):
    reader = member(partnership, role, seat=Seat.POLICE)
    client = api(reader)
    before = _state()

    response = report(
        client, action, {"quarter": Q3.code, "revision": 0, "status": "on_track", "narrative": "N"}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert _state() == before


def test_someone_whose_organisation_does_not_lead_cannot_post(partnership, action):
    council = member(partnership, Role.CONTRIBUTOR, seat=Seat.LOCAL_AUTHORITY)
    client = api(council)
    before = _state()

    response = report(
        client, action, {"quarter": Q3.code, "revision": 0, "status": "on_track", "narrative": "N"}
    )

    assert response.status_code == 404
    assert client.get("/api/v1/actions/").json()["count"] == 0
    assert _state() == before


def test_published_plans_only(partnership, coordinator, police_officer, published_plan):
    client = api(police_officer)

    body = client.get("/api/v1/plans/").json()

    (row,) = body["results"]
    assert (row["id"], row["partnership"], row["version"]) == (published_plan.pk, "trafford", 1)
    detail = client.get(row["url"]).json()
    assert detail["priorities"][0]["actions"][0]["description"] == "Patrol hotspots"
    assert {section["kind"] for section in detail["sections"]} >= {"summary"}

    revision = drafting.plan_refresh(
        acting_user=coordinator,
        plan=published_plan,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )
    assert client.get("/api/v1/plans/").json()["count"] == 1  # the draft revision is not listed
    assert client.get(f"/api/v1/p/trafford/plans/{revision.pk}/").status_code == 404


def test_the_lists_run_a_fixed_number_of_queries(partnership, police_officer, action):
    """One action in one plan, then sixteen in two plans of two partnerships."""

    def queries(client, url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = ["/api/v1/actions/", "/api/v1/plans/"]
    client = api(police_officer)
    for url in urls:
        queries(client, url)
    few = {url: queries(client, url) for url in urls}
    police = organisation_in(partnership, Seat.POLICE)
    second_partnership_serving(police, police_officer, actions=15)
    client = api(police_officer)
    queries(client, urls[0])  # a new token's first use records it (once a minute at most)
    many = {url: queries(client, url) for url in urls}

    assert client.get("/api/v1/actions/").json()["count"] == 16
    assert client.get("/api/v1/plans/").json()["count"] == 2
    assert many == few
    assert max(few.values()) <= 12
