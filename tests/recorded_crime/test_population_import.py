"""The population estimates import, by service and on the national data page, on the real file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from recorded_crime.models import DistrictPopulation, PopulationEdition
from recorded_crime.reader import CrimeFileError
from recorded_crime.services import population_edition_import
from tests.conftest import signed_in
from tests.factories import UserFactory

from .conftest import POPULATION, row_counts

pytestmark = pytest.mark.django_db


def _import_population(data: bytes | None = None, mid_year: int = 2023, user=None):
    return population_edition_import(
        acting_user=user,
        data=POPULATION.read_bytes() if data is None else data,
        file_name=POPULATION.name,
        mid_year=mid_year,
    )


def test_population_import_is_all_or_nothing_idempotent_and_keeps_editions():
    text = POPULATION.read_text()
    before = row_counts()
    broken = text.replace("E08000009,Trafford,237480.0", "E08000009,Trafford,237481.0", 1)
    broken = broken.replace("\nE06000001,Hartlepool,", "\nE06000001,Hartlepool,x", 1)
    with pytest.raises(CrimeFileError) as refused:
        _import_population(broken.encode())
    assert any(error.startswith("Line 2: all must be") for error in refused.value.errors)
    trafford_line = text[: text.index("E08000009")].count("\n") + 1
    assert (
        f"Line {trafford_line}: 'all' is 237481 but the ages add up to 237480."
        in refused.value.errors
    )
    assert row_counts() == before

    staff = UserFactory(is_staff=True)
    first = _import_population(user=staff)
    assert first.created and first.districts == 318 and first.skipped_other_nations == 42
    events = AuditEvent.objects.filter(action="recorded_crime.population_import").count()
    again = _import_population(user=staff)
    assert (again.created, again.changed) == (False, 0)
    assert AuditEvent.objects.filter(action="recorded_crime.population_import").count() == events

    corrected = text.replace(",237480.0,", ",237490.0,", 1).replace(
        "E08000009,Trafford,237490.0,2188.0", "E08000009,Trafford,237490.0,2198.0", 1
    )
    assert corrected != text
    result = _import_population(corrected.encode(), user=staff)
    assert result.changed == 1
    trafford = DistrictPopulation.objects.get(edition__mid_year=2023, district_code="E08000009")
    assert trafford.total == 237_490

    _import_population(mid_year=2022)
    assert list(PopulationEdition.objects.values_list("mid_year", flat=True)) == [2023, 2022]


def test_staff_import_population_on_the_national_data_page(c2_bytes):
    url = reverse("recorded_crime:population_upload")
    assert signed_in(UserFactory()).get(url).status_code == 404
    staff = signed_in(UserFactory(is_staff=True))

    refused = staff.post(
        url,
        {"file": SimpleUploadedFile("pop.csv", b"code,name\nE1,x\n", "text/csv"), "mid_year": 2023},
    )
    assert refused.status_code == 400
    assert "Line 1: the header must be code, name, all" in refused.content.decode()
    assert not PopulationEdition.objects.exists()
    missing_year = staff.post(url, {"file": SimpleUploadedFile("p.csv", b"x", "text/csv")})
    assert "Enter the mid-year, for example 2023" in missing_year.content.decode()

    response = staff.post(
        url,
        {
            "file": SimpleUploadedFile(POPULATION.name, POPULATION.read_bytes(), "text/csv"),
            "mid_year": 2023,
        },
    )
    assert response.status_code == 302
    page = staff.get(reverse("recorded_crime:releases")).content.decode()
    assert "60,854,727" in page and "Population estimates for mid-2023 imported" in page
