"""The service navigation: at most seven sections, each with its own sub-navigation, the same on
every page a member of a partnership sees, their own cross-partnership pages ("Requests to you",
"Your actions", "Force area", notifications, their account) included.

Sections and links are data: a label, a URL name and the role permission that shows it. A page
belongs to the section whose ``pages`` name its view (an exact name before a whole namespace), so
a new page under ``plans:`` is in "Plan" without anyone listing it. Only URL names appear here, as
strings: the apps above this one are not imported.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Membership
from .permissions import Perm, membership_can


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    perm: Perm | None = None
    # A page of the person's own, across partnerships: its URL takes no partnership.
    site: bool = False
    staff: bool = False
    # Shown to people a registered audience rule names (``register_audience``), such as national
    # oversight officers, who hold no membership: asked only of someone with none, so a member's
    # page pays no query for it.
    audience: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    links: tuple[Link, ...]
    # Beginnings of view names ("plans:reports", or a whole namespace "plans:") of its pages.
    pages: tuple[str, ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section(
        "work",
        _("Your work"),
        (
            Link(_("Your work"), "reminders:your_work", None, True),
            Link(_("The partnership's year"), "reminders:cycle", Perm.VIEW_CYCLE),
            Link(_("Requests to you"), "assessments:my_requests", Perm.ANSWER_CONTRIBUTIONS, True),
            Link(_("Your actions"), "plans:my_actions", Perm.REPORT_PLAN_PROGRESS, True),
            Link(_("Force area"), "oversight:force_area", Perm.VIEW_FORCE_AREA, True),
        ),
        (
            "reminders:your_work",
            "reminders:cycle",
            "partnerships:home",
            "partnerships:choose",
            "assessments:my_requests",
            "plans:my_actions",
            "oversight:force_area",
            "reminders:list",
        ),
    ),
    Section(
        "assessment",
        _("Assessment"),
        (
            Link(_("Strategic assessments"), "assessments:list", Perm.VIEW_ASSESSMENTS),
            Link(_("Community engagement"), "engagement:index", Perm.VIEW_ENGAGEMENT),
        ),
        ("assessments:", "engagement:"),
    ),
    Section(
        "plan",
        _("Plan"),
        (
            Link(_("Partnership plan"), "plans:list", Perm.VIEW_PLANS),
            Link(
                _("Police and crime plan"), "oversight:pcc_priorities", Perm.MANAGE_PCC_PRIORITIES
            ),
            Link(_("Sign-off rule"), "plans:approval_rule", Perm.MANAGE_PLANS),
            Link(
                _("Strategy group meetings"), "strategygroup:meetings", Perm.VIEW_STRATEGY_MEETINGS
            ),
        ),
        ("plans:", "oversight:pcc_priorit", "strategygroup:"),
    ),
    Section(
        "reviews",
        _("Reviews"),
        (
            Link(_("Domestic homicide reviews"), "reviews:list", Perm.VIEW_PARTNERSHIP),
            Link(_("ASB case reviews"), "casereviews:list", Perm.VIEW_CASE_REVIEWS),
        ),
        ("reviews:", "casereviews:", "national:review_learning"),
    ),
    Section(
        "reports",
        _("Reports"),
        (
            Link(_("Progress reports"), "plans:reports", Perm.VIEW_PROGRESS_REPORTS),
            Link(_("Report requests"), "oversight:report_requests", Perm.VIEW_REPORT_REQUESTS),
            Link(_("Scrutiny"), "scrutiny:index", Perm.VIEW_SCRUTINY),
            Link(_("Combinations"), "oversight:combinations", Perm.APPROVE_COMBINATIONS),
        ),
        (
            "plans:reports",
            "plans:progress_report",
            "oversight:report_",
            "oversight:combination",
            "scrutiny:",
        ),
    ),
    Section(
        "people",
        _("People"),
        (
            Link(_("People"), "partnerships:people", Perm.VIEW_PEOPLE),
            Link(_("About this partnership"), "partnerships:about", Perm.VIEW_PEOPLE),
            Link(_("Information sharing"), "infosharing:register", Perm.VIEW_INFORMATION_SHARING),
            Link(_("Quarterly returns"), "infosharing:returns", Perm.VIEW_INFORMATION_SHARING),
            Link(_("Audit log"), "partnerships:audit_log", Perm.VIEW_AUDIT),
        ),
        ("partnerships:", "infosharing:"),
    ),
    # Platform administrators' national reference data; they are seldom members of a partnership.
    Section(
        "national",
        _("National data"),
        (Link(_("National data"), "recorded_crime:releases", None, True, staff=True),),
        ("recorded_crime:",),
    ),
    # National oversight officers' counts across partnerships; they hold no membership.
    Section(
        "national_picture",
        _("National picture"),
        (Link(_("National picture"), "national:compliance", None, True, audience="national"),),
        ("national:compliance", "national:learning"),
    ),
    Section(
        "account",
        _("Account"),
        (
            Link(_("Your account"), "accounts:account", None, True),
            Link(_("Notification emails"), "reminders:settings", None, True),
            Link(_("API tokens"), "accounts:api_tokens", None, True),
        ),
        ("accounts:", "reminders:settings"),
    ),
)

# What one role sees of them (tests/partnerships/test_navigation.py holds every role to it).
MAX_SECTIONS = 7


def section_of(view_name: str) -> Section | None:
    """The section a page belongs to: the longest entry of any section's ``pages`` that its view
    name starts with ("plans:reports" before "plans:")."""
    best, best_length = None, -1
    for section in SECTIONS:
        for page in section.pages:
            if view_name.startswith(page) and len(page) > best_length:
                best, best_length = section, len(page)
    return best


# Audience name -> rule(user), filled by the apps above this one in their AppConfig.ready.
_AUDIENCES: dict[str, Callable[[object], bool]] = {}


def register_audience(name: str, rule: Callable[[object], bool]) -> None:
    _AUDIENCES[name] = rule


def _shown(link: Link, membership: Membership | None, user) -> bool:
    if link.audience:
        rule = _AUDIENCES.get(link.audience)
        return membership is None and rule is not None and rule(user)
    if link.staff:
        return bool(user.is_staff)
    if link.perm is None:
        return True
    return membership_can(membership, link.perm)


def _url(link: Link, membership: Membership | None) -> str | None:
    if link.site:
        return reverse(link.url_name)
    if membership is None:
        return None
    try:
        return reverse(link.url_name, kwargs={"partnership_slug": membership.partnership.slug})
    except NoReverseMatch:
        return None


def navigation(*, user, membership: Membership | None, path: str, view_name: str) -> dict:
    """The sections this person sees, each with its first link's address, the current section,
    and its sub-navigation (shown when it has more than one link)."""
    current = section_of(view_name)
    sections = []
    sub = []
    for section in SECTIONS:
        links = []
        for link in section.links:
            if not _shown(link, membership, user):
                continue
            url = _url(link, membership)
            if url is not None:
                links.append({"label": link.label, "url": url, "current": url == path})
        if not links:
            continue
        is_current = section is current
        sections.append({"label": section.label, "url": links[0]["url"], "current": is_current})
        if is_current:
            sub = links
    # Names a page's own context is unlikely to use (a plan's page has its own "sections").
    return {
        "navigation_sections": sections,
        "sub_navigation": sub if len(sub) > 1 else [],
        "sub_navigation_label": current.label if current else "",
    }


# Pages the partnership switcher keeps you on: every section's partnership pages that take no
# record id, so the same kind of page exists in the partnership you switch to.
SWITCHABLE = {
    link.url_name: link for section in SECTIONS for link in section.links if not link.site
}


def switch_target(view_name: str) -> str:
    """The page to ask the switcher for: this one if it is switchable, else its section's first."""
    if view_name in SWITCHABLE:
        return view_name
    section = section_of(view_name)
    # From a person's own pages across partnerships (Your work first), to that partnership's home.
    if section is not None and not section.links[0].site:
        for link in section.links:
            if not link.site:
                return link.url_name
    return "partnerships:home"


def switch_url(page: str, membership: Membership) -> str:
    """The same kind of page in ``membership``'s partnership, or its home when the role there does
    not see it."""
    link = SWITCHABLE.get(page)
    url_name = "partnerships:home"  # that partnership's Your work
    if link is not None and membership_can(membership, link.perm or Perm.VIEW_PARTNERSHIP):
        url_name = link.url_name
    return reverse(url_name, kwargs={"partnership_slug": membership.partnership.slug})
