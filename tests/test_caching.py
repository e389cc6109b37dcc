"""Nothing a signed-in person is shown may sit in a shared or browser cache: every authenticated
response, and every response that sets a cookie or varies on the session, is
``Cache-Control: private, no-store``. Only the public summary's PDF, fetched anonymously, keeps
its public caching.

The walk covers every URL under /p/<partnership>/ (pages, downloads and API routes alike), read
by the coordinator of the partnership that owns the records, whatever each answers.
"""

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.models import Membership, Role
from tests.api.conftest import bearer, token_for
from tests.reviews.builders import url

from .conftest import signed_in
from .test_isolation import (  # noqa: F401 -- fixtures
    TENANT_URLS,
    _argument,
    media_root,
    two_partnerships,
    walked_partnerships,
)

pytest_plugins = ["tests.reviews.builders"]

PRIVATE = "private, no-store"


@pytest.mark.parametrize(("url_name", "arguments"), TENANT_URLS, ids=[n for n, _ in TENANT_URLS])
def test_every_partnership_url_is_private_to_its_reader(two_partnerships, url_name, arguments):
    _a, b = two_partnerships
    kwargs = {
        name: _argument(name, b, url_name) for name in arguments if name != "partnership_slug"
    }
    coordinator = Membership.objects.filter(partnership=b, role=Role.COORDINATOR).first().user

    response = signed_in(coordinator).get(
        reverse(url_name, kwargs={"partnership_slug": b.slug, **kwargs})
    )

    assert response["Cache-Control"] == PRIVATE, f"{url_name} answered {response.status_code}"


@pytest.mark.parametrize(
    "page",
    ["detail", "chronology", "documents", "access_log", "document_download"],
)
def test_a_reviews_pages_and_documents_are_never_cached(dhr, attached_document, coordinator, page):
    kwargs = {"review_document_id": attached_document.pk} if page == "document_download" else {}

    response = signed_in(coordinator).get(url(page, dhr, **kwargs))

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_an_api_call_with_a_token_is_never_cached(coordinator):
    client = bearer(token_for(coordinator))

    answered = client.get("/api/v1/partnerships/")
    refused = Client(headers={"Authorization": "Bearer not-a-token"}).get("/api/v1/partnerships/")

    assert answered.status_code == 200
    assert answered["Cache-Control"] == PRIVATE
    assert refused.status_code == 401
    assert refused["Cache-Control"] == PRIVATE


def test_a_page_that_sets_a_cookie_is_never_cached(client, db):
    response = client.get(reverse("accounts:login"))

    assert response.cookies
    assert response["Cache-Control"] == PRIVATE


def test_an_anonymous_page_that_varies_on_the_session_is_never_cached(client, db):
    response = client.get(reverse("pages:accessibility"))

    assert response.status_code == 200
    assert "Cookie" in response["Vary"]
    assert response["Cache-Control"] == PRIVATE
