"""The service navigation: at most seven sections for any role, sub-navigation inside the current
one, the same sections on a person's own pages across partnerships, and a partnership switcher
that keeps the kind of page."""

import re

import pytest

from partnerships.models import Role
from partnerships.navigation import MAX_SECTIONS, section_of

from ..conftest import signed_in
from ..factories import member

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[str]:
    menu = html.split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r"<a [^>]*>(.*?)</a>", menu, re.S)
    ]


def _sub_navigation(html: str) -> list[str]:
    if "app-sub-navigation" not in html:
        return []
    block = html.split('class="app-sub-navigation"', 1)[1].split("</nav>", 1)[0]
    return [label.strip() for label in re.findall(r"<a [^>]*>(.*?)</a>", block, re.S)]


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        (
            Role.COORDINATOR,
            ["Your work", "Assessment", "Plan", "Reviews", "Reports", "People", "Account"],
        ),
        (
            Role.STRATEGY_MEMBER,
            ["Your work", "Assessment", "Plan", "Reviews", "Reports", "People", "Account"],
        ),
        (Role.CONTRIBUTOR, ["Your work", "Assessment", "Plan", "Reviews", "People", "Account"]),
        (Role.SCRUTINY, ["Your work", "Assessment", "Plan", "Reviews", "Reports", "Account"]),
        (Role.PCC_OFFICE, ["Your work", "Assessment", "Plan", "Reviews", "Reports", "Account"]),
    ],
)
def test_every_role_sees_at_most_seven_sections_the_same_on_its_own_pages(
    partnership, role, sections
):
    user = member(partnership, role)
    client = signed_in(user)
    home = client.get("/p/trafford/", follow=True).content.decode()
    assert _menu(home) == sections
    assert len(sections) <= MAX_SECTIONS
    own_pages = ["/notifications/", "/account/"]
    if role in (Role.COORDINATOR, Role.STRATEGY_MEMBER, Role.CONTRIBUTOR):
        own_pages += ["/my-requests/", "/my-actions/"]
    if role == Role.PCC_OFFICE:
        own_pages.append("/pcc/")
    for path in own_pages:
        page = client.get(path).content.decode()
        assert _menu(page) == sections, path
        assert "Trafford" in page.split("</header>")[0], path


def test_the_current_section_shows_its_pages_and_marks_itself(partnership, coordinator):
    client = signed_in(coordinator)
    people = client.get("/p/trafford/audit/").content.decode()
    assert _sub_navigation(people) == [
        "People",
        "About this partnership",
        "Information sharing",
        "Quarterly returns",
        "Audit log",
    ]
    assert 'aria-current="page">Audit log' in people
    assert re.search(r'aria-current="true"><strong[^>]*>People</strong>', people)

    reports = client.get("/p/trafford/report-requests/").content.decode()
    assert _sub_navigation(reports) == ["Progress reports", "Report requests", "Scrutiny"]

    work = client.get("/my-requests/").content.decode()
    assert _sub_navigation(work) == [
        "Your work",
        "The partnership&#x27;s year",
        "Requests to you",
        "Your actions",
    ]


def test_pages_belong_to_the_section_their_view_names_begin_with():
    assert section_of("plans:progress_report_pdf").key == "reports"
    assert section_of("plans:progress_dashboard").key == "plan"
    assert section_of("oversight:pcc_priority_edit").key == "plan"
    assert section_of("partnerships:membership_edit").key == "people"
    assert section_of("partnerships:home").key == "work"
    assert section_of("reminders:settings").key == "account"
    assert section_of("pages:cookies") is None


def test_the_switcher_keeps_the_kind_of_page_where_the_role_there_sees_it(
    partnership, other_partnership, coordinator
):
    member(other_partnership, Role.CONTRIBUTOR, user=coordinator)
    client = signed_in(coordinator)
    people = client.get("/p/trafford/people/").content.decode()
    assert "/account/partnerships/?switch=1&amp;page=partnerships%3Apeople" in people

    choose = client.get("/account/partnerships/?switch=1&page=plans:list").content.decode()
    assert 'href="/p/trafford/plans/"' in choose and 'href="/p/cardiff/plans/"' in choose
    # A contributor does not see the audit log: the switch goes to Cardiff's home instead.
    choose = client.get(
        "/account/partnerships/?switch=1&page=partnerships:audit_log"
    ).content.decode()
    assert 'href="/p/trafford/audit/"' in choose and 'href="/p/cardiff/"' in choose
    # Whatever else is asked for, the links go home.
    choose = client.get("/account/partnerships/?switch=1&page=admin:index").content.decode()
    assert 'href="/p/cardiff/"' in choose and "admin" not in choose.split("<main", 1)[1]


def test_a_platform_administrator_sees_national_data(db):
    from ..factories import UserFactory

    admin = UserFactory(is_staff=True)
    page = signed_in(admin).get("/national-data/recorded-crime/").content.decode()
    # Everyone has Your work (an administrator in no partnership sees it empty).
    assert _menu(page) == ["Your work", "National data", "Account"]


def test_the_invitation_says_what_each_role_can_do(partnership, coordinator):
    page = signed_in(coordinator).get("/p/trafford/people/invite/").content.decode()
    assert "Answers their organisation&#x27;s contribution requests" in page
    assert "Changes nothing else, but sends the committee" in page
    assert page.count('class="govuk-hint govuk-radios__hint"') == len(Role.choices)
