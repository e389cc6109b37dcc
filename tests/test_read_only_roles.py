"""Scrutiny writes nothing but the committee's own steps, proved for every URL the project
registers.

A member of the Crime and Disorder Overview and Scrutiny Committee walks every URL pattern that
takes a ``partnership_slug``, on their OWN partnership, with its records made by
``tests.test_isolation.OBJECT_ARGUMENTS``. Every POST (and, for the API, every PUT, PATCH and
DELETE) answers 404, or 405 where the URL's view has no handler for the method (it takes no
writes from anyone); every GET answers 404 unless the URL is one of the read pages below (or an
API read), and a read page must offer no form that writes. Nothing changes and no
email goes. A new URL is covered as soon as it is registered: it is a write URL until it is added
to ``READ_PAGES``.

The one exception is ``SCRUTINY_ACTIONS``, the crime and disorder committee's own steps (the
scrutiny app): each shows its form, and what it writes stays in the committee's records, their
audit and their notifications.
"""

import re

import pytest
from django.core import mail
from django.urls import resolve, reverse

from partnerships.models import Role

from .conftest import signed_in
from .factories import PartnershipFactory, member
from .test_isolation import OBJECT_ARGUMENTS, TENANT_URLS, _argument, _snapshot, walked

# What scrutiny reads: each answers 200 (or 404 when its record is one they may not see, such as
# the walk's assessment, which is open for contributions) and shows no form that posts.
READ_PAGES = {
    "partnerships:home",
    "partnerships:about",
    # The partnership's logo (404 here: the walk's partnership has none).
    "partnerships:logo",
    "assessments:list",
    "assessments:detail",
    "assessments:pdf",
    "plans:list",
    "plans:detail",
    "plans:compare",
    "plans:plan_document",
    "plans:plan_document_download",
    "plans:plan_document_status",
    # A Welsh partnership's documents in Welsh (404 here: the walk's partnership is English).
    "plans:plan_document_cy",
    "plans:plan_document_download_cy",
    "plans:plan_document_status_cy",
    "plans:reports",
    "plans:progress_report",
    "plans:progress_report_pdf",
    "plans:progress_report_pdf_cy",
    "reviews:list",
    # ASB case reviews: the counts by status, naming nobody.
    "casereviews:list",
    # DESIGN.md: scrutiny reads the PCC's report requests and the partnership's answers.
    "oversight:report_requests",
    "oversight:report_request",
    "oversight:report_document",
    # The committee's work with the partnership (the scrutiny app).
    "scrutiny:index",
    "scrutiny:information_request",
    "scrutiny:committee_report",
    "scrutiny:call_for_action",
    "scrutiny:meeting",
    # Community engagement: the partnership's public meetings and consultations.
    "engagement:index",
    "engagement:event",
    # The local policing body's community safety grants, their spend and outcomes.
    "plans:grants",
    "plans:grant",
}
# What scrutiny may do, and nothing else: the committee's steps under the Police and Justice Act
# 2006 s19-20 and SI 2009/942. The walk's records are in a state that lets each be taken.
SCRUTINY_ACTIONS = {
    "scrutiny:information_request_new",
    "scrutiny:information_request_withdraw",
    "scrutiny:committee_report_new",
    "scrutiny:call_for_action_new",
    "scrutiny:call_for_action_conclude",
    "scrutiny:meeting_new",
}
# The tables those steps may write: the committee's records, their audit, their notifications
# and the forms' one-time tokens.
SCRUTINY_WRITES = ("scrutiny_", "audit_", "reminders_", "csp_portal_submission")
# The one write a read makes: opening a new progress report records that this person has read
# it (their own Your work, nobody else's), as opening an item reads its notifications.
READ_MARKS = {"plans:progress_report": "plans_progressreportread"}
WRITE_METHODS = ("post",)
API_WRITE_METHODS = ("post", "put", "patch", "delete")
POSTING_FORM = re.compile(r"<form[^>]*method=\"post\"", re.IGNORECASE)


def test_every_read_page_is_a_registered_url():
    assert {name for name, _arguments in TENANT_URLS} >= READ_PAGES | SCRUTINY_ACTIONS


@pytest.fixture(scope="module")
def walked_partnership(module_data):
    """The councillor's own partnership with every record the walk addresses: built once for
    the module."""

    def make():
        partnership = PartnershipFactory(name="Own partnership", slug="own")
        member(partnership, Role.COORDINATOR)
        member(partnership, Role.CONTRIBUTOR)
        return walked(partnership)

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def own_partnership(walked_partnership, db):
    return walked_partnership


def _accepts(url: str, method: str) -> bool:
    """Whether the URL's view has a handler for ``method`` at all (otherwise Django answers 405
    to everyone, which reveals nothing and writes nothing)."""
    view_class = resolve(url).func.view_class
    return method in view_class.http_method_names and hasattr(view_class, method)


@pytest.mark.parametrize(("url_name", "arguments"), TENANT_URLS, ids=[n for n, _ in TENANT_URLS])
def test_scrutiny_cannot_write_anywhere_in_their_own_partnership(
    own_partnership, url_name, arguments
):
    unknown = set(arguments) - {"partnership_slug"} - set(OBJECT_ARGUMENTS)
    assert not unknown, f"Teach OBJECT_ARGUMENTS how to make a record for {unknown}"
    objects = {
        name: _argument(name, own_partnership, url_name)
        for name in arguments
        if name != "partnership_slug"
    }
    councillor = member(own_partnership, Role.SCRUTINY)
    client = signed_in(councillor)
    url = reverse(url_name, kwargs={"partnership_slug": own_partnership.slug, **objects})
    is_api = url.startswith("/api/")
    mail.outbox.clear()
    before = _snapshot()

    if url_name in SCRUTINY_ACTIONS:
        page = client.get(url)
        assert page.status_code == 200, f"GET {url}: the committee's step is not offered"
        assert POSTING_FORM.search(page.content.decode())
        response = client.post(url, {"submit": "1"})
        assert response.status_code in {302, 400}, f"POST {url}"
        written = {table for table, n in _snapshot().items() if before.get(table) != n}
        assert all(table.startswith(SCRUTINY_WRITES) for table in written), written
        return

    for method in API_WRITE_METHODS if is_api else WRITE_METHODS:
        response = getattr(client, method)(
            url, {"role": Role.COORDINATOR, "submit": "1", "quarter": "2027-2"}
        )
        allowed = {404} if _accepts(url, method) else {404, 405}
        assert response.status_code in allowed, f"{method.upper()} {url}"

    response = client.get(url)
    if url_name in READ_PAGES or is_api:
        assert response.status_code in {200, 302, 404}, f"GET {url}"
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            body = response.content.decode()
            assert not POSTING_FORM.search(body), f"GET {url} offers a form that writes"
    elif _accepts(url, "get"):
        assert response.status_code == 404, f"GET {url}: a form page, or a new read page?"
    else:
        assert response.status_code in {404, 405}, f"GET {url}"

    after = _snapshot()
    if url_name in READ_MARKS:
        from plans.models import ProgressReportRead

        assert after.pop(READ_MARKS[url_name]) - before.pop(READ_MARKS[url_name], 0) == 1
        assert list(ProgressReportRead.objects.values_list("user_id", flat=True)) == [councillor.pk]
    assert after == before
    assert mail.outbox == []
