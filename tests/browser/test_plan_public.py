"""The plan's documents in a real browser, JavaScript on and off, axe on every page: anyone reads
the published summary without signing in (and is told when its PDF is still being made), and a
coordinator makes the plan's PDF and sees it become ready."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Role, Seat
from plans.models import DocumentStatus, PlanDocument, PlanSectionKind
from plans.services import approval, drafting
from plans.services import documents as document_services

from ..factories import member
from ..plans.conftest import add_action, approved_assessment, sign_off_by_every_seat
from .conftest import Visitor, assert_accessible

pytestmark = pytest.mark.browser


def _draft(partnership, coordinator):
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    add_action(plan, coordinator)
    section = plan.sections.get(kind=PlanSectionKind.SUMMARY)
    drafting.plan_section_update(
        acting_user=coordinator,
        section=section,
        revision=section.revision,
        body="Safer streets for **everyone**.",
    )
    return plan


def _publish(plan, coordinator) -> dict:
    """Consult, sign off for every statutory seat and publish; returns the signers by seat."""
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    signers = {
        seat: member(plan.partnership, Role.STRATEGY_MEMBER, seat=seat) for seat in Seat.statutory()
    }
    sign_off_by_every_seat(plan, signers)
    approval.plan_publish(acting_user=coordinator, plan=plan)
    return signers


def _pdf_at(visitor: Visitor, href: str) -> bytes:
    """Fetch a PDF link with the visitor's cookies (a headless browser downloads PDFs)."""
    response = visitor.page.request.get(visitor.base_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    return response.body()


def test_anyone_reads_the_published_summary(new_visitor, partnership, coordinator):
    signers = _publish(_draft(partnership, coordinator), coordinator)

    visitor = new_visitor()
    visitor.open("/plans/")
    visitor.click_link("Trafford partnership plan summary")
    assert visitor.heading() == "Partnership plan 2027 to 2030: summary"
    assert visitor.page.get_by_test_id("summary-text").locator("strong").inner_text() == (
        "everyone"
    )
    priority = visitor.page.get_by_test_id("priority-1")
    assert "Patrol hotspots" in priority.inner_text()
    assert "Trafford Police" in priority.inner_text()
    assert priority.get_by_role("table").count() == 2  # actions; measures with targets
    for signer in signers.values():
        assert signer.full_name not in visitor.page.content()

    # Opening the page had the PDF made, so the link already says how big it is.
    link = visitor.page.get_by_test_id("summary-pdf-link")
    assert "(PDF, " in link.inner_text() and "pages)" in link.inner_text()
    assert _pdf_at(visitor, link.get_attribute("href")).startswith(b"%PDF")

    assert visitor.open("/plans/no-such-partnership/") == 404


def test_the_coordinator_makes_the_plan_pdf_and_sees_it_become_ready(
    new_visitor, partnership, coordinator, monkeypatch
):
    plan = _draft(partnership, coordinator)
    queued = []

    class Broker:
        """Holds the task, as a busy broker would, until the test plays the worker."""

        @staticmethod
        def apply_async(args, **options):
            queued.append(args[0])

    monkeypatch.setattr(document_services, "render_plan_document", Broker)

    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.open(f"/p/{partnership.slug}/plans/{plan.pk}/documents/plan/")
    assert visitor.heading() == "Partnership plan (PDF)"
    status = visitor.page.get_by_test_id("document-status")
    assert "No PDF has been made of this version yet." in status.inner_text()
    visitor.click_button("Make the PDF")
    assert "Waiting to start" in status.inner_text()
    check_again = visitor.page.get_by_role("link", name="Check again")
    if visitor.java_script_enabled:
        expect(check_again).to_be_hidden()  # the page checks by itself
    else:
        expect(check_again).to_be_visible()

    # The worker picks it up.
    (document_id,) = queued
    document_services.plan_document_render(document_id=document_id)
    assert PlanDocument.objects.get().status == DocumentStatus.READY

    if visitor.java_script_enabled:
        # The page asks for the status itself and says so in its live region.
        expect(status).to_contain_text("Ready", timeout=15_000)
        assert visitor.page.locator("#plan-document-status").get_attribute("aria-live") == (
            "polite"
        )
        assert_accessible(visitor.page)
    else:
        visitor.click_link("Check again")
        assert "Ready" in status.inner_text()
    link = status.get_by_role("link")
    assert link.inner_text().startswith("download the partnership plan (PDF, ")
    pdf = _pdf_at(visitor, link.get_attribute("href"))
    assert pdf.startswith(b"%PDF")


def test_a_visitor_who_asks_for_the_pdf_before_it_is_made_is_told(
    new_visitor, partnership, coordinator, monkeypatch
):
    queued = []

    class Broker:
        @staticmethod
        def apply_async(args, **options):
            queued.append(args[0])

    # Publication queues the plan's PDFs; no worker has made them yet when the visitor comes.
    monkeypatch.setattr(document_services, "render_plan_document", Broker)
    _publish(_draft(partnership, coordinator), coordinator)

    visitor = new_visitor()
    assert visitor.open(f"/plans/{partnership.slug}/summary.pdf") == 202
    assert visitor.heading() == "The document is being prepared"
    assert visitor.page.locator('meta[http-equiv="refresh"]').count() == 0
    visitor.click_link("Read the summary on this page instead")
    assert visitor.heading() == "Partnership plan 2027 to 2030: summary"

    for document_id in queued:
        document_services.plan_document_render(document_id=document_id)
    link = visitor.page.get_by_test_id("summary-pdf-link")
    assert _pdf_at(visitor, link.get_attribute("href")).startswith(b"%PDF")
