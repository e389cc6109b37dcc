"""Every response carries a Content-Security-Policy that refuses inline code and framing, and a
Permissions-Policy that refuses the browser features the service never uses.
(tests/browser/ fails on any violation, so every page is proved to work under them.)"""

import pytest
from django.urls import reverse

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.fixture
def responses(client, coordinator):
    return [
        client.get(reverse("accounts:login")),
        client.get(reverse("pages:accessibility")),
        client.get("/no-such-page/"),
        signed_in(coordinator).get(reverse("partnerships:about", args=["trafford"])),
        client.get("/api/v1/partnerships/"),
    ]


def test_the_content_security_policy_refuses_inline_code_and_framing(responses):
    for response in responses:
        policy = _directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        for directive in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in policy[directive]
            assert "'unsafe-eval'" not in policy[directive]
            assert set(policy[directive]) - {"'self'"} <= {
                value for value in policy[directive] if value.startswith("'nonce-")
            }, policy[directive]


def test_the_api_docs_inline_code_carries_the_nonce(client, db):
    for path in (reverse("api:docs"), reverse("api:redoc")):
        response = client.get(path)
        nonces = {
            value
            for value in _directives(response["Content-Security-Policy"])["script-src"]
            if value.startswith("'nonce-")
        }
        assert len(nonces) == 1, path
        nonce = nonces.pop().removeprefix("'nonce-").removesuffix("'")
        page = response.content.decode()
        assert page.count("<script>") == 0, path
        assert page.count(f'<script nonce="{nonce}">') == 1, path


def test_the_permissions_policy_refuses_unused_features(responses):
    for response in responses:
        header = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in header
