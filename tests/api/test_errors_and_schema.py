"""One error shape for everything under /api/, whoever raises it, and a schema that is valid,
documents bearer tokens, and is served with its docs from our own static files."""

import pytest
from django.core.management import call_command
from django.test import Client

from plans.models import ProgressUpdate
from tests.conftest import signed_in

from .conftest import api

pytestmark = pytest.mark.django_db

SHAPE = {"status", "code", "detail", "fields"}


def test_an_unknown_api_address_is_a_json_404(police_officer):
    for client in (Client(), api(police_officer)):
        response = client.get("/api/v1/no-such-thing/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == SHAPE
        assert response.json()["code"] == "not_found"


def test_a_method_a_route_does_not_take_is_a_405_in_the_shape(police_officer):
    response = api(police_officer).delete("/api/v1/contribution-requests/")
    assert response.status_code == 405
    assert set(response.json()) == SHAPE
    assert response.json()["code"] == "method_not_allowed"


def test_an_oversized_body_is_refused_before_it_is_read(police_officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = api(police_officer).post(
        "/api/v1/p/trafford/actions/1/progress/", "x" * 500, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "code": "payload_too_large",
        "detail": "The request body is too large.",
        "fields": {},
    }


@pytest.mark.parametrize("body", ["malformed multipart", "over the size limit"])
def test_a_body_that_cannot_be_read_is_refused_in_the_shape(police_officer, action, settings, body):
    """Signed in with a session (as the browsable docs are), so Django's CSRF check reads it."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = signed_in(police_officer)
    url = f"/api/v1/p/trafford/actions/{action.pk}/progress/"
    if body == "malformed multipart":
        response = client.post(url, "--x\r\nbroken", content_type="multipart/form-data")
    else:
        response = client.post(url, {"narrative": "a" * 2000})

    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == SHAPE
    assert (response.status_code, response.json()["status"]) == {
        "malformed multipart": (415, 415),
        "over the size limit": (413, 413),
    }[body]
    assert not ProgressUpdate.objects.exists()


def test_pages_outside_the_api_keep_their_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_is_valid_with_no_warnings(tmp_path):
    """drf-spectacular's own validation (OpenAPI 3 JSON schema); any warning fails."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_the_schema_documents_bearer_tokens_and_the_error_shape(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token, made on your account page (Your API tokens).",
    }
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == SHAPE
    draft = schema["paths"][
        "/api/v1/p/{partnership_slug}/contribution-requests/{contribution_id}/draft/"
    ]["put"]
    assert {"200", "400", "401", "404", "413", "415"} <= set(draft["responses"])
    assert {"bearerAuth": []} in draft["security"]


def test_the_docs_load_their_assets_from_this_server(client):
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        page = client.get(path).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page, path
        assert "cdn" not in page.lower(), path


def test_the_reference_page_lists_every_operation_in_the_service_layout(client):
    page = client.get("/api/v1/reference/").content.decode()
    assert '<html lang="en"' in page and '<main class="govuk-main-wrapper"' in page
    assert "/api/v1/p/{partnership_slug}/contribution-requests/{contribution_id}/draft/" in page
    assert 'id="' in page and '<strong class="govuk-tag govuk-tag--grey">PUT</strong>' in page
    assert 'href="/api/v1/schema/?format=json"' in page
    assert client.get("/api/v1/schema/?format=json")["Content-Type"].startswith(
        "application/vnd.oai.openapi+json"
    )
    assert "swagger" not in page.lower()
