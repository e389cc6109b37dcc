"""A Welsh partnership's plan in Welsh and in English (issue 16): the Welsh entered side by side,
copied with each version, required before sign-off and publication, and published as a page and a
PDF in each language. An English partnership's plan has none of it."""

from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from authorities.models import Nation
from csp_portal.site import site_url
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from plans.bilingual import missing_welsh, welsh_is_missing
from plans.models import (
    DocumentKind,
    DocumentStatus,
    Measure,
    PartnershipPlan,
    PlanAction,
    PlanDocument,
    PlanSection,
    PlanSectionKind,
    PlanStatus,
    SignOff,
)
from plans.selectors.documents import document_for
from plans.selectors.versions import outline
from plans.services import approval, drafting
from plans.services.documents import plan_document_render, plan_document_request
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in
from tests.pdf import read_pdf

from .conftest import YEAR, add_action, approved_assessment, sign_off_by_every_seat, signers_of

pytestmark = pytest.mark.django_db

SUMMARY = ("Safer streets for everyone in Cardiff.", "Strydoedd mwy diogel i bawb yng Nghaerdydd.")
# (No apostrophes: the page escapes them.)
WELLBEING = (
    "The plan serves the objective of the well-being plan: safe, confident communities.",
    "Mae cynllun y bartneriaeth yn cyfrannu at amcan y cynllun llesiant: cymunedau diogel.",
)
OBJECTIVES = ("Halve repeat victimisation.", "Haneru erledigaeth dro ar ôl tro.")
ACTION = ("Patrol the hotspots every night", "Patrolio mannau problemus bob nos")
MEASURE = ("Incidents reported", "Digwyddiadau a adroddwyd")


def write(plan, coordinator, kind, body, body_cy=""):
    section = plan.sections.get(kind=kind)
    return drafting.plan_section_update(
        acting_user=coordinator,
        section=section,
        revision=section.revision,
        body=body,
        body_cy=body_cy,
    )


def bilingual_plan(partnership, coordinator):
    """A draft with every published text in English and in Welsh."""
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    write(plan, coordinator, PlanSectionKind.SUMMARY, *SUMMARY)
    write(plan, coordinator, PlanSectionKind.WELLBEING_PLAN, *WELLBEING)
    write(plan, coordinator, PlanSectionKind.RESOURCES, "A pooled fund.")
    priority = plan.priorities.first()
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=plan,
        priority=priority,
        theme=priority.theme,
        rationale=priority.rationale,
        objectives=OBJECTIVES[0],
        objectives_cy=OBJECTIVES[1],
    )
    action = drafting.plan_action_save(
        acting_user=coordinator,
        priority=priority,
        description=ACTION[0],
        description_cy=ACTION[1],
        lead_organisation=organisation_in(partnership, Seat.POLICE),
        start_date=date(YEAR, 4, 1),
        due_date=date(YEAR + 1, 3, 31),
    )
    drafting.measure_save(
        acting_user=coordinator,
        action=action,
        name=MEASURE[0],
        name_cy=MEASURE[1],
        unit="incidents",
        baseline=Decimal(400),
        target=Decimal(320),
        higher_is_better=False,
    )
    return plan


def _build():
    cardiff = PartnershipFactory(
        name="Cardiff", slug="cardiff", nation=Nation.WALES, ons_code="W14000015"
    )
    coordinator = member(cardiff, Role.COORDINATOR, email="coordinator@cardiff.example")
    signers = signers_of(cardiff)
    plan = bilingual_plan(cardiff, coordinator)
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    sign_off_by_every_seat(plan, signers)
    plan = approval.plan_publish(acting_user=coordinator, plan=plan)
    # The worker makes the summary in each language that publication queued.
    for document in PlanDocument.objects.filter(plan=plan, kind=DocumentKind.SUMMARY):
        plan_document_render(document_id=document.pk)
    trafford = PartnershipFactory(name="Trafford", slug="trafford")
    trafford_coordinator = member(trafford, Role.COORDINATOR, email="coordinator@trafford.example")
    english = drafting.plan_start(
        acting_user=trafford_coordinator,
        partnership=trafford,
        assessment=approved_assessment(trafford, trafford_coordinator),
    )
    add_action(english, trafford_coordinator)
    return {
        "cardiff": cardiff,
        "coordinator": coordinator,
        "signers": signers,
        "published": plan,
        "trafford": trafford,
        "trafford_coordinator": trafford_coordinator,
        "english": english,
    }


@pytest.fixture(scope="module")
def world(module_data):
    return module_data.build(_build)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def refresh(world):
    """The annual refresh of Cardiff's published plan, in draft."""
    published = world["published"]
    return drafting.plan_refresh(
        acting_user=world["coordinator"], plan=published, assessment=published.assessment
    )


# Services ------------------------------------------------------------------------------------


def test_the_refresh_copies_the_welsh(refresh):
    sections = {section.kind: section for section in refresh.sections.all()}
    assert (sections["summary"].body, sections["summary"].body_cy) == SUMMARY
    assert (sections["wellbeing_plan"].body, sections["wellbeing_plan"].body_cy) == WELLBEING
    priority = refresh.priorities.first()
    assert (priority.objectives, priority.objectives_cy) == OBJECTIVES
    action = priority.actions.get()
    assert (action.description, action.description_cy) == ACTION
    measure = action.measures.get()
    assert (measure.name, measure.name_cy) == MEASURE
    assert missing_welsh(refresh) == []


def _state(plan):
    return (
        PartnershipPlan.objects.get(pk=plan.pk).status,
        SignOff.objects.filter(plan=plan).count(),
        AuditEvent.objects.count(),
    )


def test_sign_off_waits_for_the_welsh_and_changes_nothing(world, refresh):
    coordinator, signers = world["coordinator"], world["signers"]
    action = refresh.actions.get()
    drafting.plan_action_save(
        acting_user=coordinator,
        priority=action.priority,
        action=action,
        description=action.description,
        description_cy="",
        lead_organisation=action.lead_organisation,
        start_date=action.start_date,
        due_date=action.due_date,
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=refresh)
    missing = missing_welsh(refresh)
    assert [item.what for item in missing] == [f"Action “{ACTION[0]}”"]
    assert missing[0].url == reverse("plans:action_edit", args=["cardiff", refresh.pk, action.pk])

    signer = signers[Seat.POLICE]
    before = _state(refresh)
    with pytest.raises(ValidationError, match="no Welsh yet"):
        approval.plan_sign_off(
            acting_user=signer,
            membership=membership_for(user=signer, partnership_slug="cardiff"),
            plan=refresh,
        )
    assert _state(refresh) == before

    # Once the Welsh is in, sign-off approves it and it can be published.
    action.refresh_from_db()
    drafting.plan_action_save(
        acting_user=coordinator,
        priority=action.priority,
        action=action,
        description=action.description,
        description_cy="Patrolio bob nos",
        lead_organisation=action.lead_organisation,
        start_date=action.start_date,
        due_date=action.due_date,
    )
    plan = sign_off_by_every_seat(refresh, signers)
    assert plan.status == PlanStatus.APPROVED
    plan = approval.plan_publish(acting_user=coordinator, plan=plan)
    assert plan.published_summary["languages"] == ["en", "cy"]
    assert plan.published_summary["priorities"][0]["actions"][0]["description_cy"] == (
        "Patrolio bob nos"
    )
    # The summary is queued in both languages, each its own document.
    assert set(
        PlanDocument.objects.filter(plan=plan, kind=DocumentKind.SUMMARY).values_list(
            "language", flat=True
        )
    ) == {"en", "cy"}


def test_publication_is_refused_in_the_service_when_the_welsh_is_missing(world, refresh):
    """Even an approved version (frozen, so its Welsh cannot go missing through the forms) is
    checked again when it is published: refused, and nothing changed."""
    coordinator = world["coordinator"]
    approval.plan_open_consultation(acting_user=coordinator, plan=refresh)
    plan = sign_off_by_every_seat(refresh, world["signers"])
    Measure.objects.filter(action__plan=plan).update(name_cy="")
    before = _state(plan), _state(world["published"])
    with pytest.raises(ValidationError, match="no Welsh yet"):
        approval.plan_publish(acting_user=coordinator, plan=plan)
    assert (_state(plan), _state(world["published"])) == before
    assert PartnershipPlan.objects.get(pk=plan.pk).published_summary is None


def test_an_english_partnership_keeps_no_welsh(world):
    plan, coordinator = world["english"], world["trafford_coordinator"]
    assert not plan.sections.filter(kind=PlanSectionKind.WELLBEING_PLAN).exists()
    section = write(plan, coordinator, PlanSectionKind.SUMMARY, "Safer Trafford.", "Testun")
    assert (section.body, section.body_cy) == ("Safer Trafford.", "")
    with CaptureQueriesContext(connection) as captured:
        assert not welsh_is_missing(plan)
        assert missing_welsh(plan) == []
    assert len(captured) == 0


def test_the_missing_welsh_list_reads_in_a_fixed_number_of_queries(world, refresh):
    coordinator = world["coordinator"]

    def counted():
        with CaptureQueriesContext(connection) as captured:
            missing = missing_welsh(refresh)
        return len(missing), len(captured)

    PlanAction.objects.filter(plan=refresh).update(description_cy="")
    one = counted()
    priority = refresh.priorities.first()
    for number in range(3):
        add_action(refresh, coordinator, description=f"Action {number}", priority=priority)
    many = counted()
    assert (one[0], many[0]) == (1, 7)  # each action, and the measure each new one has
    assert one[1] == many[1] <= 4


# Pages ---------------------------------------------------------------------------------------


def section_url(plan, kind):
    return reverse("plans:section_edit", args=[plan.partnership.slug, plan.pk, kind])


def test_the_welsh_is_entered_beside_the_english(world, refresh):
    client = signed_in(world["coordinator"])
    page = client.get(section_url(refresh, PlanSectionKind.SUMMARY)).text
    assert 'class="govuk-grid-row app-bilingual"' in page
    assert 'name="body_cy"' in page and 'lang="cy"' in page
    assert SUMMARY[1] in page

    section = refresh.sections.get(kind=PlanSectionKind.SUMMARY)
    response = client.post(
        section_url(refresh, PlanSectionKind.SUMMARY),
        {"revision": section.revision, "body": SUMMARY[0], "body_cy": "Caerdydd fwy diogel."},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.body, section.body_cy) == (SUMMARY[0], "Caerdydd fwy diogel.")


def test_the_plan_page_lists_the_missing_welsh_with_links(world, refresh):
    refresh.sections.filter(kind=PlanSectionKind.WELLBEING_PLAN).update(body_cy="")
    page = (
        signed_in(world["coordinator"])
        .get(reverse("plans:detail", args=["cardiff", refresh.pk]))
        .text
    )
    assert 'data-testid="missing-welsh"' in page
    assert f'href="{section_url(refresh, PlanSectionKind.WELLBEING_PLAN)}"' in page
    assert 'data-testid="section-wellbeing_plan"' in page


def test_an_english_partnership_sees_no_welsh_fields(world):
    plan = world["english"]
    client = signed_in(world["trafford_coordinator"])
    page = client.get(section_url(plan, PlanSectionKind.SUMMARY)).text
    assert "body_cy" not in page and "app-bilingual" not in page
    assert client.get(section_url(plan, PlanSectionKind.WELLBEING_PLAN)).status_code == 404
    detail = client.get(reverse("plans:detail", args=["trafford", plan.pk])).text
    assert "missing-welsh" not in detail and "wellbeing_plan" not in detail


def public(slug, welsh=False):
    return reverse("plans:public_summary_cy" if welsh else "plans:public_summary", args=[slug])


def public_pdf(slug, welsh=False):
    name = "plans:public_summary_pdf_cy" if welsh else "plans:public_summary_pdf"
    return reverse(name, args=[slug])


def test_the_public_summary_comes_in_english_and_in_welsh(world, client):
    english = client.get(public("cardiff"))
    welsh = client.get(public("cardiff", welsh=True))
    assert (english.status_code, welsh.status_code) == (200, 200)
    assert english["Content-Language"] == "en" and welsh["Content-Language"] == "cy"
    assert '<html lang="en"' in english.text and '<html lang="cy"' in welsh.text
    # A Welsh partnership's English address is English, whatever the visitor reads.
    assert '<html lang="en"' in client.get(public("cardiff"), HTTP_ACCEPT_LANGUAGE="cy").text
    for text in (SUMMARY, WELLBEING, OBJECTIVES, ACTION, MEASURE):
        assert text[0] in english.text and text[1] not in english.text
        assert text[1] in welsh.text and text[0] not in welsh.text
    welsh_url, english_url = site_url("/plans/cardiff/cy/"), site_url("/plans/cardiff/")
    for page in (english.text, welsh.text):
        assert f'<link rel="alternate" hreflang="en" href="{english_url}">' in page
        assert f'<link rel="alternate" hreflang="cy" href="{welsh_url}">' in page
    assert f'href="{welsh_url}" hreflang="cy" lang="cy"' in english.text
    assert f'href="{english_url}" hreflang="en" lang="en"' in welsh.text
    assert f'href="{public_pdf("cardiff", welsh=True)}"' in welsh.text
    # The header's language toggle goes to the other version, not back to this one.
    toggle = client.get(f"/account/language/choose/?to=cy&next={quote(welsh_url)}")
    assert (toggle.status_code, toggle["Location"]) == (302, welsh_url)
    assert f"to=cy&amp;next={quote(welsh_url, safe='/')}" in english.text


def test_an_english_partnership_has_no_welsh_summary(world, client):
    published = PartnershipFactory(name="Bury", slug="bury")
    coordinator = member(published, Role.COORDINATOR, email="coordinator@bury.example")
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=published,
        assessment=approved_assessment(published, coordinator),
    )
    add_action(plan, coordinator)
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    signers = {
        seat: member(published, Role.STRATEGY_MEMBER, seat=seat, email=f"{seat}@bury.example")
        for seat in Seat.statutory()
    }
    approval.plan_publish(acting_user=coordinator, plan=sign_off_by_every_seat(plan, signers))
    english = client.get(public("bury"))
    assert english.status_code == 200 and 'rel="alternate"' not in english.text
    # Its one version follows the visitor's language, as every other page does.
    assert '<html lang="cy"' in client.get(public("bury"), HTTP_ACCEPT_LANGUAGE="cy").text
    # The same 404 as a partnership that does not exist, for the page and the PDF.
    for slug in ("bury", "nowhere", "trafford"):
        assert client.get(public(slug, welsh=True)).status_code == 404
        assert client.get(public_pdf(slug, welsh=True)).status_code == 404


def test_the_welsh_pdf_is_tagged_welsh_and_reads_in_welsh(world, client):
    plan = world["published"]
    documents = {
        language: document_for(plan=plan, kind=DocumentKind.SUMMARY, language=language)
        for language in ("en", "cy")
    }
    assert {doc.status for doc in documents.values()} == {DocumentStatus.READY}
    assert documents["en"].file.name != documents["cy"].file.name

    response = client.get(public_pdf("cardiff", welsh=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "-cy.pdf" in response["Content-Disposition"]
    welsh = read_pdf(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert welsh.lang == "cy"
    for text in (SUMMARY, OBJECTIVES, ACTION):
        assert text[1] in welsh.text and text[0] not in welsh.text
    assert "cynllun llesiant" in welsh.text
    # Each document names the other language's, in the language it leads to.
    assert f"also published in English: {site_url('/plans/cardiff/')}" in welsh.text

    english = read_pdf(client.get(public_pdf("cardiff")).content)
    assert english.lang == "en"
    assert SUMMARY[0] in english.text and SUMMARY[1] not in english.text
    # (The address may wrap at a slash: the text read back then has a space there.)
    assert "hefyd wedi" in english.text and "gyhoeddi yn Gymraeg:" in english.text
    assert f"Gymraeg: {site_url('/plans/cardiff/cy/')}" in english.text.replace("/ ", "/")


def test_a_progress_report_reads_in_welsh_for_a_welsh_reader(world, monkeypatch):
    from plans import deadlines
    from plans.models import Quarter
    from plans.services.reports import progress_report_issue

    monkeypatch.setattr(deadlines, "local_today", lambda: date(YEAR, 11, 15))
    report = progress_report_issue(
        acting_user=world["coordinator"],
        plan=world["published"],
        quarter=Quarter(YEAR, 1),
        today=date(YEAR, 7, 10),
    )
    assert report.figures["measures"][0]["name_cy"] == MEASURE[1]
    councillor = member(world["cardiff"], Role.SCRUTINY, email="councillor@cardiff.example")
    url = reverse("plans:progress_report", args=["cardiff", report.pk])
    client = signed_in(councillor)
    welsh = client.get(url, HTTP_ACCEPT_LANGUAGE="cy").text
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert '<html lang="cy"' in welsh and MEASURE[1] in welsh and ACTION[1] in welsh
    assert MEASURE[0] not in welsh and ACTION[0] not in welsh
    assert MEASURE[0] in english and MEASURE[1] not in english


def test_the_api_gives_the_welsh_beside_the_english(world):
    from tests.api.conftest import api

    client = api(world["coordinator"])
    detail = client.get(f"/api/v1/p/cardiff/plans/{world['published'].pk}/").json()
    sections = {section["kind"]: section for section in detail["sections"]}
    assert (sections["summary"]["body"], sections["summary"]["body_cy"]) == SUMMARY
    priority = detail["priorities"][0]
    assert (priority["objectives"], priority["objectives_cy"]) == OBJECTIVES
    action = priority["actions"][0]
    assert (action["description"], action["description_cy"]) == ACTION
    assert (action["measures"][0]["name"], action["measures"][0]["name_cy"]) == MEASURE


def test_the_welsh_page_reads_in_as_many_queries_as_the_english(world, client):
    def queries(url):
        client.get(url)  # warm: the documents already exist, nothing is queued
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(public("cardiff", welsh=True)) == queries(public("cardiff")) <= 14


def test_an_autosaved_welsh_draft_is_put_back(world, refresh):
    client = signed_in(world["coordinator"])
    page = section_url(refresh, PlanSectionKind.SUMMARY)
    client.post(
        reverse("accounts:text_draft"),
        {"path": page, "field": "body_cy", "text": "Drafft heb ei gadw"},
    )
    assert "Drafft heb ei gadw" in client.get(page).text


# The full plan in Welsh, the members' documents, the comparison (issue 16's last parts) -------

RATIONALE_CY = "Mae erledigaeth dro ar ôl tro yn uchel."
RESOURCES = ("Two officers from the pooled fund", "Dau swyddog o'r gronfa gyfun")


def welsh_throughout(plan, coordinator):
    """Every text of the full plan given its Welsh, through the services."""
    for section in plan.sections.exclude(body=""):
        if not section.body_cy:
            write(plan, coordinator, section.kind, section.body, f"Testun Cymraeg {section.kind}")
    for priority in plan.priorities.all():
        drafting.plan_priority_save(
            acting_user=coordinator,
            plan=plan,
            priority=priority,
            theme=priority.theme,
            rationale=priority.rationale,
            rationale_cy=RATIONALE_CY,
            objectives=priority.objectives,
            objectives_cy=priority.objectives_cy,
        )
    for action in plan.actions.all():
        drafting.plan_action_save(
            acting_user=coordinator,
            priority=action.priority,
            action=action,
            description=action.description,
            description_cy=action.description_cy,
            lead_organisation=action.lead_organisation,
            start_date=action.start_date,
            due_date=action.due_date,
            resources=RESOURCES[0],
            resources_cy=RESOURCES[1],
        )
    plan.refresh_from_db()
    assert missing_welsh(plan, full=True) == []
    return plan


def document_url(plan, kind, welsh=False, name="plan_document"):
    return reverse(
        f"plans:{name}_cy" if welsh else f"plans:{name}",
        args=[plan.partnership.slug, plan.pk, kind],
    )


def test_the_full_plan_in_welsh_is_tagged_welsh_and_reads_in_welsh(world, refresh, media_root):
    coordinator = world["coordinator"]
    plan = welsh_throughout(refresh, coordinator)
    client = signed_in(coordinator)
    assert client.post(document_url(plan, "plan", welsh=True)).status_code == 302
    document = document_for(plan=plan, kind=DocumentKind.PLAN, language="cy")
    assert document.status == DocumentStatus.QUEUED
    assert not PlanDocument.objects.filter(plan=plan, kind=DocumentKind.PLAN, language="en")
    plan_document_render(document_id=document.pk)

    response = client.get(document_url(plan, "plan", welsh=True, name="plan_document_download"))
    assert response.status_code == 200 and "-cy.pdf" in response["Content-Disposition"]
    welsh = read_pdf(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert welsh.lang == "cy" and welsh.tagged
    for text in (SUMMARY, OBJECTIVES, ACTION, MEASURE, RESOURCES):
        assert text[1] in welsh.text and text[0] not in welsh.text
    assert RATIONALE_CY in welsh.text and "Testun Cymraeg resources" in welsh.text
    assert "Cynllun y bartneriaeth" in welsh.text  # the labels are Welsh too


def test_the_welsh_plan_is_not_offered_while_its_welsh_is_missing(world, refresh):
    """The refreshed draft has no Welsh for its priority's reasons or its resources section: the
    page lists them (with links, for the coordinator) and offers no button; asking anyway is
    refused, in the service too, and nothing changes."""
    coordinator = world["coordinator"]
    client = signed_in(coordinator)
    page = client.get(document_url(refresh, "plan", welsh=True)).text
    assert 'data-testid="welsh-missing"' in page and "Make the PDF" not in page
    assert f'href="{section_url(refresh, PlanSectionKind.RESOURCES)}"' in page
    missing = [str(item.what) for item in missing_welsh(refresh, full=True)]
    assert any(what.startswith("Why ") and what.endswith(" is a priority") for what in missing)
    assert all(escape(what) in page for what in missing)

    before = PlanDocument.objects.count(), AuditEvent.objects.count()
    response = client.post(document_url(refresh, "plan", welsh=True), follow=True)
    assert "The Welsh PDF is made once every text it shows has its Welsh" in response.text
    with pytest.raises(ValidationError, match="Missing:"):
        plan_document_request(
            acting_user=coordinator, plan=refresh, kind=DocumentKind.PLAN, language="cy"
        )
    assert (PlanDocument.objects.count(), AuditEvent.objects.count()) == before
    # The summary's Welsh is all there, so its Welsh PDF is offered.
    summary = client.get(document_url(refresh, "summary", welsh=True)).text
    assert "welsh-missing" not in summary and "Make the PDF" in summary


def test_the_documents_page_lists_each_document_in_both_languages(world):
    plan = world["published"]
    page = signed_in(world["coordinator"]).get(document_url(plan, "plan")).text
    assert "Partnership plan in English (PDF)" in page
    others = page.split('data-testid="other-documents"')[1].split("</ul>")[0]
    assert f'href="{document_url(plan, "plan", welsh=True)}" hreflang="cy"' in others
    assert f'href="{document_url(plan, "summary")}" hreflang="en"' in others
    assert f'href="{document_url(plan, "summary", welsh=True)}" hreflang="cy"' in others
    assert "Published summary in Welsh (PDF)" in others
    # A scrutiny member reads the summary's Welsh PDF, made at publication.
    councillor = member(world["cardiff"], Role.SCRUTINY, email="reader@cardiff.example")
    welsh = signed_in(councillor).get(
        document_url(plan, "summary", welsh=True), HTTP_ACCEPT_LANGUAGE="cy"
    )
    assert '<html lang="cy"' in welsh.text and 'data-testid="document-status"' in welsh.text


def test_an_english_partnership_has_one_document_of_each_kind(world):
    plan = world["english"]
    client = signed_in(world["trafford_coordinator"])
    page = client.get(document_url(plan, "plan")).text
    others = page.split('data-testid="other-documents"')[1].split("</ul>")[0]
    assert others.count("<li>") == 1 and "in English" not in page and "Welsh" not in others
    for name in ("plan_document", "plan_document_download", "plan_document_status"):
        assert client.get(document_url(plan, "plan", welsh=True, name=name)).status_code == 404
    with pytest.raises(ValueError):
        plan_document_request(acting_user=None, plan=plan, kind=DocumentKind.PLAN, language="cy")


def test_comparing_versions_shows_changes_to_the_welsh(world, refresh):
    coordinator = world["coordinator"]
    priority = refresh.priorities.first()
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=refresh,
        priority=priority,
        theme=priority.theme,
        rationale=priority.rationale,
        objectives=priority.objectives,
        objectives_cy="Lleihau erledigaeth o draean.",
    )
    url = reverse("plans:compare", args=["cardiff", refresh.pk])
    page = signed_in(coordinator).get(url, {"other": world["published"].pk}).text
    diff = page.split('data-testid="diff-block"')[1].split("</ul>")[0]
    assert '<del><span class="govuk-visually-hidden">Removed: </span><span lang="cy">' in diff
    assert f"Objectives in Welsh: {OBJECTIVES[1]}" in diff
    assert "Objectives in Welsh: Lleihau erledigaeth o draean." in diff
    assert OBJECTIVES[0] not in diff  # the English did not change

    # An English partnership's outline has no Welsh lines, even with Welsh stored by mistake.
    english = world["english"]
    PlanSection.objects.filter(plan=english).update(body_cy="Testun")
    lines = [block.text for blocks in outline(english).values() for block in blocks]
    assert lines and not any("Welsh" in line or "Testun" in line for line in lines)


# Progress reports in both languages -----------------------------------------------------------

NARRATIVE = ("Burglary fell again this quarter.", "Gostyngodd byrgleriaeth eto y chwarter hwn.")


def issue(world, monkeypatch, **texts):
    from plans import deadlines
    from plans.models import Quarter
    from plans.services.reports import progress_report_issue

    monkeypatch.setattr(deadlines, "local_today", lambda: date(YEAR, 11, 15))
    return progress_report_issue(
        acting_user=world["coordinator"],
        plan=world["published"],
        quarter=Quarter(YEAR, 1),
        today=date(YEAR, 7, 10),
        **texts,
    )


@pytest.mark.parametrize(
    ("texts", "field"),
    [
        ({"narrative": NARRATIVE[0]}, "narrative_cy"),
        ({"narrative_cy": NARRATIVE[1]}, "narrative"),
    ],
)
def test_issuing_is_refused_while_the_summary_lacks_a_language(world, monkeypatch, texts, field):
    from plans.models import ProgressReport

    before = ProgressReport.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        issue(world, monkeypatch, **texts)
    assert list(refused.value.message_dict) == [field]
    assert "Missing: the summary in" in refused.value.message_dict[field][0]
    assert (ProgressReport.objects.count(), AuditEvent.objects.count()) == before


def test_the_issue_form_refuses_it_field_by_field(world, monkeypatch):
    from plans import deadlines

    monkeypatch.setattr(deadlines, "local_today", lambda: date(YEAR, 11, 15))
    client = signed_in(world["coordinator"])
    url = reverse("plans:progress_report_issue", args=["cardiff"])
    page = client.get(url).text
    assert 'name="narrative_cy"' in page and 'lang="cy"' in page
    response = client.post(url, {"quarter": f"{YEAR}-1", "narrative": NARRATIVE[0]})
    assert response.status_code == 400
    error = response.text.split('id="id_narrative_cy_1_error"')[1].split("</p>")[0]
    assert "Missing: the summary in Welsh" in error
    assert not world["cardiff"].progress_reports.exists()


def test_a_welsh_partnership_report_comes_in_both_languages(world, monkeypatch):
    report = issue(world, monkeypatch, narrative=NARRATIVE[0], narrative_cy=NARRATIVE[1])
    assert (report.narrative, report.narrative_cy) == NARRATIVE
    councillor = member(world["cardiff"], Role.SCRUTINY, email="councillor@cardiff.example")
    client = signed_in(councillor)
    page = reverse("plans:progress_report", args=["cardiff", report.pk])
    welsh = client.get(page, HTTP_ACCEPT_LANGUAGE="cy").text
    english = client.get(page, HTTP_ACCEPT_LANGUAGE="en").text
    assert NARRATIVE[1] in welsh and NARRATIVE[0] not in welsh
    assert NARRATIVE[0] in english and NARRATIVE[1] not in english
    pdf_cy = reverse("plans:progress_report_pdf_cy", args=["cardiff", report.pk])
    pdf_en = reverse("plans:progress_report_pdf", args=["cardiff", report.pk])
    assert f'href="{pdf_cy}" hreflang="cy"' in english and f'href="{pdf_en}" hreflang="en"' in welsh

    # Each PDF in its own language whatever the reader's, tagged with it.
    response = client.get(pdf_cy, HTTP_ACCEPT_LANGUAGE="en")
    assert "-cy.pdf" in response["Content-Disposition"]
    in_welsh = read_pdf(response.content)
    assert in_welsh.lang == "cy"
    assert NARRATIVE[1] in in_welsh.text and MEASURE[1] in in_welsh.text
    assert NARRATIVE[0] not in in_welsh.text and MEASURE[0] not in in_welsh.text
    in_english = read_pdf(client.get(pdf_en, HTTP_ACCEPT_LANGUAGE="cy").content)
    assert in_english.lang == "en"
    assert NARRATIVE[0] in in_english.text and NARRATIVE[1] not in in_english.text
    # Kept once made, per language: asked again, the same bytes without rendering.
    monkeypatch.setattr("plans.views.reports.progress_report_pdf", lambda view: b"made again")
    assert client.get(pdf_cy).content == response.content


def test_an_english_partnership_report_has_no_welsh(world, monkeypatch):
    from plans import deadlines

    monkeypatch.setattr(deadlines, "local_today", lambda: date(YEAR, 11, 15))
    from plans.forms.reports import ProgressReportIssueForm
    from plans.models import Quarter

    form = ProgressReportIssueForm(quarters=[Quarter(YEAR, 1)], partnership=world["trafford"])
    assert list(form.fields) == ["quarter"]
    client = signed_in(world["trafford_coordinator"])
    page = client.get(reverse("plans:progress_report_issue", args=["trafford"])).text
    assert "narrative" not in page
