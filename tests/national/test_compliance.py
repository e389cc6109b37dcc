"""The national oversight officer's compliance view: counts and dates, never content, filtered,
sorted and downloaded; a constant number of queries however many partnerships there are."""

import csv
import io
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.middleware import TWO_FACTOR_NOT_NEEDED_KEY
from accounts.selectors import user_requires_two_factor
from infosharing.services import returns_open
from national.models import OversightScope
from partnerships.models import Membership, Role
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member
from tests.reviews.conftest import notify

from .conftest import duties, national_officer

URL = "/national/"
CSV_URL = "/national/compliance.csv"


@pytest.fixture(scope="module")
def built(module_data):
    return module_data.build(duties)


@pytest.fixture
def data(built, db):
    return built


def _rows(page: str) -> list[str]:
    body = page.split('data-testid="compliance"', 1)[1].split("</tbody>", 1)[0]
    return [row.split("</tr>")[0] for row in body.split('<tr class="govuk-table__row">')[2:]]


def test_each_partnership_shows_counts_and_dates_and_what_it_is_late_on(data):
    page = signed_in(data["officer"]).get(URL).content.decode()
    salford, torfaen, trafford = _rows(page)
    assert "Salford" in salford and "5 of 5" in salford
    assert "refresh due 31 Mar" in salford
    assert "1 (1)" in salford  # one open review, past its decision clock
    assert "1 (0)" in salford  # one open report request, not overdue
    assert "domestic homicide reviews past their clocks" in salford
    assert "Torfaen" in torfaen and "0 of 5" in torfaen and "No plan in force" in torfaen
    assert "statutory seats empty" in torfaen
    assert "no strategic assessment approved for this year" in torfaen
    assert "Trafford" in trafford and "govuk-tag--red" not in trafford
    # Counts only: no pseudonym, no request, no plan text, no person.
    for secret in ("Adult Secret", "Secret concern", "Patrol hotspots", "Action 0", "@example"):
        assert secret not in page


def test_filters_by_nation_force_area_and_lateness_and_sorts(data):
    client = signed_in(data["officer"])
    welsh = client.get(URL, {"nation": "wales"}).content.decode()
    assert [("Torfaen" in row) for row in _rows(welsh)] == [True]
    gwent = client.get(URL, {"force_area": data["gwent"].pk}).content.decode()
    assert len(_rows(gwent)) == 1 and "Torfaen" in _rows(gwent)[0]
    late = client.get(URL, {"late": "on"}).content.decode()
    assert ["Salford" in row or "Torfaen" in row for row in _rows(late)] == [True, True]
    by_seats = _rows(client.get(URL, {"sort": "seats"}).content.decode())
    assert "Torfaen" in by_seats[0]
    newest_summary_first = _rows(client.get(URL, {"sort": "-summary"}).content.decode())
    assert "Torfaen" in newest_summary_first[-1]  # never published: last either way
    # A value that is not one of the choices is ignored, not an error.
    assert client.get(URL, {"force_area": "x", "sort": "nonsense"}).status_code == 200


def test_the_csv_holds_the_filtered_rows_with_every_count(data):
    response = signed_in(data["officer"]).get(CSV_URL, {"late": "on", "sort": "-name"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["partnership"] for row in rows] == ["Torfaen", "Salford"]
    salford = rows[1]
    assert salford["statutory_seats_filled"] == "5"
    assert salford["reviews_notified"] == "1"
    assert salford["reviews_past_their_clocks"] == "1"
    assert salford["pcc_report_requests_open"] == "1"
    assert salford["late_on"] == "reviews"
    assert rows[0]["late_on"] == "assessment;plan;seats"


def test_quarterly_returns_not_sent_by_their_day_make_a_partnership_late(data):
    """The returns of depersonalised information (Crime and Disorder Act 1998 s17A) that the
    responsible authorities owe, counted and never shown: a quarter long past, opened and not
    sent, puts Trafford, otherwise up to date, on the late list."""
    coordinator = Membership.objects.get(partnership__slug="trafford", role=Role.COORDINATOR)
    opened = returns_open(
        acting_user=coordinator.user,
        partnership=coordinator.partnership,
        year_start=2025,
        quarter=1,
    )
    client = signed_in(data["officer"])

    trafford = _rows(client.get(URL).content.decode())[2]
    assert "Trafford" in trafford and f"{len(opened)} ({len(opened)})" in trafford
    assert "quarterly returns of depersonalised information late" in trafford
    rows = list(csv.DictReader(io.StringIO(client.get(CSV_URL).content.decode("utf-8-sig"))))
    (row,) = [row for row in rows if row["partnership"] == "Trafford"]
    assert row["quarterly_returns_late"] == str(len(opened)) == "5"
    assert row["late_on"] == "returns"


def test_a_grant_for_one_nation_sees_only_its_partnerships(data):
    page = signed_in(data["welsh_officer"]).get(URL).content.decode()
    assert [("Torfaen" in row) for row in _rows(page)] == [True]
    assert "Salford" not in page


@pytest.mark.parametrize("who", ["member", "administrator", "ended"])
def test_anyone_without_an_open_grant_gets_404(data, who):
    from national.services import national_grant_end
    from tests.factories import UserFactory

    if who == "member":
        user = member(data["salford"], Role.COORDINATOR)
    elif who == "administrator":
        user = UserFactory(is_staff=True)
    else:
        user = national_officer()
        grant = user.national_oversight_grants.get()
        national_grant_end(acting_user=UserFactory(is_staff=True), grant=grant)
    client = signed_in(user)
    assert client.get(URL).status_code == 404
    assert client.get(CSV_URL).status_code == 404


def test_a_grant_holder_must_pass_two_factor_first(data, client):
    officer = data["officer"]
    assert user_requires_two_factor(officer)
    unverified = signed_in(officer, verified=False)
    # Even when the middleware found, within the minute, that no code was needed (the grant came
    # since), the page itself asks for one.
    session = unverified.session
    session[TWO_FACTOR_NOT_NEEDED_KEY] = int(time.time())
    session.save()
    response = unverified.get(CSV_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/")
    assert b"partnership" not in response.content
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_at_one_and_at_many_partnerships(db):
    one = PartnershipFactory(name="Alone", slug="alone")
    notify(one, member(one, Role.COORDINATOR))
    client = signed_in(national_officer(OversightScope.ALL))
    _queries(client)  # the session's first request writes it
    small = _queries(client)
    for number in range(6):
        more = PartnershipFactory(name=f"Borough {number}", slug=f"borough-{number}")
        notify(more, member(more, Role.COORDINATOR), pseudonym=f"Adult {number}")
    large = _queries(client)
    print("national compliance queries", small, large)
    assert large == small
    assert large <= 25


def test_the_navigation_leads_a_national_officer_to_it_and_nobody_else(data):
    assert 'href="/national/"' in signed_in(data["officer"]).get("/").content.decode()
    coordinator = data["salford"].memberships.get(role=Role.COORDINATOR).user
    assert 'href="/national/"' not in signed_in(coordinator).get("/").content.decode()
