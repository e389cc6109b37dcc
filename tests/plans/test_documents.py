"""The partnership plan's PDF: made by the Celery task (eager here), read back, cached per state
of a version, and downloaded only by those who may see that version."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from plans import documents as plan_documents
from plans.bilingual import section_kinds
from plans.models import (
    DocumentKind,
    DocumentStatus,
    MeasureActual,
    PlanDocument,
    PlanSectionKind,
    PlanStatus,
)
from plans.selectors.documents import document_for
from plans.services import approval, drafting
from plans.services import documents as document_services
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member
from tests.pdf import read_pdf
from tests.shared_world import (  # noqa: F401 (fixtures)
    assessment,
    coordinator,
    media_root,
    partnership,
    signers,
)

from .conftest import YEAR, shared_world, sign_off_by_every_seat, worker_makes

pytestmark = pytest.mark.django_db

PROTOCOL = "Greater Trafford Information Sharing Protocol 2026"


@pytest.fixture(scope="module")
def world(module_data):
    """The partnership, its people and the approved assessment, made once (tests/plans/conftest.py's
    ``shared_world``); each test still makes its own plan on them."""
    return module_data.build(lambda: shared_world())


def url(name, plan, kind=DocumentKind.PLAN, partnership=None):
    return reverse(
        f"plans:{name}",
        kwargs={
            "partnership_slug": (partnership or plan.partnership).slug,
            "plan_id": plan.pk,
            "kind": kind,
        },
    )


def write(plan, coordinator, kind, body, **protocol):
    section = plan.sections.get(kind=kind)
    return drafting.plan_section_update(
        acting_user=coordinator, section=section, revision=section.revision, body=body, **protocol
    )


@pytest.fixture
def written_plan(plan_with_action, coordinator, pcc_priorities):
    """A draft with every section written, the information sharing protocol recorded, the
    priority's objectives and police and crime plan priorities, and a quarter's actual."""
    plan = plan_with_action
    for kind in section_kinds(plan.partnership):
        write(plan, coordinator, kind, f"Our **{kind.replace('_', ' ')}** text.")
    write(
        plan,
        coordinator,
        PlanSectionKind.INFORMATION_SHARING,
        "Partners share under the protocol.",
        protocol_title=PROTOCOL,
        protocol_signatories="Trafford Council\nGreater Manchester Police",
        protocol_review_date=date(YEAR + 1, 6, 30),
    )
    priority = plan.priorities.first()  # the one with the action
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=plan,
        priority=priority,
        theme=priority.theme,
        rationale="Residents' first concern in the survey.",
        objectives="- Fewer repeat callers\n- Safer town centre evenings",
        pcc_priorities=pcc_priorities[:2],
    )
    # No service records actuals yet (progress reporting comes with its own issue).
    MeasureActual.objects.create(
        measure=priority.actions.get().measures.get(), year_start=YEAR, quarter=1, value=380
    )
    return plan


def make_pdf(client, plan, django_capture_on_commit_callbacks, kind=DocumentKind.PLAN):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("plan_document", plan, kind))
    assert response.status_code == 302
    assert response["Location"] == url("plan_document", plan, kind)
    return response


def broken(plan, kind):
    raise ValueError("no fonts")


def test_a_coordinator_makes_the_published_plan_pdf_and_reads_it_back(
    written_plan, coordinator, signers, django_capture_on_commit_callbacks, monkeypatch
):
    approval.plan_open_consultation(acting_user=coordinator, plan=written_plan)
    plan = sign_off_by_every_seat(written_plan, signers)
    plan = approval.plan_publish(acting_user=coordinator, plan=plan)
    # Publication queued the PDF; a coordinator makes it only when that render failed.
    with monkeypatch.context() as patch:
        patch.setattr(document_services, "render_document", broken)
        worker_makes(plan)
    client = signed_in(coordinator)

    page = client.get(url("plan_document", plan))
    assert page.status_code == 200
    assert "Failed" in page.text and "Try again" in page.text
    assert 'http-equiv="refresh"' not in page.text

    make_pdf(client, plan, django_capture_on_commit_callbacks)

    document = PlanDocument.objects.get(kind=DocumentKind.PLAN)
    plan.refresh_from_db()
    assert (document.status, document.content_revision) == (
        DocumentStatus.READY,
        plan.content_revision,
    )
    assert document.pages > 3 and document.size > 10_000
    assert document.file.name.startswith("plans/")
    page = client.get(url("plan_document", plan))
    assert "Ready" in page.text
    assert "download the partnership plan (PDF, " in page.text
    assert f"{document.pages} pages)" in page.text
    assert 'http-equiv="refresh"' not in page.text

    response = client.get(url("plan_document_download", plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "trafford-partnership-plan-2027-to-2030-v1.pdf" in response["Content-Disposition"]
    pdf = read_pdf(response.content)
    assert pdf.tagged
    assert pdf.lang == "en"
    assert pdf.pdfua_part == "1"
    assert pdf.title == "Partnership plan 2027 to 2030"
    assert pdf.author == "Trafford"
    for heading in (
        "Summary",
        "Priorities at a glance",
        "Priority 1: Violence against women, domestic abuse and sexual violence",
        "Priority 2: Anti-social behaviour and disorder",
        "Reducing reoffending strategy",
        "Serious violence strategy",
        "How information sharing is implemented",
        "How the police and crime plan was taken into account",
        "How partner resources are allocated",
        "Governance and sign-off",
    ):
        assert heading in pdf.outline
    assert "Contents" in pdf.page_texts[1]
    text = pdf.text
    assert "Version 1" in pdf.page_texts[0]
    approved_on = timezone.localtime(plan.approved_at).strftime("%-d %B %Y")
    assert f"Approved on {approved_on}" in pdf.page_texts[0]
    assert "Our summary text." in text and "**" not in text
    # The action: what, lead, supporting organisation, resources; its measure and actual.
    assert "Patrol hotspots" in text
    assert "Trafford Police" in text and "Trafford Local authority" in text
    assert "Two officers" in text
    # Its measure: baseline, target, latest actual, and 400 -> 380 is 25% of the way to 320.
    assert "Incidents reported (incidents, lower is better) 400 320 380 (2027/28 Q1) 25%" in text
    assert "Incidents reported – 25% of the way" in text  # the chart's label
    assert "Keeping people safe" in text and "Reducing harm" in text
    assert PROTOCOL in text and "30 June 2028" in text
    for signer in signers.values():
        assert signer.full_name in text
    assert "DRAFT" not in text
    assert {"Table", "TH", "TD", "Figure", "Caption"} <= pdf.structure_types
    assert len(pdf.figure_alt_texts) == 2  # actions by status; the priority's measures
    assert all(alt.startswith("Bar chart: ") for alt in pdf.figure_alt_texts)
    assert f"Page {pdf.pages} of {pdf.pages}" in pdf.page_texts[-1]


def test_a_draft_pdf_is_marked_draft_on_every_page_and_its_markdown_is_cleaned(
    plan_with_action, coordinator, django_capture_on_commit_callbacks
):
    write(
        plan_with_action,
        coordinator,
        PlanSectionKind.SUMMARY,
        "Safer streets.\n\n<script>alert('x')</script><img src=x onerror=alert(1)>",
    )
    client = signed_in(coordinator)
    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks)

    pdf = read_pdf(client.get(url("plan_document_download", plan_with_action)).content)
    assert pdf.tagged
    assert all("DRAFT" in page for page in pdf.page_texts)
    assert "Draft: not approved" in pdf.page_texts[0]
    assert "Safer streets." in pdf.text
    assert "alert" not in pdf.text and "script" not in pdf.text
    assert "Not signed off yet" in pdf.text


def test_a_second_request_for_the_same_revision_reuses_the_document(
    plan_with_action, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    renders = []
    render = plan_documents.render_document
    monkeypatch.setattr(
        document_services,
        "render_document",
        lambda plan, kind: renders.append(kind) or render(plan, kind),
    )
    client = signed_in(coordinator)
    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks)
    first = PlanDocument.objects.get()

    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks)
    make_pdf(
        signed_in(member(plan_with_action.partnership, Role.STRATEGY_MEMBER)),
        plan_with_action,
        django_capture_on_commit_callbacks,
    )

    again = PlanDocument.objects.get()
    assert renders == [DocumentKind.PLAN]
    assert (again.pk, again.file.name, again.finished_at) == (
        first.pk,
        first.file.name,
        first.finished_at,
    )


def test_an_edit_makes_the_next_request_render_afresh(
    plan_with_action, coordinator, django_capture_on_commit_callbacks
):
    client = signed_in(coordinator)
    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks)
    write(plan_with_action, coordinator, PlanSectionKind.SUMMARY, "A newer summary.")

    page = client.get(url("plan_document", plan_with_action))
    assert "The plan has changed since its PDF was last made." in page.text
    assert client.get(url("plan_document_download", plan_with_action))["Location"] == url(
        "plan_document", plan_with_action
    )

    first = PlanDocument.objects.get()
    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks)
    second = PlanDocument.objects.get()  # the render of the earlier state is gone, file and all
    assert second.content_revision > first.content_revision
    assert second.status == DocumentStatus.READY
    assert not first.file.storage.exists(first.file.name)
    assert second.file.storage.exists(second.file.name)
    pdf = read_pdf(client.get(url("plan_document_download", plan_with_action)).content)
    assert "A newer summary." in pdf.text


def test_a_document_made_before_approval_is_made_again_without_the_draft_marking(
    plan_with_action, coordinator, signers, django_capture_on_commit_callbacks
):
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    client = signed_in(coordinator)
    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks)
    assert (
        "DRAFT"
        in read_pdf(client.get(url("plan_document_download", plan_with_action)).content).text
    )

    # The last sign-off approves it and queues its PDF; until the worker has made that, the draft
    # PDF is not served.
    with django_capture_on_commit_callbacks() as committed:
        plan = sign_off_by_every_seat(plan_with_action, signers)
    assert "Waiting to start" in client.get(url("plan_document", plan)).text
    assert client.get(url("plan_document_download", plan))["Location"] == url("plan_document", plan)
    for callback in committed:
        callback()

    document = PlanDocument.objects.get()  # the render of the draft is gone
    assert document.status == DocumentStatus.READY
    pdf = read_pdf(client.get(url("plan_document_download", plan)).content)
    assert "DRAFT" not in pdf.text
    assert signers[Seat.HEALTH].full_name in pdf.text


def test_a_failed_render_says_so_and_can_be_tried_again(
    plan_with_action, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(document_services, "render_document", broken)
    client = signed_in(coordinator)
    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks)

    document = PlanDocument.objects.get()
    assert document.status == DocumentStatus.FAILED
    assert document.error == "ValueError: no fonts"
    page = client.get(url("plan_document", plan_with_action))
    assert "Failed" in page.text and "Try again" in page.text
    assert "no fonts" not in page.text
    status = client.get(url("plan_document_status", plan_with_action)).json()
    assert (status["status"], status["pending"]) == ("failed", False)

    monkeypatch.undo()
    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.error == ""


def test_the_status_json_follows_the_document(plan_with_action, coordinator, monkeypatch):
    # Queued but not yet picked up by a worker.
    monkeypatch.setattr(
        document_services.render_plan_document, "apply_async", lambda *args, **kwargs: None
    )
    client = signed_in(coordinator)
    client.post(url("plan_document", plan_with_action))
    document = PlanDocument.objects.get()
    assert document.status == DocumentStatus.QUEUED

    response = client.get(url("plan_document_status", plan_with_action))
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["status"] == "queued" and response.json()["pending"] is True
    assert "Waiting to start" in response.json()["html"]
    page = client.get(url("plan_document", plan_with_action))
    assert "Waiting to start" in page.text and "Check again" in page.text
    assert 'http-equiv="refresh"' not in page.text  # refreshing is the visitor's choice
    page = client.get(url("plan_document", plan_with_action) + "?refresh=on")
    assert '<meta http-equiv="refresh" content="3">' in page.text

    document_services.plan_document_render(document_id=document.pk)
    status = client.get(url("plan_document_status", plan_with_action)).json()
    assert (status["status"], status["pending"]) == ("ready", False)
    assert "download the partnership plan (PDF, " in status["html"]
    page = client.get(url("plan_document", plan_with_action) + "?refresh=on")
    assert 'http-equiv="refresh"' not in page.text


def test_scrutiny_downloads_the_published_plan_but_not_a_draft(
    published_plan, plan_with_action, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    councillor = member(published_plan.partnership, Role.SCRUTINY)
    client = signed_in(councillor)
    with monkeypatch.context() as patch:  # the render publication queued failed
        patch.setattr(document_services, "render_document", broken)
        worker_makes(published_plan)
    # Scrutiny writes nothing, not even a render request to try again: the page says so, with
    # no button.
    page = client.get(url("plan_document", published_plan))
    assert 'data-testid="document-not-yours"' in page.text and "<form" not in page.text
    count = PlanDocument.objects.count()
    assert client.post(url("plan_document", published_plan)).status_code == 404
    assert PlanDocument.objects.count() == count
    make_pdf(signed_in(coordinator), published_plan, django_capture_on_commit_callbacks)
    response = client.get(url("plan_document_download", published_plan))
    assert response.status_code == 200
    assert read_pdf(response.content).title == "Partnership plan 2027 to 2030"

    draft = drafting.plan_refresh(
        acting_user=coordinator, plan=published_plan, assessment=published_plan.assessment
    )
    make_pdf(signed_in(coordinator), draft, django_capture_on_commit_callbacks)
    for name in ("plan_document", "plan_document_download", "plan_document_status"):
        assert client.get(url(name, draft)).status_code == 404
    count = PlanDocument.objects.count()
    assert client.post(url("plan_document", draft)).status_code == 404
    assert PlanDocument.objects.count() == count


@pytest.fixture
def issued_plan(plan_with_action, coordinator, signers, django_capture_on_commit_callbacks):
    """A published plan whose publication has committed and whose queued renders have run."""
    approval.plan_open_consultation(acting_user=coordinator, plan=plan_with_action)
    plan = sign_off_by_every_seat(plan_with_action, signers)
    with django_capture_on_commit_callbacks(execute=True):
        return approval.plan_publish(acting_user=coordinator, plan=plan)


def test_publishing_makes_the_plan_pdf_and_the_summary_pdf_without_anyone_asking(issued_plan):
    for kind, title in (
        (DocumentKind.PLAN, "Partnership plan 2027 to 2030"),
        (DocumentKind.SUMMARY, "Partnership plan 2027 to 2030: summary"),
    ):
        document = document_for(plan=issued_plan, kind=kind)
        assert document.status == DocumentStatus.READY, document.error
        with document.file.open("rb") as file:
            pdf = read_pdf(file.read())
        assert pdf.title == title
        assert "Version 1" in pdf.page_texts[0]
        assert "DRAFT" not in pdf.text
    # Nobody asked: no one is recorded as having asked.
    assert not AuditEvent.objects.filter(action="plan.document_request").exists()


def test_scrutiny_downloads_the_published_plan_pdf_that_nobody_asked_for(issued_plan):
    client = signed_in(member(issued_plan.partnership, Role.SCRUTINY))

    page = client.get(url("plan_document", issued_plan))
    assert "Ready" in page.text
    assert 'data-testid="document-not-yours"' not in page.text and "<form" not in page.text
    response = client.get(url("plan_document_download", issued_plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = read_pdf(response.content)
    assert pdf.title == "Partnership plan 2027 to 2030"
    assert "Version 1" in pdf.page_texts[0]
    assert not AuditEvent.objects.filter(action="plan.document_request").exists()


def test_the_last_sign_off_queues_the_approved_versions_plan_pdf(
    plan_with_action, coordinator, signers, django_capture_on_commit_callbacks
):
    plan = plan_with_action
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)

    def sign_off(user):
        membership = membership_for(user=user, partnership_slug=plan.partnership.slug)
        approval.plan_sign_off(acting_user=user, membership=membership, plan=plan)

    *others, last = signers.values()
    for user in others:
        sign_off(user)
    assert not PlanDocument.objects.exists()

    with django_capture_on_commit_callbacks() as committed:
        sign_off(last)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    document = PlanDocument.objects.get()
    assert (document.kind, document.status, document.content_revision) == (
        DocumentKind.PLAN,
        DocumentStatus.QUEUED,
        plan.content_revision,
    )
    assert not AuditEvent.objects.filter(action="plan.document_request").exists()

    for callback in committed:  # the worker makes it once the approval has committed
        callback()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    with document.file.open("rb") as file:
        pdf = read_pdf(file.read())
    assert "DRAFT" not in pdf.text and "Version 1" in pdf.page_texts[0]


def test_a_member_of_another_partnership_gets_404(published_plan):
    worker_makes(published_plan)
    count = PlanDocument.objects.count()
    other = PartnershipFactory(name="Cardiff", slug="cardiff")
    stranger = signed_in(member(other, Role.COORDINATOR))
    for name in ("plan_document", "plan_document_download", "plan_document_status"):
        assert stranger.get(url(name, published_plan)).status_code == 404
        assert stranger.get(url(name, published_plan, partnership=other)).status_code == 404
    assert stranger.post(url("plan_document", published_plan, partnership=other)).status_code == 404
    assert PlanDocument.objects.count() == count


def test_an_unknown_kind_is_not_found(published_plan, coordinator):
    client = signed_in(coordinator)
    assert client.get(url("plan_document", published_plan, kind="changes")).status_code == 404


def test_the_benchmark_reports_its_ratio_and_leaves_nothing_behind(capsys):
    from django.core.management import call_command

    from plans.models import PartnershipPlan

    call_command("benchmark_plans", repeat=1, priorities=2, actions=2, paragraphs=1)

    out = capsys.readouterr().out
    assert "ratio ours / plain prose:" in out
    assert "ratio ours / baseline (same content):" in out
    assert re.search(r"\((within|over) the 1\.3x target\)", out)
    assert "2 priorities, 4 actions" in out
    assert not PartnershipPlan.objects.exists()
    assert not PlanDocument.objects.exists()


def test_a_member_makes_the_summary_of_a_draft_marked_draft(
    plan_with_action, coordinator, django_capture_on_commit_callbacks
):
    client = signed_in(coordinator)
    make_pdf(client, plan_with_action, django_capture_on_commit_callbacks, DocumentKind.SUMMARY)
    pdf = read_pdf(
        client.get(url("plan_document_download", plan_with_action, DocumentKind.SUMMARY)).content
    )
    assert pdf.title == "Partnership plan 2027 to 2030: summary"
    assert all("DRAFT" in page for page in pdf.page_texts)
    assert PlanDocument.objects.get().kind == DocumentKind.SUMMARY


def test_a_lost_database_is_retried_and_used_up_retries_mark_the_document_failed(
    plan_with_action, coordinator, monkeypatch
):
    from django.db import OperationalError

    from plans.tasks import render_plan_document

    assert OperationalError in render_plan_document.autoretry_for
    assert render_plan_document.acks_late
    monkeypatch.setattr(render_plan_document, "apply_async", lambda *args, **kwargs: None)
    document = document_services.plan_document_request(
        acting_user=coordinator, plan=plan_with_action, kind=DocumentKind.PLAN
    )

    def unreachable(plan, kind):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(document_services, "render_document", unreachable)
    with pytest.raises(OperationalError):  # for Celery to retry
        document_services.plan_document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.RENDERING

    # Retries used up: the worker calls on_failure, and the page says it failed.
    render_plan_document.on_failure(
        OperationalError("still closed"), "task-id", (document.pk,), {}, None
    )
    document.refresh_from_db()
    assert (document.status, document.error) == (
        DocumentStatus.FAILED,
        "OperationalError: still closed",
    )

    # A retry that gets through makes it after all.
    monkeypatch.undo()
    monkeypatch.setattr(render_plan_document, "apply_async", lambda *args, **kwargs: None)
    document_services.plan_document_request(
        acting_user=coordinator, plan=plan_with_action, kind=DocumentKind.PLAN
    )
    assert document_services.plan_document_render(document_id=document.pk).status == "ready"
