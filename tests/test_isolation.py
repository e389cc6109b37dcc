"""Partnership isolation, proved for every URL the project registers.

For each URL pattern that takes a ``partnership_slug``, and each role a member of partnership A can
hold, the member must get 404 for partnership B's pages and for B's records addressed through A's
own pages, by GET and by POST, and nothing may change. A new URL is covered as soon as it is
registered; a URL with an argument this test cannot fill fails loudly until ``OBJECT_ARGUMENTS``
learns how to make a record of B for it.
"""

from collections.abc import Callable
from contextlib import suppress
from copy import deepcopy
from datetime import date, timedelta
from http.cookies import SimpleCookie

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnerships.models import (
    Invitation,
    Membership,
    PartnerOrganisation,
    Partnership,
    Role,
    Seat,
)
from partnerships.services import invitation_create

from .conftest import signed_in
from .factories import PartnershipFactory, member, organisation_in


def _invitation_id(partnership) -> int:
    """B's open invitation (made once)."""
    existing = Invitation.objects.filter(partnership=partnership).first()
    if existing:
        return existing.pk
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    invitation = invitation_create(
        acting_user=coordinator.user,
        partnership=partnership,
        email="invitee@example.org",
        full_name="Invitee",
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership),
        accept_url=lambda token: f"/account/invitations/{token}/",
    )
    return invitation.pk


# The year after the published plan's (tests.plans.conftest.YEAR), whose assessment is approved.
OPEN_ASSESSMENT_YEAR = 2028


def _assessment(partnership):
    """B's strategic assessment, open for contributions, with a priority, a request to its
    police and a document on that request (made once, whichever argument asks first)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import StrategicAssessment
    from assessments.services import assessments as assessment_services
    from assessments.services import contributions as contribution_services
    from partnerships.models import Seat

    existing = StrategicAssessment.objects.filter(
        partnership=partnership, year_start=OPEN_ASSESSMENT_YEAR
    ).first()
    if existing:
        return existing
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    user = coordinator.user
    assessment = assessment_services.assessment_start(
        acting_user=user, partnership=partnership, year_start=OPEN_ASSESSMENT_YEAR
    )
    assessment_services.assessment_open_contributions(acting_user=user, assessment=assessment)
    assessment_services.priority_save(
        acting_user=user, assessment=assessment, theme="prevent", rationale="R", evidence="E"
    )
    (request,) = contribution_services.contribution_requests_send(
        acting_user=user,
        assessment=assessment,
        organisations=[organisation_in(partnership, Seat.POLICE)],
        title="B's request",
        questions="Q",
        data_requested="",
        due_date=date.today() + timedelta(days=7),
    )
    officer = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE)
    contribution_services.contribution_document_add(
        acting_user=officer,
        contribution=request,
        upload=SimpleUploadedFile("b.pdf", b"%PDF-1.7 B's document", "application/pdf"),
    )
    return assessment


REVIEW_YEAR = OPEN_ASSESSMENT_YEAR + 1


def _assessment_in_review(partnership):
    """B's next assessment, in review, with a comment in its log (made once)."""
    from assessments.models import StrategicAssessment
    from assessments.services import assessments as assessment_services
    from assessments.services import consultation
    from tests.assessments.conftest import complete

    existing = StrategicAssessment.objects.filter(
        partnership=partnership, year_start=REVIEW_YEAR
    ).first()
    if existing:
        return existing
    user = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first().user
    assessment = assessment_services.assessment_start(
        acting_user=user, partnership=partnership, year_start=REVIEW_YEAR
    )
    assessment_services.assessment_open_contributions(acting_user=user, assessment=assessment)
    complete(assessment, user)
    assessment = assessment_services.assessment_submit_for_review(
        acting_user=user, assessment=assessment
    )
    consultation.assessment_comment_add(acting_user=user, assessment=assessment, body="B's")
    return assessment


def _plan(partnership):
    """B's published plan with an action and a measure (made once)."""
    from plans.models import PartnershipPlan
    from tests.plans.conftest import add_action, approved_assessment

    existing = PartnershipPlan.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    from plans.services import drafting

    assessment = approved_assessment(partnership, coordinator.user)
    plan = drafting.plan_start(
        acting_user=coordinator.user, partnership=partnership, assessment=assessment
    )
    add_action(plan, coordinator.user)
    # Published, so that only partnership scoping (not draft visibility) keeps A's members out.
    from partnerships.models import Seat
    from partnerships.selectors import membership_for
    from plans.services import approval

    signer = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE)
    approval.approval_rule_update(
        acting_user=coordinator.user, partnership=partnership, seats=[Seat.POLICE]
    )
    approval.plan_open_consultation(acting_user=coordinator.user, plan=plan)
    # A comment in its consultation log, answered.
    from plans.services import consultation

    partner = (
        Membership.objects.filter(partnership=partnership, role=Role.CONTRIBUTOR).first()
        or coordinator
    )
    consultation.plan_comment_respond(
        acting_user=coordinator.user,
        comment=consultation.plan_comment_add(acting_user=partner.user, plan=plan, body="B's"),
        outcome="answered",
        response="B's answer",
    )
    approval.plan_sign_off(
        acting_user=signer,
        membership=membership_for(user=signer, partnership_slug=partnership.slug),
        plan=plan,
    )
    plan.refresh_from_db()
    return approval.plan_publish(acting_user=coordinator.user, plan=plan)


def _progress_report(partnership):
    """B's issued progress report on its published plan (made once)."""
    from plans.models import ProgressReport, Quarter
    from plans.services.reports import progress_report_issue

    existing = ProgressReport.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    plan = _plan(partnership)
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    return progress_report_issue(
        acting_user=coordinator.user,
        plan=plan,
        quarter=Quarter(plan.period_start, 2),
        today=date(plan.period_start, 11, 15),
    )


def _review(partnership):
    """B's review, recorded by B's coordinator (made once)."""
    from reviews.models import DomesticHomicideReview
    from tests.reviews.conftest import notify

    # "Adult A", notify's pseudonym: _returned_review's is another.
    existing = DomesticHomicideReview.objects.filter(
        partnership=partnership, victim_pseudonym="Adult A"
    ).first()
    if existing:
        return existing
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    from partnerships.models import Seat
    from reviews.services import action_plan, evidence
    from tests.reviews.builders import TO_EVIDENCE, advance, pdf_upload

    review = advance(notify(partnership, coordinator.user), coordinator.user, TO_EVIDENCE)
    police = organisation_in(partnership, Seat.POLICE)
    evidence.agency_request_create(
        acting_user=coordinator.user,
        review=review,
        organisation=police,
        kind="chronology",
        due_date=date.today() + timedelta(days=14),
    )
    action_plan.recommendation_add(
        acting_user=coordinator.user,
        review=review,
        recommendation="R",
        action="A",
        owner=police,
        due_date=date.today() + timedelta(days=60),
    )
    evidence.review_document_upload(
        acting_user=coordinator.user, review=review, kind="other", upload=pdf_upload()
    )
    return review


def _returned_review(partnership):
    """B's review returned by the Home Office quality assurance panel with a point of feedback
    (made once)."""
    from reviews.models import DomesticHomicideReview, ReviewStatus
    from tests.reviews.builders import returned_with_feedback

    existing = DomesticHomicideReview.objects.filter(
        partnership=partnership, status=ReviewStatus.RETURNED
    ).first()
    if existing:
        return existing
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    return returned_with_feedback(partnership, coordinator.user)[0]


def _case_review(partnership):
    """B's ASB case review, concluded with a recommendation, under B's published procedure
    (made once)."""
    from casereviews.models import CaseReview
    from tests.casereviews.builders import concluded, publish_procedure

    existing = CaseReview.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    publish_procedure(partnership, coordinator.user)
    return concluded(partnership, coordinator.user)


def _report_request(partnership):
    """B's report request from B's PCC office, answered with a document, and a police and
    crime plan priority of B's force area (made once)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from authorities.models import OrganisationKind
    from oversight.models import ReportRequest
    from oversight.services import priorities, report_requests
    from partnerships.selectors import membership_for
    from tests.factories import OrganisationFactory
    from tests.oversight.conftest import pcc_member

    existing = ReportRequest.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    pcc = pcc_member(partnership, OrganisationFactory(name="B's PCC", kind=OrganisationKind.PCC))
    pcc_membership = membership_for(user=pcc, partnership_slug=partnership.slug)
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    report_request = report_requests.report_request_create(
        acting_user=pcc,
        membership=pcc_membership,
        title="B's concern",
        body="B",
        due_date=date.today() + timedelta(days=14),
    )
    report_requests.report_request_answer(
        acting_user=coordinator.user,
        membership=coordinator,
        report_request=report_request,
        body="B's answer",
        files=[SimpleUploadedFile("b.pdf", b"%PDF-1.7 B's report", "application/pdf")],
    )
    priorities.pcc_priority_add(
        acting_user=pcc, membership=pcc_membership, title="B's PCC priority"
    )
    return report_request


def _safety_grant(partnership):
    """A community safety grant to B from B's PCC office for the action of B's plan, accepted,
    with its first quarter's spend reported (made once)."""
    from decimal import Decimal

    from plans.models import CommunitySafetyGrant, Quarter
    from plans.services import grants

    existing = CommunitySafetyGrant.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    plan = _plan(partnership)
    _report_request(partnership)  # B's PCC office
    pcc = Membership.objects.filter(partnership=partnership, role=Role.PCC_OFFICE).first().user
    coordinator = Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR).first()
    grant = grants.grant_offer(
        acting_user=pcc,
        partnership=partnership,
        title="B's grant",
        amount=Decimal(1000),
        first_year=plan.period_start,
        last_year=plan.period_start,
        actions=plan.actions.all(),
    )
    grant = grants.grant_accept(acting_user=coordinator.user, grant=grant)
    first = Quarter(plan.period_start, 1)
    grants.grant_spend_report(
        acting_user=coordinator.user,
        grant=grant,
        quarter=first,
        amount_spent=Decimal(100),
        outcome="B's outcome",
        today=first.ends_on,
    )
    return grant


def _pcc_priority_id(partnership) -> int:
    from plans.models import PoliceAndCrimePlanPriority

    _report_request(partnership)
    return PoliceAndCrimePlanPriority.objects.get(
        police_force_area=partnership.police_force_area
    ).pk


def _scrutiny(partnership):
    """B's committee work: an information request awaiting its answer, a report with a
    recommendation awaiting its response, a call for action being considered and a meeting
    (made once)."""
    from scrutiny.models import CommitteeReport
    from scrutiny.services import committee, information

    existing = CommitteeReport.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    councillor = member(partnership, Role.SCRUTINY)
    today = date.today()
    information.information_request_create(
        acting_user=councillor,
        partnership=partnership,
        title="B's request",
        question="B",
        due_date=today + timedelta(days=14),
    )
    committee.call_for_action_record(
        acting_user=councillor,
        partnership=partnership,
        matter="B's matter",
        ward="B",
        councillor="B",
        details="B",
        referred_on=today,
    )
    committee.scrutiny_meeting_record(
        acting_user=councillor,
        partnership=partnership,
        held_on=today,
        attended_by="B",
        asked="B",
        answered="B",
    )
    return committee.committee_report_create(
        acting_user=councillor,
        partnership=partnership,
        title="B's report",
        summary="B",
        made_on=today,
        recommendations=["B's recommendation"],
    )


def _engagement_event(partnership):
    """B's public meeting, planned (made once)."""
    from engagement.models import EngagementEvent
    from engagement.services import event_plan

    existing = EngagementEvent.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    return event_plan(
        acting_user=member(partnership, Role.COORDINATOR),
        partnership=partnership,
        kind="public_meeting",
        title="B's public meeting",
        planned_on=date.today(),
        venue="B",
        notice="B",
    )


def _sharing_agreement(partnership):
    """B's information sharing agreement, in force (made once)."""
    from infosharing.models import SharingAgreement
    from infosharing.services import agreement_record

    existing = SharingAgreement.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    return agreement_record(
        acting_user=member(partnership, Role.COORDINATOR),
        partnership=partnership,
        title="B's agreement",
        parties=PartnerOrganisation.objects.filter(
            partnership=partnership, seat__in=[Seat.POLICE, Seat.HEALTH]
        ),
        purpose="B",
        legal_basis="B",
        signed_on=date.today(),
        review_due=date.today() + timedelta(days=30),
    )


def _quarterly_return(partnership):
    """B's police return for a quarter, due (made once)."""
    from infosharing.models import QuarterlyReturn
    from infosharing.services import returns_open

    if not QuarterlyReturn.objects.filter(partnership=partnership).exists():
        returns_open(
            acting_user=member(partnership, Role.COORDINATOR),
            partnership=partnership,
            year_start=2026,
            quarter=1,
        )
    return QuarterlyReturn.objects.filter(
        partnership=partnership, organisation__seat=Seat.POLICE
    ).first()


def _strategy_meeting(partnership):
    """B's strategy group meeting, held, its minutes not yet published (made once)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from strategygroup.models import StrategyMeeting
    from strategygroup.services import meeting_record, meeting_schedule, paper_add

    existing = StrategyMeeting.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    coordinator = member(partnership, Role.COORDINATOR)
    meeting = meeting_schedule(
        acting_user=coordinator,
        partnership=partnership,
        title="B's meeting",
        meets_on=date.today(),
        agenda="B",
    )
    meeting = meeting_record(acting_user=coordinator, meeting=meeting, minutes="B", attendees=[])
    paper_add(
        acting_user=coordinator,
        meeting=meeting,
        file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 B", content_type="application/pdf"),
    )
    return meeting


# Values for ``kind``, which names a section or a document rather than a record.
KIND_BY_URL = {"plans:section_edit": "summary", "assessments:section_edit": "changes"}

# How to make a record of partnership B for each URL argument that names one.
OBJECT_ARGUMENTS: dict[str, Callable] = {
    "membership_id": lambda p: Membership.objects.filter(partnership=p).first().pk,
    "invitation_id": _invitation_id,
    "partner_id": lambda p: PartnerOrganisation.objects.filter(partnership=p).first().pk,
    "assessment_id": lambda p: _assessment(p).pk,
    "kind": lambda p: "plan",  # see KIND_BY_URL
    "priority_id": lambda p: _assessment(p).priorities.get().pk,
    "contribution_id": lambda p: _assessment(p).contribution_requests.get().pk,
    # "Copy my answer from …": B's request, as the source as well as the target.
    "source_id": lambda p: _assessment(p).contribution_requests.get().pk,
    "document_id": lambda p: _assessment(p).contribution_requests.get().documents.get().pk,
    "plan_id": lambda p: _plan(p).pk,
    "plan_priority_id": lambda p: _plan(p).priorities.first().pk,
    "action_id": lambda p: _plan(p).actions.get().pk,
    "measure_id": lambda p: _plan(p).actions.get().measures.get().pk,
    "comment_id": lambda p: _plan(p).comments.get().pk,
    "report_id": lambda p: _progress_report(p).pk,
    "review_id": lambda p: _review(p).pk,
    "to": lambda p: "under_consideration",
    "grant_id": lambda p: _review(p).access_grants.first().pk,
    "request_id": lambda p: _review(p).agency_requests.get().pk,
    "recommendation_id": lambda p: _review(p).recommendations.get().pk,
    "review_document_id": lambda p: _review(p).documents.get().pk,
    "qa_item_id": lambda p: _returned_review(p).qa_feedback.get().pk,
    "export": lambda p: "executive-summary",
    "case_id": lambda p: _case_review(p).pk,
    "case_recommendation_id": lambda p: _case_review(p).recommendations.get().pk,
    "case_grant_id": lambda p: _case_review(p).access_grants.first().pk,
    "report_request_id": lambda p: _report_request(p).pk,
    "report_document_id": lambda p: (
        _report_request(p).entries.get(kind="answer").documents.get().pk
    ),
    "pcc_priority_id": _pcc_priority_id,
    "safety_grant_id": lambda p: _safety_grant(p).pk,
    "committee_report_id": lambda p: _scrutiny(p).pk,
    "scrutiny_recommendation_id": lambda p: _scrutiny(p).recommendations.get().pk,
    "information_request_id": lambda p: (
        _scrutiny(p).partnership.scrutiny_information_requests.get().pk
    ),
    "call_for_action_id": lambda p: _scrutiny(p).partnership.scrutiny_calls_for_action.get().pk,
    "scrutiny_meeting_id": lambda p: _scrutiny(p).partnership.scrutiny_meetings.get().pk,
    "event_id": lambda p: _engagement_event(p).pk,
    "agreement_id": lambda p: _sharing_agreement(p).pk,
    "return_id": lambda p: _quarterly_return(p).pk,
    "meeting_id": lambda p: _strategy_meeting(p).pk,
    "paper_id": lambda p: _strategy_meeting(p).papers.get().pk,
}


# The review's comment pages are walked on B's assessment in review and its comment.
IN_REVIEW = {
    "assessment_id": lambda p: _assessment_in_review(p).pk,
    "comment_id": lambda p: _assessment_in_review(p).comments.get().pk,
}
IN_REVIEW_URLS = {
    "assessments:comments",
    "assessments:comment_respond",
    "api:assessment_comments",
    "api:assessment_comment_response",
}


def _argument(name: str, partnership, url_name: str):
    if name == "kind" and url_name in KIND_BY_URL:
        return KIND_BY_URL[url_name]
    if url_name in IN_REVIEW_URLS and name in IN_REVIEW:
        return IN_REVIEW[name](partnership)
    return OBJECT_ARGUMENTS[name](partnership)


def _tenant_patterns(resolver: URLResolver = None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from _tenant_patterns(pattern, prefix + str(pattern.pattern), inner.strip(":"))
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = prefix + str(pattern.pattern)
            if "<slug:partnership_slug>" in route:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, pattern.pattern.converters.keys() | _converters(route)


def _converters(route: str) -> set[str]:
    import re

    return set(re.findall(r"<(?:\w+:)?(\w+)>", route))


TENANT_URLS = sorted({name: frozenset(args) for name, args in _tenant_patterns()}.items())


def test_the_walk_finds_the_tenant_urls():
    names = {name for name, _args in TENANT_URLS}
    assert {"partnerships:home", "partnerships:people", "partnerships:membership_remove"} <= names


# Tables that answering a request may write to however it is answered, and why. A write to any
# other table while a walk's requests run is a change the walk refuses.
WRITTEN_BY_ANY_REQUEST = {
    "django_session": "SESSION_SAVE_EVERY_REQUEST: each request moves the idle expiry on",
}


def _snapshot() -> dict[str, int]:
    """Rows inserted, updated and deleted so far in this test's transaction, per table, as
    PostgreSQL counts them (pg_stat_xact_user_tables): any write shows up here, an update that
    leaves every row count as it was and a write rolled back by a savepoint included."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return {
            table: writes
            for table, writes in cursor.fetchall()
            if table not in WRITTEN_BY_ANY_REQUEST
        }


def walked(partnership):
    """``partnership`` with every record that OBJECT_ARGUMENTS can name."""
    for make in [*OBJECT_ARGUMENTS.values(), *IN_REVIEW.values()]:
        make(partnership)
    return partnership


@pytest.fixture(scope="module")
def walked_partnerships(module_data):
    """A, and B with every record the walk addresses: built once for the module."""

    def make():
        a = PartnershipFactory(name="Partnership A", slug="a")
        b = PartnershipFactory(name="Partnership B", slug="b")
        member(b, Role.COORDINATOR)
        member(b, Role.CONTRIBUTOR)
        member(a, Role.COORDINATOR)
        return a, walked(b)

    return module_data.build(make)


@pytest.fixture(scope="module")
def attackers(walked_partnerships, module_data) -> dict[str, SimpleCookie]:
    """A member of A in each role, signed in once for the module: their session cookies."""
    a, _b = walked_partnerships
    return module_data.build(lambda: {role: signed_in(member(a, role)).cookies for role in Role})


def client_of(cookies: SimpleCookie) -> Client:
    """A client holding a copy of those session cookies, so no test sees another's cookies."""
    client = Client()
    client.cookies = deepcopy(cookies)
    return client


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def two_partnerships(walked_partnerships, db):
    return walked_partnerships


@pytest.fixture(scope="module")
def objects_of_b(walked_partnerships) -> Callable[[str, frozenset], dict]:
    """B's records that each URL's arguments name, looked up once for the module rather than
    once for every role: the walk only reads them (``walked`` made every one), and the tests
    check that nothing changed."""
    _a, b = walked_partnerships
    found: dict[str, dict] = {}

    def of(url_name: str, arguments: frozenset) -> dict:
        if url_name not in found:
            found[url_name] = {
                name: _argument(name, b, url_name)
                for name in arguments
                if name != "partnership_slug"
            }
        return found[url_name]

    return of


def test_the_snapshot_sees_a_write_that_leaves_every_count_alone(two_partnerships):
    a, _b = two_partnerships
    before = _snapshot()
    Partnership.objects.filter(pk=a.pk).update(name=a.name)
    assert _snapshot() != before

    before = _snapshot()
    with suppress(IntegrityError), transaction.atomic():
        Membership.objects.filter(partnership=a).delete()
        raise IntegrityError("rolled back")
    assert Membership.objects.filter(partnership=a).exists()
    assert _snapshot() != before


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("url_name", "arguments"), TENANT_URLS, ids=[n for n, _ in TENANT_URLS])
def test_a_member_of_a_cannot_reach_b(
    two_partnerships, attackers, objects_of_b, role, url_name, arguments
):
    a, b = two_partnerships
    unknown = set(arguments) - {"partnership_slug"} - set(OBJECT_ARGUMENTS)
    assert not unknown, f"Teach OBJECT_ARGUMENTS how to make a record of B for {unknown}"
    objects_of_b = objects_of_b(url_name, arguments)
    client = client_of(attackers[role])
    mail.outbox.clear()
    before = _snapshot()

    urls = [reverse(url_name, kwargs={"partnership_slug": b.slug, **objects_of_b})]
    if objects_of_b:  # B's records through A's own pages
        urls.append(reverse(url_name, kwargs={"partnership_slug": a.slug, **objects_of_b}))
    for url in urls:
        for method in (client.get, client.post):
            response = method(url, {"role": Role.COORDINATOR, "submit": "1"})
            # A read-only page refuses POST before looking anything up, so 405 reveals nothing;
            # so does an API route asked with a method it does not take (test_api_isolation.py
            # walks each API route with the methods it does take).
            allowed = {404, 405} if method == client.post or url.startswith("/api/") else {404}
            assert response.status_code in allowed, f"{method.__name__.upper()} {url} as {role}"
            assert b"Partnership B" not in response.content

    assert _snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize(("url_name", "arguments"), TENANT_URLS, ids=[n for n, _ in TENANT_URLS])
def test_someone_signed_out_is_sent_to_sign_in_and_sees_nothing(
    two_partnerships, objects_of_b, client, url_name, arguments
):
    _a, b = two_partnerships
    kwargs = objects_of_b(url_name, arguments)
    before = _snapshot()
    url = reverse(url_name, kwargs={"partnership_slug": b.slug, **kwargs})
    for response in (client.get(url), client.post(url)):
        if url.startswith("/api/"):
            assert response.status_code in (401, 403)
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        assert b"Partnership B" not in response.content
    assert _snapshot() == before


@pytest.fixture(scope="module")
def national_client(module_data):
    """A national oversight officer who sees every partnership's counts (issue 19), signed in
    with two factors once for the module."""

    def make():
        from national.services import national_grant_create
        from tests.factories import UserFactory

        officer = UserFactory(email="national@example.org")
        national_grant_create(
            acting_user=UserFactory(is_staff=True), user=officer, body="home_office", scope="all"
        )
        return signed_in(officer)

    return module_data.build(make)


@pytest.mark.parametrize(("url_name", "arguments"), TENANT_URLS, ids=[n for n, _ in TENANT_URLS])
def test_a_national_oversight_officer_reaches_no_partnership_content(
    two_partnerships, objects_of_b, national_client, url_name, arguments
):
    """Counts and dates on their own page, and not one page of any partnership: 404 for every
    URL of B, by GET and by POST, and nothing changes."""
    _a, b = two_partnerships
    kwargs = objects_of_b(url_name, arguments)
    client = national_client
    mail.outbox.clear()
    before = _snapshot()
    url = reverse(url_name, kwargs={"partnership_slug": b.slug, **kwargs})
    for method in (client.get, client.post):
        response = method(url, {"role": Role.COORDINATOR, "submit": "1"})
        allowed = {404, 405} if method == client.post or url.startswith("/api/") else {404}
        if url.startswith("/api/"):
            allowed |= {401, 403}
        assert response.status_code in allowed, f"{method.__name__.upper()} {url}"
        assert b"Partnership B" not in response.content
    assert _snapshot() == before
    assert mail.outbox == []
