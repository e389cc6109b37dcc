"""The plan's documents as a council would publish them, read back page by page: the partnership's
identity on them, a layout for their length (a cover and contents only for the long plan), no
page holding only a heading or a lone row, numbers right-aligned with thousands separators,
statuses in words and colour, and the public page agreeing with the public PDF.

PDF rendering is slow: the plan is built and each document rendered once for the module, and
each test asserts many things on it.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.partnerships import demo_logo_png
from partnerships.models import Role, Seat
from partnerships.services import partnership_identity_update
from plans import deadlines
from plans.models import ActionStatus, DocumentKind, PartnershipPlan, PlanSectionKind, Quarter
from plans.selectors.documents import document_for
from plans.services import approval, drafting
from plans.services.documents import plan_document_render
from plans.services.progress import action_progress_report
from tests.factories import PartnershipFactory, member, organisation_in
from tests.pdf import lonely_pages, read_pdf

from .conftest import YEAR, approved_assessment, sign_off_by_every_seat

pytestmark = pytest.mark.django_db

ACTIONS = 14  # enough for the first priority's actions table to run over a page


def _build():
    partnership = PartnershipFactory(name="Trafford", slug="trafford")
    coordinator = member(partnership, Role.COORDINATOR, email="coordinator@trafford.example")
    partnership_identity_update(
        acting_user=coordinator,
        partnership=partnership,
        public_name="Safer Trafford",
        accent_colour="#6f2c91",
        logo=SimpleUploadedFile("logo.png", demo_logo_png(), "image/png"),
    )
    signers = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat, email=f"{seat}@signers.example")
        for seat in Seat.statutory()
    }
    assessment = approved_assessment(partnership, coordinator)
    plan = drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )
    section = plan.sections.get(kind=PlanSectionKind.SUMMARY)
    drafting.plan_section_update(
        acting_user=coordinator,
        section=section,
        revision=section.revision,
        body="Safer streets for everyone.",
    )
    priority = plan.priorities.first()
    police = organisation_in(partnership, Seat.POLICE)
    for number in range(1, ACTIONS + 1):
        action = drafting.plan_action_save(
            acting_user=coordinator,
            priority=priority,
            description=f"Action number {number}: patrol the hotspots of ward {number} with "
            "neighbourhood officers, and meet residents each month to hear what has changed.",
            lead_organisation=police,
            supporting_organisations=[organisation_in(partnership, Seat.LOCAL_AUTHORITY)],
            start_date=date(YEAR, 4, 1),
            due_date=date(YEAR + 1, 3, 31),
            resources="Two officers",
        )
        drafting.measure_save(
            acting_user=coordinator,
            action=action,
            name=f"Incidents in ward {number}",
            unit="incidents",
            baseline=Decimal(12500 + number),
            target=Decimal(10000),
            higher_is_better=False,
        )
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    sign_off_by_every_seat(plan, signers)
    plan = approval.plan_publish(acting_user=coordinator, plan=plan)
    for kind in (DocumentKind.PLAN, DocumentKind.SUMMARY):
        plan_document_render(document_id=document_for(plan=plan, kind=kind).pk)

    # After publication, the police report progress: the first action is now on track. The
    # published summary (page and PDF) still shows it as it was published.
    action = priority.actions.order_by("pk").first()
    officer = member(
        partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="officer@police.example"
    )
    today = date(YEAR, 8, 1)
    original = deadlines.local_today
    deadlines.local_today = lambda: today
    try:
        action_progress_report(
            acting_user=officer,
            action=action,
            quarter=Quarter(YEAR, 1),
            narrative="Patrols started in every ward.",
            status=ActionStatus.ON_TRACK,
            today=today,
        )
    finally:
        deadlines.local_today = original
    plan = PartnershipPlan.objects.get(pk=plan.pk)
    documents = {}
    for kind in (DocumentKind.PLAN, DocumentKind.SUMMARY):
        with document_for(plan=plan, kind=kind).file.open("rb") as handle:
            documents[kind] = handle.read()
    return plan, documents


@pytest.fixture(scope="module")
def built(module_data):
    return module_data.build(_build)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture(scope="module")
def plan_pdf(built):
    return read_pdf(built[1][DocumentKind.PLAN])


@pytest.fixture(scope="module")
def summary_pdf(built):
    return read_pdf(built[1][DocumentKind.SUMMARY])


def test_the_long_plan_has_cover_contents_and_identity_and_no_lonely_page(plan_pdf):
    pdf = plan_pdf
    assert pdf.tagged and pdf.pdfua_part == "1" and pdf.lang == "en"
    assert pdf.title == "Partnership plan 2027 to 2030"
    # A cover with the public name and the logo (embedded, with its alt text), then contents.
    cover = pdf.page_texts[0]
    assert "Safer Trafford" in cover and "Partnership plan 2027 to 2030" in cover
    assert "Page " not in cover
    assert "Safer Trafford logo" in pdf.figure_alt_texts
    assert "Contents" in pdf.page_texts[1]
    assert "Contents" in pdf.outline
    # Every page after the cover is headed with the public name.
    assert all("Safer Trafford · Partnership plan 2027 to 2030" in p for p in pdf.page_texts[1:])
    # The actions table runs over a page; no page holds a heading alone or a lone row.
    assert lonely_pages(pdf) == []
    pages_with_actions = [p for p in pdf.page_texts if "Action number" in p]
    assert len(pages_with_actions) >= 2
    assert all("What will be done, with what resources" in p for p in pages_with_actions)
    body_rows = [counts["TR"] for counts in pdf.page_structure if counts["TR"]]
    assert min(body_rows) >= 2
    # "Action" and "Measure" are two headings, not one word; numbers have thousands separators.
    assert "Action Measure Baseline Target Latest actual Way to target" in pdf.text
    assert "12,501 10,000" in pdf.text
    # Status in words (the colour is the print tag's), and the chart has patterns and alt text.
    assert "Not started" in pdf.text
    assert any(alt.startswith("Bar chart: the number of actions") for alt in pdf.figure_alt_texts)


def test_the_short_summary_has_no_cover_or_contents(summary_pdf, plan_pdf):
    pdf = summary_pdf
    assert pdf.tagged and pdf.pdfua_part == "1" and pdf.lang == "en"
    assert pdf.title == "Partnership plan 2027 to 2030: summary"
    assert "Contents" not in pdf.outline and "Contents" not in pdf.text
    assert pdf.pages < plan_pdf.pages
    first = pdf.page_texts[0]
    # Title block and body share page 1.
    assert "Safer Trafford" in first and "Partnership plan 2027 to 2030: summary" in first
    assert "Safer streets for everyone." in first
    assert "Page 1 of" in first
    assert "Safer Trafford logo" in pdf.figure_alt_texts
    assert lonely_pages(pdf) == []
    assert "12,501 10,000" in pdf.text


def _page_statuses(html: str) -> list[str]:
    """The statuses in the actions tables (not the phase banner's tag)."""
    return re.findall(
        r'<td class="govuk-table__cell">\s*<strong class="govuk-tag[^"]*">([^<]+)</strong>', html
    )


def test_the_public_page_and_its_pdf_show_the_same_frozen_plan(built, summary_pdf):
    plan, _documents = built
    response = Client().get(reverse("plans:public_summary", kwargs={"slug": "trafford"}))
    assert response.status_code == 200
    page = response.text
    published_on = timezone.localtime(plan.published_at).strftime("%-d %B %Y")
    # Both say what they show, in the same words.
    statement = (
        f"This summary shows the plan as it was published on {published_on}, with each "
        "action's status as it stood then. The page and its PDF show the same."
    )
    assert statement in re.sub(r"\s+", " ", page)
    assert statement in summary_pdf.text
    # The action reported on track since publication is "Not started" in both, as published.
    page_statuses = _page_statuses(page)
    assert page_statuses == ["Not started"] * ACTIONS
    assert summary_pdf.text.count("Not started") == ACTIONS
    assert "On track" not in page and "On track" not in summary_pdf.text
    # The same actions and measures, in the same order.
    page_actions = re.findall(r"Action number (\d+):", page)
    pdf_actions = re.findall(r"Action number (\d+):", summary_pdf.text)
    assert page_actions == pdf_actions == [str(n) for n in range(1, ACTIONS + 1)]
    for number in (1, ACTIONS):
        assert f"Incidents in ward {number} (incidents)" in page
        assert f"Incidents in ward {number} (incidents) {12500 + number:,} 10,000" in (
            summary_pdf.text
        )
    # The identity: public name, logo (served safely) and the accent colour, with the nonce.
    assert "Safer Trafford" in page
    assert 'alt="Safer Trafford logo"' in page
    assert "#6f2c91" in page
    logo = Client().get(reverse("plans:public_logo", kwargs={"slug": "trafford"}))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(logo.streaming_content) == plan.partnership.logo.open("rb").read()
    # The member's progress page, by contrast, is live.
    assert plan.actions.order_by("pk").first().status == ActionStatus.ON_TRACK


def test_a_partnership_without_a_published_plan_shows_no_public_logo(built):
    other = PartnershipFactory(name="Salford", slug="salford")
    for slug in ("salford", "nowhere"):
        response = Client().get(reverse("plans:public_logo", kwargs={"slug": slug}))
        assert response.status_code == 404
    assert other.pk
