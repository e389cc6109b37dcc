import csv
import io
import re

import pytest
import weasyprint
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string
from pypdf import PdfReader

from demo.recorded_crime import EXTRACT, load_demo_release
from recorded_crime.selectors import crime_profile
from recorded_crime.services import crime_release_import, population_edition_import
from tests.factories import DistrictFactory, PartnershipFactory

from .conftest import POPULATION, file_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def trafford(db):
    trafford = PartnershipFactory(name="Trafford", slug="trafford", ons_code="E22000107")
    trafford.districts.set([DistrictFactory(code="E08000009", name="Trafford")])
    return trafford


def _synthetic_release(year: int, factor: float) -> None:
    """SYNTHETIC, not published data: the demo extract with its period moved back to June
    ``year`` and every count scaled by ``factor``."""
    text = EXTRACT.read_bytes().decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    records[0][0] = records[0][0].replace("year ending June 2025", f"year ending June {year}")
    for record in records[8:]:
        record[6:] = [f"{round(n * factor):,} " for n in file_counts(record).values()]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(records)
    crime_release_import(
        acting_user=None, data=out.getvalue().encode(), file_name=f"synthetic_{year}.csv"
    )


def _render(profile, heading_level=2) -> str:
    return render_to_string(
        "recorded_crime/includes/crime_profile.html",
        {"profile": profile, "heading_level": heading_level},
    )


@pytest.mark.parametrize("releases", [1, 3])
def test_a_profile_takes_a_fixed_number_of_queries_however_many_releases(
    trafford, releases, django_assert_max_num_queries
):
    load_demo_release()
    for year in range(2024, 2024 - (releases - 1), -1):
        _synthetic_release(year, 0.9)
    population_edition_import(
        acting_user=None, data=POPULATION.read_bytes(), file_name=POPULATION.name, mid_year=2023
    )

    # Two for the counts, six for the rates (population, force, nation, similar areas).
    with django_assert_max_num_queries(9):
        profile = crime_profile(partnership=trafford)
        html = _render(profile)

    assert len(profile.trend) == releases
    assert profile.rates.population.residents == 237_480
    assert "Rates per 1,000 residents" in html
    assert ("Total recorded crime over time" in html) == (releases > 1)


def test_a_partnership_without_figures_has_no_profile(trafford, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert crime_profile(partnership=trafford) is None
    assert _render(None).strip() == ""
    load_demo_release()
    cardiff_elsewhere = PartnershipFactory(ons_code="E22999999")
    assert crime_profile(partnership=cardiff_elsewhere) is None


def test_the_include_draws_accessible_charts_with_tables_of_the_same_numbers(trafford):
    load_demo_release()
    _synthetic_release(2024, 0.8)
    profile = crime_profile(partnership=trafford)

    html = _render(profile, heading_level=3)

    assert '<h3 class="govuk-heading-m" id="crime-e22000107-heading">' in html
    assert html.count('<h4 class="govuk-heading-s">') == 2
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        labelled_by = re.search(r'role="img" aria-labelledby="([^"]+)"', svg).group(1).split()
        for element_id in labelled_by:
            assert f'id="{element_id}"' in svg
        assert "<title " in svg and "<script" not in svg and "href" not in svg
        sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
        assert sizes and min(sizes) >= 12
        assert set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg)) <= {
            "#1d70b8",
            "#505a5f",
            "#0b0c0c",
            "#b1b4b6",
            "#ffffff",
        }
    bars, trend = svgs
    assert bars.count("<rect ") == 9  # the groups that add up to total recorded crime
    assert "Violence against the person" in bars
    assert intcomma(profile.top_level[0].count) in bars

    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    assert len(tables) == 2
    assert all("<caption" in table and 'scope="col"' in table for table in tables)
    assert tables[0].count('scope="row"') == 23
    for row in profile.offences:
        assert intcomma(row.count) in tables[0]
    assert "Year ending June 2024" in tables[0]  # the previous period's column
    assert f"+{intcomma(profile.total.change)}" in tables[0]
    assert f"{profile.total.share_of_force}%" in tables[0]
    for point in profile.trend:
        assert intcomma(point.count) in tables[1] and intcomma(point.count) in trend


def test_the_include_renders_in_a_tagged_pdf_with_its_figures(trafford, c2_records):
    load_demo_release()
    _synthetic_release(2024, 0.9)
    profile = crime_profile(partnership=trafford)
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Trafford</title>'
        "</head><body><h1>Strategic assessment</h1>" + _render(profile) + "</body></html>"
    )

    pdf = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    trafford_counts = file_counts(next(record for record in c2_records if record[2] == "E22000107"))
    assert "Police recorded crime" in text
    assert intcomma(trafford_counts["total_recorded_crime"]) in text
    assert intcomma(trafford_counts["shoplifting"]) in text
    assert intcomma(316_913) in text  # Greater Manchester's total
    assert "Total recorded crime over time" in text
