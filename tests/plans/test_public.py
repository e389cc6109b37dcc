"""The published summary, for anyone, signed in or not: only the published version, ever."""

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import (
    DocumentKind,
    DocumentStatus,
    PartnershipPlan,
    PlanDocument,
    PlanSectionKind,
    PlanStatus,
)
from plans.services import approval, drafting
from plans.services import documents as document_services
from tests.conftest import signed_in
from tests.factories import PartnershipFactory
from tests.pdf import read_pdf
from tests.shared_world import (  # noqa: F401 (fixtures)
    assessment,
    coordinator,
    media_root,
    partnership,
    signers,
)

from .conftest import (
    YEAR,
    approved_assessment,
    shared_world,
    sign_off_by_every_seat,
    worker_makes,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = "Knife crime in the town centre after dark"


@pytest.fixture(scope="module")
def world(module_data):
    """The partnership, its people and the approved assessment, made once (tests/plans/conftest.py's
    ``shared_world``); each test still makes its own plan on them."""
    return module_data.build(lambda: shared_world())


def summary_url(partnership):
    return reverse("plans:public_summary", kwargs={"slug": partnership.slug})


def pdf_url(partnership):
    return reverse("plans:public_summary_pdf", kwargs={"slug": partnership.slug})


def get_pdf(client, partnership, capture):
    """The public PDF. Publication queued it; while the worker has not made it the visitor is
    told so, the worker makes it (here, by hand), and the visitor asks again."""
    with capture(execute=True):
        response = client.get(pdf_url(partnership))
    if response.status_code == 202:
        assert "The document is being prepared" in response.text
        worker_makes(
            PartnershipPlan.objects.get(partnership=partnership, status=PlanStatus.PUBLISHED),
            DocumentKind.SUMMARY,
        )
        response = client.get(pdf_url(partnership))
    return response


def write(plan, coordinator, kind, body):
    section = plan.sections.get(kind=kind)
    drafting.plan_section_update(
        acting_user=coordinator, section=section, revision=section.revision, body=body
    )


@pytest.fixture
def published(plan_with_action, coordinator, signers, pcc_priorities):
    write(plan_with_action, coordinator, PlanSectionKind.SUMMARY, "Safer streets for everyone.")
    write(plan_with_action, coordinator, PlanSectionKind.RESOURCES, "A pooled fund of £90,000.")
    priority = plan_with_action.priorities.first()
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=plan_with_action,
        priority=priority,
        theme=priority.theme,
        rationale="Rationale stays in the full plan.",
        objectives="Halve repeat victimisation.",
        pcc_priorities=pcc_priorities[:1],
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    sign_off_by_every_seat(plan_with_action, signers)
    return approval.plan_publish(acting_user=coordinator, plan=plan_with_action)


def test_anyone_reads_the_published_summary(
    client, published, signers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(summary_url(published.partnership))

    assert response.status_code == 200
    page = response.text
    assert "Partnership plan 2027 to 2030: summary" in page
    assert "Safer streets for everyone." in page
    assert "Priority 1: Violence against women, domestic abuse and sexual violence" in page
    assert "Halve repeat victimisation." in page
    # Each action: what, lead, due, status.
    assert "Patrol hotspots" in page and "Trafford Police" in page
    assert "31 March 2028" in page and "Not started" in page
    # Each measure with its target.
    assert "Incidents reported (incidents)" in page and "320" in page
    assert timezone.localtime(published.approved_at).strftime("%-d %B %Y") in page
    assert timezone.localtime(published.published_at).strftime("%-d %B %Y") in page
    # Seats and organisations, never the people who signed.
    assert "Trafford Health" in page
    for signer in signers.values():
        assert signer.full_name not in page
    # Nothing else of the full plan.
    for private in ("Rationale stays", "£90,000", "Two officers", "Keeping people safe"):
        assert private not in page
    # Publication queued the PDF; while it is made the link is there, once made it says what
    # it is.
    assert PlanDocument.objects.get(kind=DocumentKind.SUMMARY).status == DocumentStatus.QUEUED
    assert "Download this summary (PDF)" in page
    worker_makes(published, DocumentKind.SUMMARY)
    page = client.get(summary_url(published.partnership)).text
    assert "Download this summary (PDF, " in page and " pages)" in page


def test_only_the_published_version_is_public_while_the_next_is_written(
    client, published, coordinator, signers, django_capture_on_commit_callbacks
):
    assessment = approved_assessment(published.partnership, coordinator, year=YEAR + 1)
    refresh = drafting.plan_refresh(acting_user=coordinator, plan=published, assessment=assessment)
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=refresh,
        theme="serious_violence",
        rationale=UNPUBLISHED,
        objectives=UNPUBLISHED,
    )
    write(refresh, coordinator, PlanSectionKind.SUMMARY, f"{UNPUBLISHED}: the new summary.")

    def public_text():
        with django_capture_on_commit_callbacks(execute=True):
            page = client.get(summary_url(published.partnership))
        document = get_pdf(client, published.partnership, django_capture_on_commit_callbacks)
        assert page.status_code == document.status_code == 200
        return page.text, read_pdf(document.content).text

    for _stage in ("draft", "consultation", "approved"):
        page, pdf = public_text()
        assert UNPUBLISHED not in page and UNPUBLISHED not in pdf
        assert "Safer streets for everyone." in page and "Safer streets for everyone." in pdf
        assert 'Version</dt><dd class="govuk-summary-list__value">1<' in page.replace("\n", "")
        if refresh.status == "draft":
            approval.plan_open_consultation(acting_user=coordinator, plan=refresh)
        elif refresh.status == "consultation":
            refresh = sign_off_by_every_seat(refresh, signers)
        refresh.refresh_from_db()
    assert refresh.status == "approved"

    approval.plan_publish(acting_user=coordinator, plan=refresh)
    page, pdf = public_text()
    assert f"{UNPUBLISHED}: the new summary." in page
    assert f"{UNPUBLISHED}: the new summary." in pdf


def test_no_published_plan_and_no_partnership_answer_the_same_404(client, plan_with_action):
    unpublished = client.get(summary_url(plan_with_action.partnership))
    unknown = client.get(reverse("plans:public_summary", kwargs={"slug": "nowhere"}))
    assert unpublished.status_code == unknown.status_code == 404
    assert unpublished.content == unknown.content
    for slug in (plan_with_action.partnership.slug, "nowhere"):
        response = client.get(reverse("plans:public_summary_pdf", kwargs={"slug": slug}))
        assert response.status_code == 404
        assert response.content == unknown.content
    assert not PlanDocument.objects.exists()


def test_the_summary_pdf_read_back(client, published, signers, django_capture_on_commit_callbacks):
    response = get_pdf(client, published.partnership, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "public, max-age=300"
    pdf = read_pdf(response.content)
    assert pdf.tagged and pdf.lang == "en"
    assert pdf.title == "Partnership plan 2027 to 2030: summary"
    assert pdf.author == "Trafford"
    assert "Summary" in pdf.outline and "Approval" in pdf.outline
    assert "Priority 1: Violence against women, domestic abuse and sexual violence" in pdf.outline
    assert "Version 1" in pdf.page_texts[0]
    assert (
        f"Published on {timezone.localtime(published.published_at).strftime('%-d %B %Y')}"
        in pdf.page_texts[0]
    )
    assert "Patrol hotspots" in pdf.text and "Trafford Police" in pdf.text
    assert "Incidents reported (incidents) 400 320" in pdf.text
    assert "Trafford Health" in pdf.text
    for signer in signers.values():
        assert signer.full_name not in pdf.text
    assert "DRAFT" not in pdf.text and "Two officers" not in pdf.text

    # Made once: the next visitor gets the same file.
    document = PlanDocument.objects.get(kind=DocumentKind.SUMMARY)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(pdf_url(published.partnership)).content == response.content
    assert PlanDocument.objects.get(kind=DocumentKind.SUMMARY).finished_at == document.finished_at


def test_the_summary_pdf_is_private_to_someone_signed_in(
    published, coordinator, signers, django_capture_on_commit_callbacks
):
    """The same file, but their response carries their session cookie: no cache may keep it."""
    response = get_pdf(
        signed_in(coordinator), published.partnership, django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_while_the_pdf_is_made_the_visitor_is_told_and_may_choose_to_wait(
    client, published, monkeypatch
):
    monkeypatch.setattr(
        document_services.render_plan_document, "apply_async", lambda *args, **kwargs: None
    )
    response = client.get(pdf_url(published.partnership))
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert "The document is being prepared" in response.text
    assert 'http-equiv="refresh"' not in response.text
    waiting = client.get(pdf_url(published.partnership) + "?refresh=on")
    assert '<meta http-equiv="refresh" content="3">' in waiting.text
    assert PlanDocument.objects.get(kind=DocumentKind.SUMMARY).status == DocumentStatus.QUEUED

    worker_makes(published, DocumentKind.SUMMARY)  # the render publication queued
    response = client.get(pdf_url(published.partnership) + "?refresh=on")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_failed_summary_is_not_rendered_again_for_every_visitor(
    client, published, monkeypatch, django_capture_on_commit_callbacks
):
    renders = []

    def broken(plan, kind):
        renders.append(kind)
        raise ValueError("broken")

    monkeypatch.setattr(document_services, "render_document", broken)
    statuses = []
    for visit in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(client.get(pdf_url(published.partnership)).status_code)
        if visit == 0:
            worker_makes(published, DocumentKind.SUMMARY)  # the render publication queued fails
    assert statuses == [202, 503, 503]
    assert "not available at the moment" in client.get(pdf_url(published.partnership)).text
    assert renders == [DocumentKind.SUMMARY]


def test_markdown_is_shown_sanitised(
    client, plan_with_action, coordinator, signers, django_capture_on_commit_callbacks
):
    write(
        plan_with_action,
        coordinator,
        PlanSectionKind.SUMMARY,
        "**Bold plan**\n\n<script>alert('owned')</script>"
        '<a href="javascript:alert(1)" onclick="alert(2)">link</a> [site](https://example.org)',
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    sign_off_by_every_seat(plan_with_action, signers)
    approval.plan_publish(acting_user=coordinator, plan=plan_with_action)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(summary_url(plan_with_action.partnership)).text
    summary = page[page.index('data-testid="summary-text"') :]
    summary = summary[: summary.index("</section>")]
    assert "<strong>Bold plan</strong>" in summary
    assert "<script" not in summary and "alert(" not in summary
    assert "onclick" not in summary and "javascript:" not in summary
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in summary


def test_the_index_lists_partnerships_with_a_published_plan(client, published):
    PartnershipFactory(name="Cardiff", slug="cardiff")
    page = client.get(reverse("plans:public_index")).text
    assert summary_url(published.partnership) in page
    assert "Cardiff" not in page


def test_the_summary_page_reads_a_fixed_number_of_queries(
    client, published, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.get(summary_url(published.partnership))
    # Partnership, plan, and one query per kind of row it shows (prefetched), whatever their
    # number; then the summary PDF's state, and whether an ASB case review procedure is published.
    with django_assert_max_num_queries(13):
        assert client.get(summary_url(published.partnership)).status_code == 200


def test_the_index_searches_by_name_in_pages(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        found = client.get(reverse("plans:public_index"), {"q": "traff"}).text
    assert summary_url(published.partnership) in found
    assert "1 partnership matches “traff”." in found
    missing = client.get(reverse("plans:public_index"), {"q": "Nowhere"}).text
    assert summary_url(published.partnership) not in missing
    assert "No partnership with a published plan has that in its name." in missing
    second_page = client.get(reverse("plans:public_index"), {"page": "2"}).text
    assert summary_url(published.partnership) in second_page  # past the end: the last page


def test_the_summary_leads_to_the_asb_case_review_procedure_once_published(
    client, published, coordinator
):
    from tests.casereviews.builders import publish_procedure

    procedure_url = reverse("casereviews:public", args=[published.partnership.slug])
    assert procedure_url not in client.get(summary_url(published.partnership)).text
    publish_procedure(published.partnership, coordinator)
    assert procedure_url in client.get(summary_url(published.partnership)).text
