"""The Content-Security-Policy and Permissions-Policy hold in a real browser.

Every page a journey reaches goes through ``Visitor``, which fails on anything either policy
blocked or could not read; the first test proves that it notices. The API docs are not our pages
(axe does not judge them) but run under the same policy: their inline code carries the nonce.
"""

import pytest
from playwright.sync_api import Browser, expect

from .conftest import PolicyWatch, assert_no_policy_violations

pytestmark = pytest.mark.browser

PROBE = (
    '<!DOCTYPE html><html lang="en"><head><title>Probe</title><style>p { margin: 0 }</style>'
    '</head><body><p style="color: #0b0c0c">Probe</p></body></html>'
)


def test_a_visitor_notices_what_the_policy_blocks(visitor):
    url = visitor.base_url + "/policy-probe/"
    visitor.page.route(
        url,
        lambda route: route.fulfill(
            body=PROBE,
            content_type="text/html",
            headers={"Content-Security-Policy": "style-src 'self'"},
        ),
    )

    visitor.page.goto(url)

    violations = visitor.policy.violations()
    assert violations and all("style" in violation for violation in violations)


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/api/v1/docs/", ".swagger-ui .info .title"), ("/api/v1/redoc/", "h1")],
    ids=["swagger-ui", "redoc"],
)
def test_the_api_docs_run_under_the_policy(browser: Browser, live_server, db, path, rendered):
    page = browser.new_context().new_page()
    watch = PolicyWatch(page)

    response = page.goto(live_server.url + path)

    assert "'nonce-" in response.headers["content-security-policy"]
    expect(page.locator(rendered).first).to_contain_text("CSP Portal API")
    page.wait_for_load_state("networkidle")
    assert_no_policy_violations(watch)
    page.context.close()
