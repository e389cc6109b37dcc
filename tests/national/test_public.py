"""The public register at /partnerships/ and the open data: anyone, without signing in, finds a
partnership by name or place and reads its public facts; never a person or a review."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from authorities.models import Nation, OrganisationKind
from partnerships.models import Role, Seat
from partnerships.services import partner_organisation_add, partnership_merge
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, PartnershipFactory, member

from .conftest import duties

PERSONAL = ("@example", "Adult Secret", "Secret concern", "Secret body")


def _public():
    data = duties()
    salford = data["salford"]
    partner_organisation_add(
        acting_user=None,
        partnership=salford,
        organisation=OrganisationFactory(
            name="Salford Housing Trust", kind=OrganisationKind.INVITED_PARTNER, sector="housing"
        ),
        seat=Seat.INVITED,
    )
    coordinator = salford.memberships.get(role=Role.COORDINATOR).user
    response = signed_in(coordinator).post(
        reverse("partnerships:identity", kwargs={"partnership_slug": "salford"}),
        {"public_name": "", "accent_colour": "", "contact_address": "csp@salford.gov.uk"},
    )
    assert response.status_code == 302
    blaenau = PartnershipFactory(
        name="Blaenau Gwent",
        slug="blaenau-gwent",
        nation=Nation.WALES,
        police_force_area=data["gwent"],
    )
    partnership_merge(acting_user=None, partnership=blaenau, into=data["torfaen"])
    return data


@pytest.fixture(scope="module")
def built(module_data):
    return module_data.build(_public)


@pytest.fixture
def data(built, db):
    return built


def test_the_chooser_of_a_signed_in_person_moved_under_their_account():
    assert reverse("partnerships:choose") == "/account/partnerships/"


def test_anyone_finds_a_partnership_by_name_or_place(data, client):
    listing = client.get("/partnerships/").content.decode()
    for name in ("Salford", "Torfaen", "Trafford", "Blaenau Gwent"):
        assert name in listing
    by_place = client.get("/partnerships/", {"q": "pontypool"}).content.decode()
    register = by_place.split('data-testid="register"', 1)[1].split("</ul>", 1)[0]
    assert "Torfaen" in register and "Salford" not in register
    by_name = client.get("/partnerships/", {"q": "salf"}).content.decode()
    assert "/partnerships/salford/" in by_name and "/partnerships/trafford/" not in by_name
    assert "No partnership has that" in client.get("/partnerships/", {"q": "zzz"}).content.decode()


def test_a_partnership_page_shows_its_public_facts_and_no_person_or_review(data, client):
    page = client.get("/partnerships/salford/").content.decode()
    assert "Greater Manchester" in page
    assert "Salford Police" in page and "Salford Health" in page
    assert "Salford Housing Trust" in page.split('data-testid="invited"', 1)[1]
    assert "csp@salford.gov.uk" in page
    assert 'href="/plans/salford/"' in page
    assert "Approved " in page
    for secret in PERSONAL[1:]:
        assert secret not in page
    assert "@example" not in page


def test_the_contact_address_is_audited(data):
    event = AuditEvent.objects.get(
        action="partnership.identity_update", partnership=data["salford"]
    )
    assert event.changes["contact_address"] == ["", "csp@salford.gov.uk"]


def test_a_missing_partnership_is_404_and_a_merged_one_points_to_its_successor(data, client):
    assert client.get("/partnerships/nowhere/").status_code == 404
    merged = client.get("/partnerships/blaenau-gwent/").content.decode()
    successor = merged.split('data-testid="successor"', 1)[1]
    assert 'href="/partnerships/torfaen/"' in successor


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_register_and_open_data_cost_the_same_at_more_partnerships(data):
    client = Client()
    urls = ["/partnerships/", "/open-data/compliance.json", "/open-data/partnerships.csv"]
    small = [_queries(client, url) for url in urls]
    for number in range(4):
        more = PartnershipFactory(name=f"Borough {number}", slug=f"borough-{number}")
        member(more, Role.COORDINATOR)
    large = [_queries(client, url) for url in urls]
    print("register and open data queries", small, large)
    assert large == small


@pytest.mark.parametrize("dataset", ["partnerships", "compliance", "priorities"])
def test_each_dataset_as_json_and_csv_under_the_open_government_licence(data, client, dataset):
    response = client.get(f"/open-data/{dataset}.json")
    assert response.status_code == 200
    body = response.json()
    assert body["licence"]["name"] == "Open Government Licence v3.0"
    assert body["last_updated"]
    assert body["records"]
    assert "public" in response["Cache-Control"]
    text = json.dumps(body)
    for secret in PERSONAL:
        assert secret not in text

    response = client.get(f"/open-data/{dataset}.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(body["records"])
    # A client that has it already is told so without the data being read again.
    again = client.get(
        f"/open-data/{dataset}.csv",
        headers={"If-None-Match": response["ETag"]},
    )
    assert again.status_code == 304
    assert (
        client.get(
            f"/open-data/{dataset}.json", headers={"If-Modified-Since": response["Last-Modified"]}
        ).status_code
        == 304
    )


def test_the_open_data_holds_the_facts_and_counts(data, client):
    register = {
        row["slug"]: row for row in client.get("/open-data/partnerships.json").json()["records"]
    }
    assert register["salford"]["plan_summary_url"].endswith(
        "://testserver/plans/salford/"
    ) or register["salford"]["plan_summary_url"].endswith("/plans/salford/")
    assert register["salford"]["invited_partners"] == ["GM PCC", "Salford Housing Trust"]
    assert register["blaenau-gwent"]["merged_into"] == "torfaen"
    compliance = {
        row["slug"]: row for row in client.get("/open-data/compliance.json").json()["records"]
    }
    assert "blaenau-gwent" not in compliance
    assert compliance["salford"]["reviews_past_their_clocks"] == 1
    priorities = client.get("/open-data/priorities.json").json()["records"]
    assert {row["slug"] for row in priorities} == {"salford", "trafford"}


def test_the_open_data_page_states_the_licence_and_the_date(data, client):
    page = client.get("/open-data/").content.decode()
    assert "Open Government Licence v3.0" in page
    assert "Last updated:" in page
    assert 'href="/open-data/compliance.csv"' in page
