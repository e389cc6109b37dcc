"""PCC offices never see DHR content or drafts, and write nothing but their own records
(report requests, police and crime plan priorities, combination approvals, community safety
grants): every other write
of their own partnership answers 404 (or 405 where the page only reads) and changes nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerships.models import Role
from reviews.models import AccessLogEntry
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member
from tests.test_isolation import TENANT_URLS, _argument, _snapshot, walked

# The PCC office's own writes, tested in this folder.
OWN = "oversight:"
# Pages a PCC office may read (approved and published records, counts of reviews).
READABLE = {
    "partnerships:home",
    "assessments:list",
    "plans:list",
    "reviews:list",
    "oversight:report_requests",
}


@pytest.fixture(scope="module")
def walked_partnership(module_data):
    """The PCC office's own partnership with every record the walk addresses: built once for
    the module."""

    def make():
        partnership = PartnershipFactory(name="Trafford", slug="trafford")
        member(partnership, Role.COORDINATOR)
        member(partnership, Role.CONTRIBUTOR)
        return walked(partnership)

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def own(walked_partnership, db):
    return walked_partnership


@pytest.fixture
def own_without_a_plan(db):
    """Another partnership of the office, made for the test: one with a published plan, as the
    walked partnership has, cannot start a draft."""
    partnership = PartnershipFactory(name="Wigan", slug="wigan")
    member(partnership, Role.COORDINATOR)
    member(partnership, Role.CONTRIBUTOR)
    return partnership


def _kwargs(partnership, url_name, arguments):
    return {
        "partnership_slug": partnership.slug,
        **{
            name: _argument(name, partnership, url_name)
            for name in arguments
            if name != "partnership_slug"
        },
    }


REVIEW_URLS = [(name, args) for name, args in TENANT_URLS if name.startswith("reviews:")]


@pytest.mark.parametrize(("url_name", "arguments"), REVIEW_URLS, ids=[n for n, _ in REVIEW_URLS])
def test_no_review_content_reaches_a_pcc_office(own, url_name, arguments):
    kwargs = _kwargs(own, url_name, arguments)
    client = signed_in(member(own, Role.PCC_OFFICE))
    logged = AccessLogEntry.objects.count()
    before = _snapshot()
    url = reverse(url_name, kwargs=kwargs)
    response = client.get(url)
    if url_name in READABLE:
        assert response.status_code == 200
        assert b"pseudonym" not in response.content.lower()
    else:
        assert response.status_code == 404, url
    assert client.post(url, {"submit": "1"}).status_code in (404, 405)
    assert AccessLogEntry.objects.count() == logged
    assert _snapshot() == before


DRAFT_URLS = [
    ("assessments:detail", {"assessment_id"}),
    ("assessments:pdf", {"assessment_id"}),
    ("assessments:contribution", {"contribution_id"}),
    ("assessments:document", {"contribution_id", "document_id"}),
    ("plans:detail", set()),  # a draft plan, made below
]


@pytest.mark.parametrize(("url_name", "arguments"), DRAFT_URLS, ids=[n for n, _ in DRAFT_URLS])
def test_drafts_and_contributions_in_progress_answer_404(own_without_a_plan, url_name, arguments):
    from plans.models import PartnershipPlan
    from plans.services import drafting
    from tests.plans.conftest import approved_assessment

    coordinator = own_without_a_plan.memberships.get(role=Role.COORDINATOR).user
    # An assessment open for contributions, with a contribution in progress and its document.
    kwargs = {
        "partnership_slug": own_without_a_plan.slug,
        **{name: _argument(name, own_without_a_plan, url_name) for name in arguments},
    }
    if url_name == "plans:detail":
        draft = drafting.plan_start(
            acting_user=coordinator,
            partnership=own_without_a_plan,
            assessment=approved_assessment(own_without_a_plan, coordinator, year=2030),
        )
        assert PartnershipPlan.objects.get(pk=draft.pk).status == "draft"
        kwargs["plan_id"] = draft.pk
    response = signed_in(member(own_without_a_plan, Role.PCC_OFFICE)).get(
        reverse(url_name, kwargs=kwargs)
    )
    assert response.status_code == 404


# Asking for the PDF of an issued plan is a read that every member may make: it renders (or
# reuses) the document of that version, so it writes a PlanDocument row.
READS_BY_POST = {"plans:plan_document"}
# The office's own write in the plans app: recording a community safety grant for the plan's
# actions (tests/plans/test_grants.py). Changing or ending one is only for the office that
# offered it, so those pages answer this office 404 like every other write.
OWN_ELSEWHERE = {"plans:grant_offer"}

WRITE_URLS = [
    (name, args)
    for name, args in TENANT_URLS
    if not name.startswith(OWN)
    and not name.startswith("api")
    and name not in READS_BY_POST | OWN_ELSEWHERE
]


@pytest.mark.parametrize(("url_name", "arguments"), WRITE_URLS, ids=[n for n, _ in WRITE_URLS])
def test_every_write_outside_their_own_answers_404(own, url_name, arguments):
    kwargs = _kwargs(own, url_name, arguments)
    client = signed_in(member(own, Role.PCC_OFFICE))
    mail.outbox.clear()
    before = _snapshot()
    response = client.post(
        reverse(url_name, kwargs=kwargs), {"role": Role.COORDINATOR, "submit": "1"}
    )
    assert response.status_code in (404, 405), url_name
    assert _snapshot() == before
    assert mail.outbox == []
