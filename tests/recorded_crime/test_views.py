import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recorded_crime.models import CrimeRelease
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, UserFactory, member

from .conftest import C2, edited, row_counts

pytestmark = pytest.mark.django_db

RELEASES = reverse("recorded_crime:releases")
UPLOAD = reverse("recorded_crime:upload")


@pytest.fixture
def staff_client():
    return signed_in(UserFactory(is_staff=True, email="admin@example.org"))


def _upload(client, data: bytes, name: str = C2.name, period: str = ""):
    return client.post(
        UPLOAD, {"file": SimpleUploadedFile(name, data, "text/csv"), "period": period}
    )


def test_a_platform_administrator_imports_the_table_and_sees_it_listed(staff_client, c2_bytes):
    page = staff_client.get(UPLOAD)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'class="govuk-file-upload' in html

    response = _upload(staff_client, c2_bytes)

    assert response.status_code == 302 and response["Location"] == RELEASES
    release = CrimeRelease.objects.get()
    assert release.imported_by.email == "admin@example.org"
    listing = staff_client.get(RELEASES).content.decode()
    assert "Year ending June 2025 imported from" in listing  # the flash message
    assert "314 Community Safety Partnerships" in listing
    assert "3 warnings are listed below." in listing
    assert 'data-testid="crime-releases"' in listing
    assert "Line 134: &#x27;Unassigned Gwent&#x27;" in listing
    assert "admin@example.org" in listing


@pytest.mark.parametrize("who", ["member", "signed_in_nobody"])
def test_anyone_but_a_platform_administrator_gets_not_found_and_nothing_changes(who, c2_bytes):
    if who == "member":
        user = UserFactory()
        member(PartnershipFactory(), user=user)
    else:
        user = UserFactory()
    client = signed_in(user)
    before = row_counts()

    for url in (RELEASES, UPLOAD):
        assert client.get(url).status_code == 404
    assert _upload(client, c2_bytes).status_code == 404
    assert row_counts() == before


def test_someone_signed_out_is_sent_to_sign_in(client, c2_bytes):
    before = row_counts()
    for response in (client.get(RELEASES), client.get(UPLOAD), _upload(client, c2_bytes)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert row_counts() == before


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("not-a-workbook.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("crime.txt", b"a,b\r\n", "The selected file must be a CSV or XLSX file"),
        ("crime.xlsx", b"a,b\r\n", "The selected file is not an Excel workbook"),
        ("crime.csv", b"PK\x03\x04\xff\xfe\x00binary", "must be text saved as UTF-8"),
        ("crime.csv", b"", "The selected file is empty"),
        ("crime.xlsx", _xlsx_bytes(), "could not be read as an Excel workbook"),
    ],
)
def test_a_file_of_the_wrong_type_or_content_is_refused_at_the_field(
    staff_client, name, data, message
):
    before = row_counts()

    response = _upload(staff_client, data, name=name)

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and 'href="#id_file"' in html
    assert 'class="govuk-error-message"' in html and message in html
    assert row_counts() == before


def test_a_file_over_the_size_limit_is_refused(staff_client, settings, c2_bytes):
    settings.CSP_CRIME_UPLOAD_MAX_BYTES = 50_000
    before = row_counts()

    response = _upload(staff_client, c2_bytes)

    assert response.status_code == 400
    assert "The selected file must be smaller than 48.8\xa0KB" in response.content.decode()
    assert row_counts() == before


def test_a_period_that_cannot_be_read_is_a_field_error(staff_client, c2_bytes):
    response = _upload(staff_client, c2_bytes, period="last year")
    assert response.status_code == 400
    assert "Enter the period like year ending June 2025" in response.content.decode()
    assert not CrimeRelease.objects.exists()


def test_a_refused_file_lists_its_row_errors_fifty_at_most(staff_client, c2_text):
    before = row_counts()

    response = _upload(
        staff_client, c2_text.replace(",E22", ",X22").replace(",W14", ",X14").encode()
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The file was not imported: 314 problems were found. Nothing was changed" in html
    assert "The first 50 of 314 problems:" in html
    problems = html.split('data-testid="file-problems">')[1].split("</ul>")[0]
    assert problems.count("<li>") == 50
    assert "Line 15: &#x27;X22000001&#x27; is not a Community Safety Partnership code" in problems
    assert row_counts() == before


def test_a_single_problem_is_named_in_the_field_message(staff_client, c2_text):
    response = _upload(staff_client, edited(c2_text, "year ending June 2025", "latest year"))
    html = response.content.decode()
    assert "The file was not imported: the file&#x27;s title does not say" in html
    assert not CrimeRelease.objects.exists()


def test_the_list_runs_a_fixed_number_of_queries_however_many_releases(staff_client, c2_text):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(RELEASES).status_code == 200
        return len(captured)

    _upload(staff_client, c2_text.encode())
    queries_for_list()  # the first page after the upload shows its message from the session
    one = queries_for_list()
    for year in (2023, 2024):
        _upload(staff_client, c2_text.replace("June 2025", f"June {year}").encode())
    html = staff_client.get(RELEASES).content.decode()

    assert queries_for_list() == one
    assert html.count('<th scope="row" class="govuk-table__header">Year ending June') == 3
