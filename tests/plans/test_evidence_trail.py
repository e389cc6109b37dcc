"""The evidence trail: a recommended priority cites crime figures, an accepted contribution and
the consultation findings as links; the plan started from it keeps them and shows them under
"Why this is a priority" (page, PDF, public summary where public), flagged when the evidence
changes after approval."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import EvidenceKind
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from assessments.services.evidence import priority_evidence_cite
from demo.recorded_crime import EXTRACT, load_demo_release
from partnerships.models import Role, Seat
from plans.documents import plan_context
from plans.services import approval, drafting
from recorded_crime.services import crime_release_import
from tests.assessments.conftest import complete, send_request
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in
from tests.recorded_crime.conftest import file_counts

from .conftest import YEAR, sign_off_by_every_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Trafford", slug="trafford", ons_code="E22000107")


@pytest.fixture
def cited(partnership, coordinator):
    """An approved assessment whose priority cites violence with injury, the police's accepted
    contribution and the consultation findings; and the plan started from it."""
    load_demo_release()
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    complete(assessment, coordinator)
    request = send_request(assessment, coordinator, organisation_in(partnership, Seat.POLICE))
    analyst = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE)
    request = contribution_services.contribution_save(
        acting_user=analyst,
        contribution=request,
        revision=request.revision,
        answer="Domestic abuse incidents by month.",
        figures=[("Domestic abuse incidents", Decimal(4120), "incidents")],
    )
    contribution_services.contribution_submit(acting_user=analyst, contribution=request)
    request = contribution_services.contribution_accept(
        acting_user=coordinator, contribution=request
    )
    priority = assessment.priorities.get()
    cite = {"acting_user": coordinator, "priority": priority}
    priority_evidence_cite(**cite, kind=EvidenceKind.CRIME, offence_key="violence_with_injury")
    priority_evidence_cite(**cite, kind=EvidenceKind.CONTRIBUTION, contribution=request)
    priority_evidence_cite(**cite, kind=EvidenceKind.CONSULTATION)
    with pytest.raises(ValidationError, match="already cites"):
        priority_evidence_cite(**cite, kind=EvidenceKind.CONSULTATION)
    assessment_services.assessment_submit_for_review(acting_user=coordinator, assessment=assessment)
    approver = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.LOCAL_AUTHORITY)
    assessment_services.assessment_approve(acting_user=approver, assessment=assessment)
    plan = drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )
    return assessment, request, plan


def _newer_release():
    """SYNTHETIC, not published data: the demo extract re-dated to the year ending September
    2025, every count up a tenth."""
    records = list(csv.reader(io.StringIO(EXTRACT.read_text(), newline="")))
    records[0][0] = records[0][0].replace("June 2025", "September 2025")
    for record in records[8:]:
        record[6:] = [f"{round(n * 1.1):,} " for n in file_counts(record).values()]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(records)
    crime_release_import(acting_user=None, data=out.getvalue().encode(), file_name="c2_sep.csv")


def test_a_cited_priority_links_its_evidence_through_to_the_plan(cited, coordinator, signers):
    assessment, request, plan = cited
    priority = plan.priorities.get()
    assert priority.recommended.assessment == assessment
    assert priority.evidence == "Police recorded crime; IDVA referrals."  # kept, not dropped
    client = signed_in(coordinator)
    assessment_page = reverse("assessments:detail", args=["trafford", assessment.pk])

    page = client.get(reverse("plans:detail", args=["trafford", plan.pk])).content.decode()
    assert "Why this is a priority" in page
    assert (
        f'href="{assessment_page}#crime-e22000107-heading">Police recorded crime: Violence with '
        "injury, year ending June 2025</a>: 1,369 offences" in page
    )
    contribution_page = reverse("assessments:contribution", args=["trafford", request.pk])
    assert f'href="{contribution_page}"' in page and "Domestic abuse incidents: 4,120" in page
    assert f'href="{assessment_page}#section-community"' in page
    assert "The evidence has changed" not in page
    # The links lead to the figures.
    shown = client.get(assessment_page).content.decode()
    assert 'id="crime-e22000107-heading"' in shown and 'id="section-community"' in shown
    assert client.get(contribution_page).status_code == 200

    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    sign_off_by_every_seat(plan, signers)
    approval.plan_publish(acting_user=coordinator, plan=plan)
    pdf_html = render_to_string("plans/documents/plan_pdf.html", plan_context(plan))
    assert "Why this is a priority" in pdf_html and "1,369 offences" in pdf_html
    assert "Domestic abuse incidents: 4,120" in pdf_html
    public = client.get(reverse("plans:public_summary", args=["trafford"])).content.decode()
    assert "Police recorded crime: Violence with injury, year ending June 2025" in public
    assert "Domestic abuse incidents" not in public  # a partner's contribution is not public

    _newer_release()
    page = client.get(reverse("plans:detail", args=["trafford", plan.pk])).content.decode()
    assert "The evidence has changed since this plan was approved." in page
    assert page.count("Changed since approval") == 1  # the crime figures, not the others
