"""Issue 19's journeys in a real browser, axe on every page: a national oversight officer signs in
with two factors, filters the compliance view and downloads its CSV (JavaScript on); a member of
the public finds their partnership by a place name and opens its plan summary (JavaScript on,
and off: the register is plain links and a GET form)."""

from pathlib import Path

import pytest

from accounts.services import backup_codes_replace
from partnerships.models import Role

from ..factories import DEFAULT_PASSWORD, member
from ..national.conftest import duties
from ..oversight.conftest import published_plan
from .conftest import pass_two_factor, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _no_documents(monkeypatch):
    """The journeys never open a PDF: the plan documents that publishing and the summary page
    queue are not made (each takes WeasyPrint seconds in the test's process)."""
    monkeypatch.setattr("plans.services.documents.enqueue_on_commit", lambda *args: None)


@pytest.mark.parametrize("java_script_enabled", [True], ids=["js"])
def test_a_national_officer_filters_the_compliance_view_and_downloads_it(visitor, db):
    data = duties()
    officer = data["officer"]
    code = backup_codes_replace(acting_user=officer)[0]
    sign_in(visitor, officer.email, DEFAULT_PASSWORD)
    pass_two_factor(visitor, code)
    visitor.click_link("National picture")
    assert visitor.heading() == "Partnerships' statutory duties"
    assert visitor.page.get_by_test_id("count").inner_text() == "3 partnerships"

    visitor.page.get_by_label("Nation").select_option("england")
    visitor.page.get_by_label("Only partnerships late on anything").check()
    visitor.click_button("Apply filters")
    rows = visitor.page.get_by_test_id("compliance").locator("tbody tr")
    assert rows.count() == 1 and "Salford" in rows.first.inner_text()
    visitor.click_link("Statutory seats filled")
    assert "sort=seats" in visitor.path

    with visitor.page.expect_download() as download:
        visitor.page.get_by_test_id("csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("partnership,slug,ons_code")
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["Salford"]


def test_a_member_of_the_public_finds_their_partnership_and_its_plan(visitor, partnership, db):
    published_plan(partnership, member(partnership, Role.COORDINATOR))
    district = partnership.districts.get()
    visitor.open("/partnerships/")
    visitor.fill("Partnership name or place", district.name)
    visitor.click_button("Search")
    visitor.click_link("Trafford", within=visitor.page.get_by_test_id("register"))
    assert visitor.heading() == "Trafford"
    assert "Trafford Police" in visitor.page.get_by_test_id("statutory").inner_text()
    visitor.click_link("Read the published plan summary")
    assert "summary" in visitor.heading().lower()
