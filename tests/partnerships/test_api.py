import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Role
from tests.conftest import signed_in
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_the_api_lists_the_callers_partnerships(partnership, other_partnership):
    analyst = member(partnership, Role.CONTRIBUTOR)
    member(other_partnership, Role.STRATEGY_MEMBER, user=analyst)

    body = signed_in(analyst).get("/api/v1/partnerships/").json()

    assert [(row["slug"], row["role"]) for row in body["results"]] == [
        ("cardiff", "strategy_member"),
        ("trafford", "contributor"),
    ]


def test_the_people_endpoint_follows_the_role_rules(partnership, coordinator):
    contributor = signed_in(member(partnership, Role.CONTRIBUTOR))
    scrutiny = signed_in(member(partnership, Role.SCRUTINY))

    people = contributor.get("/api/v1/p/trafford/people/").json()["results"]

    assert {person["email"] for person in people} >= {coordinator.email}
    assert scrutiny.get("/api/v1/p/trafford/people/").status_code == 404


def test_the_api_needs_a_signed_in_caller(client, partnership):
    response = client.get("/api/v1/p/trafford/people/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


def test_the_people_endpoint_runs_a_fixed_number_of_queries(partnership, coordinator):
    client = signed_in(coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/v1/p/trafford/people/")
        return len(captured)

    few = queries()
    for number in range(20):
        member(partnership, Role.CONTRIBUTOR, email=f"api{number}@example.org")
    assert queries() == few


def test_the_openapi_schema_describes_the_endpoints(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/p/{partnership_slug}/people/" in schema["paths"]
