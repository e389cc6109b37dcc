"""Every figure a person reads is printed one way, 1,369 not 1369 (csp_portal.templatetags.figures):
the filter itself, and a walk of the demonstration's pages, where crime figures, populations and
counts run into thousands, that finds no figure printed without its separators."""

import html
import re
from collections import deque
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from csp_portal.templatetags.figures import figure
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

# Not pages: files, signing out, the admin and the API (as the reflow crawl).
SKIP = re.compile(
    r"^/(account/sign-out|admin|api|static|media)/|/(pdf|download|exports?)/|\.(pdf|csv|json)$"
    r"|/documents/\d+/|/summary\.pdf$"
)
PAGES_PER_PERSON = 40
# Four or more digits in a row that are not part of a code (E22000027), a date or a grouped
# figure: a figure printed without separators.
UNGROUPED = re.compile(r"(?<![\w,.\-:/£])\d{4,}(?![\w,]|\.\d)")
GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_HIDDEN = re.compile(r"<(script|style|head|template)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (1369, "1,369"),
        (-20000, "-20,000"),
        (Decimal("12500.0"), "12,500"),
        (Decimal("1234.50"), "1,234.5"),
        ("98765", "98,765"),
        (None, ""),
        ("n/a", "n/a"),
    ],
)
def test_a_figure_is_printed_with_thousands_separators(value, printed):
    assert figure(value) == printed


def _visible_text(page: str) -> str:
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))


def _is_year(number: str) -> bool:
    return len(number) == 4 and 1990 <= int(number) <= 2100


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture(scope="module")
def demo(module_data):
    module_data.build(lambda: call_command("seed_demo", verbosity=0))


@pytest.mark.parametrize(
    "email",
    ["coordinator@trafford.example", "partner@trafford.example", "pcc@greatermanchester.example"],
)
def test_no_page_of_the_demo_prints_a_figure_without_separators(demo, email):
    client = signed_in(User.objects.get(email=email))
    ungrouped, grouped_seen = {}, set()
    queue, seen = deque(["/"]), {"/"}
    while queue and len(seen) - len(queue) < PAGES_PER_PERSON:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        text = _visible_text(page)
        grouped_seen |= set(GROUPED.findall(text))
        found = [number for number in UNGROUPED.findall(text) if not _is_year(number)]
        if found:
            ungrouped[path] = found
        for link in re.findall(r'<a [^>]*href="(/[^"#?]*)"', page):
            if link not in seen and not SKIP.search(link) and not urlsplit(link).query:
                seen.add(link)
                queue.append(link)

    assert ungrouped == {}
    assert len(grouped_seen) >= 5, grouped_seen  # the walk did reach figures in the thousands
