"""Population estimates, rates per 1,000 residents and similar areas, on the real published files:
the ONS lookup, Table C2, ONS mid-2023 estimates and ONS's nearest neighbours."""

import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from authorities.models import LocalAuthorityDistrict, Nation, PoliceForceArea
from partnerships.models import Partnership, Seat
from partnerships.services import partner_organisation_add
from recorded_crime.rates import csp_population, csp_populations
from recorded_crime.selectors import crime_profile
from recorded_crime.services import (
    crime_release_import,
    population_edition_import,
    similar_areas_import,
)
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, member

from .conftest import C2, NEIGHBOURS, POPULATION, csp_record, file_counts

pytestmark = pytest.mark.django_db


def _import_population(data: bytes | None = None, mid_year: int = 2023, user=None):
    return population_edition_import(
        acting_user=user,
        data=POPULATION.read_bytes() if data is None else data,
        file_name=POPULATION.name,
        mid_year=mid_year,
    )


def _lookup_partnerships(rows: list[dict[str, str]]) -> None:
    """The 314 partnerships of the 2023 lookup with their districts and force areas, written in
    bulk: ``import_lookup`` does the same one partnership at a time in about ten seconds, and its
    own tests (tests/partnerships) prove it; these tests are about what is read from them."""
    forces = PoliceForceArea.objects.bulk_create(
        PoliceForceArea(code=code, name=name, edition="2023")
        for code, name in {r["PFA23CD"]: r["PFA23NM"] for r in rows}.items()
    )
    districts = LocalAuthorityDistrict.objects.bulk_create(
        LocalAuthorityDistrict(code=code, name=name, edition="2023")
        for code, name in {r["LAD23CD"]: r["LAD23NM"] for r in rows}.items()
    )
    force_of = {force.code: force for force in forces}
    first = {}
    for row in rows:
        first.setdefault(row["CSP23CD"], row)
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            name=row["CSP23NM"],
            slug=code.lower(),
            nation=Nation.from_ons_code(code),
            police_force_area=force_of[row["PFA23CD"]],
            ons_code=code,
            ons_edition="2023",
        )
        for code, row in first.items()
    )
    partnership_of = {p.ons_code: p for p in partnerships}
    district_of = {d.code: d for d in districts}
    Partnership.districts.through.objects.bulk_create(
        Partnership.districts.through(
            partnership=partnership_of[row["CSP23CD"]],
            localauthoritydistrict=district_of[row["LAD23CD"]],
        )
        for row in rows
    )


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker, c2_bytes, lookup_rows):
    """The whole country, once for the module and rolled back after it: the 2023 lookup, Table C2,
    mid-2023 estimates and ONS's nearest neighbours."""
    with django_db_blocker.unblock(), transaction.atomic():
        _lookup_partnerships(lookup_rows)
        crime_release_import(acting_user=None, data=c2_bytes, file_name=C2.name)
        _import_population()
        similar_areas_import(
            acting_user=None, data=NEIGHBOURS.read_bytes(), file_name=NEIGHBOURS.name, label="ELS"
        )
        yield
        transaction.set_rollback(True)


def _per_thousand(count: int, residents: int) -> Decimal:
    return (Decimal(count) * 1000 / Decimal(residents)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def test_every_csp_of_the_2023_lookup_gets_a_population_by_the_stated_rule(
    national, district_residents, lookup_rows
):
    populations = csp_populations()

    assert len(populations) == 314
    assert populations["E22000107"] == district_residents["E08000009"] == 237_480  # Trafford
    # Cwm Taf covers two districts: their sum.
    assert (
        populations["W14000023"]
        == district_residents["W06000016"] + district_residents["W06000024"]
    )
    # Bournemouth, Christchurch and Poole is in three CSPs (Bournemouth, Poole, Dorset): a third
    # of it each, and Dorset's own district besides.
    bcp = district_residents["E06000058"]
    assert populations["E22000063"] == populations["E22000067"] == round(bcp / 3)
    assert populations["E22000367"] == round(bcp / 3 + district_residents["E06000059"])
    # So every resident of England and Wales is counted once (give or take the rounding).
    england_and_wales = sum(
        residents for code, residents in district_residents.items() if code[0] in "EW"
    )
    assert england_and_wales == 57_690_323 + 3_164_404
    assert abs(sum(populations.values()) - england_and_wales) <= 5

    trafford = csp_population(csp_code="E22000107")
    assert not trafford.estimated and csp_population(csp_code="E22000063").estimated
    with POPULATION.open(newline="") as handle:
        ages = next(row for row in csv.DictReader(handle) if row["code"] == "E08000009")
    assert trafford.aged_10_17 == sum(int(float(ages[str(age)])) for age in range(10, 18))
    assert trafford.aged_18_24 == sum(int(float(ages[str(age)])) for age in range(18, 25))


def test_rates_per_thousand_against_hand_computed_figures_for_two_csps(
    national, c2_records, district_residents
):
    trafford = crime_profile(partnership=Partnership.objects.get(ons_code="E22000107"))
    counts = file_counts(csp_record(c2_records, "E22000107"))
    rates = {row.key: row for row in trafford.rates.offences}
    # 18,009 offences / 237,480 residents x 1,000 = 75.83…
    assert rates["total_recorded_crime"].rate == Decimal("75.8")
    assert counts["violence_with_injury"] == 1369
    assert rates["violence_with_injury"].rate == Decimal("5.8")  # 1,369 / 237,480 x 1,000
    greater_manchester = [r for r in c2_records[8:] if r[0] == "E23000005" and not r[2].strip()]
    gm_total = file_counts(greater_manchester[0])["total_recorded_crime"]
    gm_residents = sum(
        district_residents[code] for code in [f"E0800000{n}" for n in range(1, 10)] + ["E08000010"]
    )
    assert trafford.rates.force_residents == gm_residents
    assert rates["total_recorded_crime"].force_rate == _per_thousand(gm_total, gm_residents)

    cwm_taf = crime_profile(partnership=Partnership.objects.get(ons_code="W14000023"))
    counts = file_counts(csp_record(c2_records, "W14000023"))
    residents = district_residents["W06000016"] + district_residents["W06000024"]
    for row in cwm_taf.rates.offences:
        expected = None if counts[row.key] is None else _per_thousand(counts[row.key], residents)
        assert row.rate == expected, row.key
    wales_force_totals = [
        r for r in c2_records[8:] if r[0].startswith("W15") and not r[2].strip() + r[3].strip()
    ]
    assert len(wales_force_totals) == 4
    wales_total = sum(file_counts(r)["total_recorded_crime"] for r in wales_force_totals)
    assert cwm_taf.rates.nation_code == "W" and cwm_taf.rates.nation_residents == 3_164_404
    assert cwm_taf.rates.total.nation_rate == _per_thousand(wales_total, 3_164_404)


def test_similar_areas_are_the_csps_of_onss_nearest_neighbours(national, lookup_rows):
    csps_of = defaultdict(list)
    for row in lookup_rows:
        csps_of[row["LAD23CD"]].append(row["CSP23CD"])
    with NEIGHBOURS.open(newline="", encoding="utf-8-sig") as handle:
        neighbours = {row["AREACD"]: row for row in csv.DictReader(handle)}
    expected = ["E22000107"]
    for rank in range(1, 21):
        for csp in sorted(csps_of.get(neighbours["E08000009"][str(rank)], [])):
            if csp not in expected:
                expected.append(csp)

    rates = crime_profile(partnership=Partnership.objects.get(ons_code="E22000107")).rates

    assert sorted(area.csp_code for area in rates.similar_areas) == sorted(expected)
    shown = [area.total_rate for area in rates.similar_areas]
    assert shown == sorted(shown, reverse=True)
    total = rates.total
    assert total.similar_of == len(expected)
    assert total.similar_rank == 1 + sum(1 for rate in shown if rate > total.rate)
    # Barnsley is E08000016 in the lookup, E08000038 in ONS's neighbours: still found.
    barnsley = crime_profile(partnership=Partnership.objects.get(ons_code="E22000259")).rates
    assert len(barnsley.similar_areas) > 15


def test_the_crime_profile_csv_downloads_hold_the_tables(national):
    trafford = Partnership.objects.get(ons_code="E22000107")
    partner_organisation_add(  # the bulk partnerships have no seats filled
        acting_user=None,
        partnership=trafford,
        organisation=OrganisationFactory(name="Trafford Council"),
        seat=Seat.LOCAL_AUTHORITY,
    )
    client = signed_in(member(trafford))
    url = reverse("assessments:crime_profile_csv", args=[trafford.slug])

    tables = {}
    for name in ("offences", "rates", "similar", "trend"):
        response = client.get(url, {"table": name})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert "E22000107-" in response["Content-Disposition"]
        tables[name] = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert client.get(url, {"table": "nonsense"}).status_code == 404

    assert tables["offences"][1][:2] == ["Total recorded crime (excluding fraud)", "18009"]
    assert tables["rates"][1][:2] == ["Total recorded crime (excluding fraud)", "75.8"]
    assert ["E22000107", "Trafford", "237480", "75.8"] in tables["similar"]
    assert tables["trend"][1][:2] == ["year ending June 2025", "18009"]
