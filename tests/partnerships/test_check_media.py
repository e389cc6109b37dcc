"""`manage.py check_media`: after a restore, which records' files are missing from storage."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import ContributionDocument
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from authorities.models import OrganisationKind
from oversight.models import ReportDocument
from oversight.services import report_requests
from partnerships.management.commands.check_media import file_fields
from partnerships.models import Membership, Role, Seat
from partnerships.selectors import membership_for
from tests.factories import OrganisationFactory, PartnershipFactory, member, organisation_in
from tests.oversight.conftest import pcc_member

pytestmark = pytest.mark.django_db


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7 " + name.encode(), "application/pdf")


def _documents(slug: str) -> tuple[ContributionDocument, ReportDocument]:
    """A contribution's document and a report request answer's document, through the services."""
    partnership = PartnershipFactory(name=slug.title(), slug=slug)
    coordinator = member(partnership, Role.COORDINATOR)
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2027
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    (request,) = contribution_services.contribution_requests_send(
        acting_user=coordinator,
        assessment=assessment,
        organisations=[organisation_in(partnership, Seat.POLICE)],
        title="Violence data",
        questions="What changed?",
        data_requested="",
        due_date=date.today() + timedelta(days=7),
    )
    contribution_document = contribution_services.contribution_document_add(
        acting_user=member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE),
        contribution=request,
        upload=_pdf("figures.pdf"),
    )
    pcc = pcc_member(partnership, OrganisationFactory(kind=OrganisationKind.PCC))
    report_request = report_requests.report_request_create(
        acting_user=pcc,
        membership=membership_for(user=pcc, partnership_slug=slug),
        title="Knife crime",
        body="Tell us.",
        due_date=date.today() + timedelta(days=14),
    )
    entry = report_requests.report_request_answer(
        acting_user=coordinator,
        membership=Membership.objects.get(user=coordinator),
        report_request=report_request,
        body="Here it is.",
        files=[_pdf("report.pdf")],
    )
    return contribution_document, entry.documents.get()


def test_nothing_missing_answers_success():
    _documents("trafford")
    out = StringIO()

    call_command("check_media", stdout=out)

    assert out.getvalue().strip() == "2 files checked, 0 missing."


def test_a_missing_file_is_reported_with_its_record_and_partnership_and_fails(each_storage):
    _documents("trafford")
    _contribution, lost = _documents("cardiff")
    lost.file.storage.delete(lost.file.name)
    out = StringIO()

    with pytest.raises(CommandError, match="1 of 4 files are missing"):
        call_command("check_media", stdout=out)

    assert out.getvalue().splitlines() == [
        f"missing: oversight.reportdocument {lost.pk} file {lost.file.name} (partnership cardiff)",
        "4 files checked, 1 missing.",
    ]


def test_the_json_report_names_each_missing_file():
    contribution, report = _documents("trafford")
    for document in (contribution, report):
        document.file.storage.delete(document.file.name)
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("check_media", "--json", stdout=out)

    assert json.loads(out.getvalue()) == {
        "checked": 2,
        "missing": [
            {
                "model": "assessments.contributiondocument",
                "pk": contribution.pk,
                "field": "file",
                "name": contribution.file.name,
                "partnership": "trafford",
            },
            {
                "model": "oversight.reportdocument",
                "pk": report.pk,
                "field": "file",
                "name": report.file.name,
                "partnership": "trafford",
            },
        ],
    }


def test_one_query_per_file_field_however_many_records():
    for slug in ("trafford", "cardiff", "bolton"):
        _documents(slug)

    with CaptureQueriesContext(connection) as queries:
        call_command("check_media", stdout=StringIO())

    # Every file field of every model: uploaded documents and the PDFs the worker makes.
    assert {f"{model._meta.label_lower}.{field.name}" for model, field in file_fields()} >= {
        "assessments.contributiondocument.file",
        "oversight.reportdocument.file",
        "plans.plandocument.file",
        "reviews.reviewdocument.file",
    }
    assert len(queries) == len(file_fields())
