"""The strategic assessment PDF, read back: tagged, in English, with its headings and figures."""

import pytest

from assessments.models import ContributionStatus
from assessments.services import contributions as contribution_services
from demo.recorded_crime import load_demo_release
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member
from tests.pdf import read_pdf

from .test_views import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(db):
    # Trafford's real ONS code, so the demo extract of police recorded crime gives its figures.
    return PartnershipFactory(name="Trafford", slug="trafford", ons_code="E22000107")


def test_the_approved_assessment_as_a_tagged_pdf(approved, partnership, strategy_member):
    load_demo_release()
    client = signed_in(member(partnership, "scrutiny"))

    response = client.get(url("pdf", partnership, assessment_id=approved.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = read_pdf(response.content)
    assert pdf.tagged
    assert pdf.lang == "en"
    assert pdf.title == "Strategic assessment 2027/28"
    assert pdf.author == "Trafford"
    for heading in (
        "1. Levels and patterns of crime, disorder and substance misuse",
        "3. What the community said",
        "6. Serious violence (strategic needs assessment)",
        "7. Recommended priorities",
        "9. Sign-off",
    ):
        assert heading in pdf.outline
    # Four pages of body: a short document, its title block on page 1 and no contents page.
    assert pdf.pages < 5 and "Contents" not in pdf.outline
    assert "Strategic assessment 2027/28" in pdf.page_texts[0] and "Page 1 of" in pdf.page_texts[0]
    # Trafford's total recorded crime (excluding fraud), year ending June 2025, from Table C2.
    assert "18,009" in pdf.text
    assert "Violence against women, domestic abuse and sexual violence" in pdf.text
    assert f"by {strategy_member.full_name}" in pdf.text
    assert "Agreed at the strategy group, 3 March 2027" in pdf.text
    assert "DRAFT" not in pdf.text
    assert {"Table", "TH", "TD", "Figure"} <= pdf.structure_types
    assert all(alt for alt in pdf.figure_alt_texts)
    assert f"Page {pdf.pages} of {pdf.pages}" in pdf.page_texts[-1]


def test_a_draft_pdf_is_marked_draft_on_every_page(open_assessment, partnership, coordinator):
    client = signed_in(coordinator)
    pdf = read_pdf(client.get(url("pdf", partnership, assessment_id=open_assessment.pk)).content)
    assert pdf.tagged
    assert all("DRAFT" in page for page in pdf.page_texts)
    assert "Sign-off" not in pdf.outline


def test_only_accepted_contributions_go_into_the_document(
    open_assessment, partnership, coordinator, police_request, police_officer
):
    contribution_services.contribution_save(
        acting_user=police_officer,
        contribution=police_request,
        revision=police_request.revision,
        answer="Incidents rose by a fifth in Old Trafford.",
        figures=[("Domestic abuse incidents", 4120, "incidents")],
    )
    contribution_services.contribution_submit(
        acting_user=police_officer, contribution=police_request
    )
    client = signed_in(coordinator)
    pdf_url = url("pdf", partnership, assessment_id=open_assessment.pk)
    assert "Old Trafford" not in read_pdf(client.get(pdf_url).content).text

    contribution_services.contribution_accept(acting_user=coordinator, contribution=police_request)
    police_request.refresh_from_db()
    assert police_request.status == ContributionStatus.ACCEPTED
    text = read_pdf(client.get(pdf_url).content).text
    assert "Incidents rose by a fifth in Old Trafford." in text
    assert "Domestic abuse incidents" in text and "4,120 incidents" in text


def test_the_benchmark_reports_its_ratios_and_leaves_nothing_behind(capsys):
    from django.core.management import call_command

    from assessments.models import StrategicAssessment
    from recorded_crime.models import CrimeRelease

    call_command("benchmark_assessments", repeat=1, paragraphs=1)

    out = capsys.readouterr().out
    assert "ratio import / baseline:" in out
    assert "ratio ours / baseline:" in out
    assert "399 rows" in out  # the real Table C2: 314 CSPs, 42 force totals, 43 other rows
    assert not StrategicAssessment.objects.exists()
    assert not CrimeRelease.objects.exists()
