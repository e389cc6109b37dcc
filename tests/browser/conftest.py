"""Playwright in Debian's Chromium against the live server, with axe on every page it loads.

Each journey runs twice, with JavaScript on and off: the service must work, and pass WCAG 2.2 AA,
without it. Pages are reached only through ``Visitor``, which checks each one as it loads.
"""

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from accounts.selectors import user_has_two_factor, user_requires_two_factor
from csp_portal.logs import JsonFormatter

from ..conftest import signed_in_session

# Playwright's sync API runs an event loop in the main thread, where the test also reads the DB.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
# How long an action or navigation may wait, not how fast it must be: on a loaded two-core
# machine (make test runs three processes) a page once took over 10 s to load.
WAIT_LIMIT_MS = 30_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium stalls on a closed network, waiting for Google's services.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
# axe-core as the library bundles it (572 KB). JavaScript contexts get it as an init script, sent
# to Chromium once per context, which keeps the compiled script; a page without it (the checker's
# copy of a no-JS page) is sent it once, as its window outlives each set_content.
_AXE_SOURCE = Axe().axe_script
_AXE_RUN = "(options) => axe.run(document, options).then((results) => results.violations)"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# Contexts made with JavaScript off. Chromium suspends timers there, so axe (which needs them)
# checks a copy of such a page in a JavaScript-enabled page of its own instead.
_NO_JS_CONTEXTS: set[BrowserContext] = set()
_checker_pages: dict[Browser, Page] = {}
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


def _checker_page(browser: Browser, origin: str) -> Page:
    """A JavaScript-enabled page on the live server's origin. It gets there once, through a route
    taken away again at once: while a page routes requests Playwright turns the browser's cache
    off, and each check would fetch the stylesheets, fonts and images from the live server anew."""
    checker = _checker_pages.get(browser)
    if checker is None:
        checker = _checker_pages[browser] = browser.new_context().new_page()
    if not checker.url.startswith(origin + "/"):
        checker.route(origin + "/", lambda route: route.fulfill(body="", content_type="text/html"))
        checker.goto(origin + "/")
        checker.unroute_all()
    return checker


def _page_to_check(page: Page, document: str) -> Page:
    """The page itself, or for a no-JS page (whose ``document`` this is) the same DOM at the same
    URL with scripts left out."""
    if page.context not in _NO_JS_CONTEXTS:
        return page
    url = page.url.split("#")[0]
    checker = _checker_page(page.context.browser, re.match(r"^https?://[^/]+", url).group(0))
    checker.set_content(_SCRIPT.sub("", document))
    checker.evaluate("(url) => history.replaceState(null, '', url)", url)
    return checker


# What axe found on each page checked so far in the run, by address, JavaScript and the exact
# document (bar its CSRF token): axe's answer is a function of those, so a page that comes back
# unchanged (the sign-in page, a list looked at again) is not checked twice, while one that
# differs in anything (another state, an error, other data) is.
_violations_found: dict[tuple[str, bool, str], list[dict]] = {}
_CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def assert_accessible(page: Page) -> None:
    """Fail with a readable list of axe violations if the current page has any."""
    document = page.content()
    without_token = _CSRF_TOKEN.sub(r"\1", document).encode()
    key = (page.url, page.context in _NO_JS_CONTEXTS, hashlib.sha256(without_token).hexdigest())
    if key not in _violations_found:
        checked = _page_to_check(page, document)
        if not checked.evaluate("() => typeof window.axe === 'object'"):
            checked.evaluate(_AXE_SOURCE)
        _violations_found[key] = checked.evaluate(_AXE_RUN, AXE_OPTIONS)
    violations = _violations_found[key]
    if not violations:
        return
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        lines.extend(f"    at {' '.join(map(str, node['target']))}" for node in violation["nodes"])
    pytest.fail("\n".join(lines), pytrace=False)


# Chromium reports what the Content-Security-Policy blocked (or a header it could not read) on the
# console, with JavaScript on or off; with it on, the page also fires securitypolicyviolation.
_POLICY_MESSAGE = re.compile(
    r"Content Security Policy|Refused to|Permissions[- ]Policy|Unrecognized feature", re.I
)
_RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  (window.__policyViolations ||= []).push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`
  );
});
"""


class PolicyWatch:
    """Every Content-Security-Policy or Permissions-Policy complaint a page makes."""

    def __init__(self, page: Page):
        self.page = page
        self.messages: list[str] = []
        page.on("console", self._console)
        page.add_init_script(_RECORD_VIOLATIONS)

    def _console(self, message) -> None:
        if _POLICY_MESSAGE.search(message.text):
            self.messages.append(f"{message.text} ({message.location.get('url')})")

    def violations(self) -> list[str]:
        seen = list(self.messages)
        if self.page.context not in _NO_JS_CONTEXTS:
            seen += self.page.evaluate("window.__policyViolations || []")
        return seen


def assert_no_policy_violations(watch: PolicyWatch) -> None:
    violations = watch.violations()
    if violations:
        lines = [f"{len(violations)} policy violation(s) on {watch.page.url}:"]
        lines.extend(f"- {violation}" for violation in violations)
        pytest.fail("\n".join(lines), pytrace=False)


def sign_in_by_session(context: BrowserContext, base_url: str, user) -> None:
    """Gives the browser the session a real sign-in leaves (tests.conftest): two-factor passed,
    with a device of theirs (their backup codes, made if they have none), for whoever has or
    must have it, as the middleware checks on every request; a password alone for everyone
    else."""
    verified = user_has_two_factor(user) or user_requires_two_factor(user)
    cookie = {
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": signed_in_session(user, verified=verified),
        "url": base_url,
        "httpOnly": True,
        "sameSite": "Lax",
    }
    context.add_cookies([cookie])


class Visitor:
    """One person at one browser: every page they reach is checked for accessibility, and for
    anything the Content-Security-Policy had to block."""

    def __init__(self, page: Page, base_url: str, *, java_script_enabled: bool):
        self.page = page
        self.base_url = base_url
        self.java_script_enabled = java_script_enabled
        self.policy = PolicyWatch(page)

    def _loaded(self) -> None:
        # GOV.UK Frontend marks the body once its script has run: proof JavaScript is on, or off.
        body_class = self.page.locator("body").get_attribute("class") or ""
        assert ("js-enabled" in body_class.split()) == self.java_script_enabled, body_class
        assert_accessible(self.page)
        # Every button that sends a form ignores a second click (GOV.UK Frontend's Button).
        loose = self.page.locator(
            'form[method="post" i] :is(button:not([type="button"]), input[type="submit"])'
            ':not([data-prevent-double-click="true"])'
        )
        assert loose.count() == 0, [loose.nth(i).inner_html() for i in range(loose.count())]
        assert_no_policy_violations(self.policy)

    def open(self, path_or_url: str) -> int:
        """Go to a path (or a full URL, as from an email); returns the HTTP status."""
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        response = self.page.goto(url)
        self._loaded()
        return response.status

    def follow(self, target: Locator) -> None:
        """Click a link or button that loads a new page, and check that page."""
        with self.page.expect_navigation():
            target.click()
        self._loaded()

    def click_link(self, name: str, *, within: Locator | Page | None = None) -> None:
        self.follow((within or self.page).get_by_role("link", name=name, exact=True))

    def click_button(self, name: str) -> None:
        self.follow(self.page.get_by_role("button", name=name, exact=True))

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def sign_in_as(self, user) -> None:
        """Signed in as ``user`` without the sign-in pages, for journeys that are not about
        signing in (``sign_in_by_session``), then on the start page (checked like any other), as
        after a real sign-in. Signing in itself
        (the form, two-factor, ``next``, lockout) is the subject of test_two_factor.py,
        test_journeys.py, test_welsh.py, test_no_lost_text.py and test_security_policy.py, and
        each kind of role signs in for real in one journey or more."""
        sign_in_by_session(self.page.context, self.base_url, user)
        self.open("/")

    @property
    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()


def sign_in(visitor: Visitor, email: str, password: str) -> None:
    visitor.open("/account/sign-in/")
    visitor.fill("Email address", email)
    visitor.fill("Password", password)
    visitor.click_button("Sign in")


def pass_two_factor(visitor: Visitor, code: str) -> None:
    assert visitor.heading() == "Enter your security code"
    visitor.fill("Security code", code)
    visitor.click_button("Continue")


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def java_script_enabled(request) -> bool:
    return request.param


@pytest.fixture
def new_visitor(
    browser: Browser, live_server, java_script_enabled: bool, settings
) -> Iterator[Callable[[], Visitor]]:
    """Makes a visitor in a fresh browser context (no cookies), JavaScript on or off."""
    # Links in emails lead to the server the browser talks to, as `make run` arranges.
    settings.CSP_SITE_URL = live_server.url
    contexts = []

    def make() -> Visitor:
        context = browser.new_context(java_script_enabled=java_script_enabled)
        context.set_default_timeout(WAIT_LIMIT_MS)
        if java_script_enabled:
            context.add_init_script(script=_AXE_SOURCE)
        else:
            _NO_JS_CONTEXTS.add(context)
        contexts.append(context)
        return Visitor(context.new_page(), live_server.url, java_script_enabled=java_script_enabled)

    yield make
    for context in contexts:
        _NO_JS_CONTEXTS.discard(context)
        context.close()


@pytest.fixture
def visitor(new_visitor) -> Visitor:
    return new_visitor()


class _JsonLines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def _what_must_not_be_logged() -> set[str]:
    """Names, addresses and pseudonyms in the database now, and the tokens that were handed out
    (API tokens by their prefix, invitation links, sign-in sessions)."""
    from django.contrib.sessions.models import Session
    from django.core import mail

    from accounts.models import ApiToken, User
    from casereviews.models import CaseReview
    from reviews.models import DomesticHomicideReview

    words = set()
    for user in User.objects.all():
        words |= {user.email, user.full_name}
    for review in DomesticHomicideReview.objects.all():
        words |= {review.victim_pseudonym, review.perpetrator_pseudonym, review.chair_name}
    for case in CaseReview.objects.all():
        words |= {case.applicant_name, case.applicant_email, case.location}
    words |= set(ApiToken.objects.values_list("prefix", flat=True))
    words |= set(Session.objects.values_list("session_key", flat=True))
    for message in mail.outbox:
        words |= set(re.findall(r"/account/invitations/([^/\s]+)/", message.body))
    return {word for word in words if word and len(word) >= 4}


@pytest.fixture
def logs_hold_no_personal_data(live_server):
    """Every log line written while the journey runs (web requests, tasks, emails), as JSON,
    holds none of the people's names, addresses, pseudonyms or tokens."""
    handler = _JsonLines()
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    assert any('"logger": "csp_portal.requests"' in line for line in handler.lines), (
        "the journey's requests were logged"
    )
    leaked = sorted(
        word for word in _what_must_not_be_logged() if any(word in line for line in handler.lines)
    )
    assert leaked == [], f"logged: {leaked}"
