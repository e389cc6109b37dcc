"""Running it as a service: /healthz, /readyz, /metrics, request ids and JSON log lines."""

import json
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csp_portal import health
from csp_portal.logs import JsonFormatter, current_request_id
from tests.conftest import signed_in

TOKEN = "metrics-token-for-tests-0123456789"


def test_healthz_answers_without_a_session_a_database_or_the_https_redirect(settings):
    # No database fixture: a query would raise.
    settings.SECURE_SSL_REDIRECT = True  # production: every other URL redirects to https
    settings.ALLOWED_HOSTS = ["csp-portal.example"]  # the check comes from the container itself
    response = Client().get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_names_each_component_and_says_ok(settings, media_root):
    media_root.mkdir(parents=True)
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "object_store": "ok",
    }


@pytest.mark.django_db
def test_readyz_is_503_naming_only_what_failed(settings, media_root, monkeypatch):
    media_root.mkdir(parents=True)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    def frozen():
        import time

        time.sleep(5)

    monkeypatch.setitem(health.CHECKS, "database", frozen)
    settings.CSP_READY_TIMEOUT = 0.5
    started = timezone.now()
    response = Client().get("/readyz")
    assert (timezone.now() - started).total_seconds() < 3, "the short timeout holds"
    assert response.status_code == 503
    # No error text, host or version: just each component's word.
    assert response.json() == {
        "status": "fail",
        "database": "fail",
        "redis": "fail",
        "object_store": "ok",
    }


def test_metrics_is_not_there_without_a_token_and_refuses_a_wrong_one(settings):
    settings.CSP_METRICS_TOKEN = ""
    assert Client().get("/metrics").status_code == 404
    settings.CSP_METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 401
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")


def _metric(text: str, prefix: str) -> float:
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    assert lines, f"no {prefix} in the metrics"
    return float(lines[0].rsplit(" ", 1)[1])


def metrics_text() -> str:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return response.content.decode()


def test_metrics_count_requests_by_view_status_latency_and_queries(settings, coordinator):
    settings.CSP_METRICS_TOKEN = TOKEN
    client = signed_in(coordinator)
    view = 'view="partnerships:about"'
    key = f'csp_http_requests_total{{method="GET",status="200",{view}}}'
    before = metrics_text()
    count_before = _metric(before, key) if key in before else 0.0
    slug = coordinator.memberships.get().partnership.slug
    assert client.get(f"/p/{slug}/about/").status_code == 200

    after = metrics_text()
    assert _metric(after, key) == count_before + 1
    assert f'csp_http_request_duration_seconds_bucket{{le="0.01",{view}}}' in after
    assert _metric(after, f"csp_http_request_db_queries_count{{{view}}}") >= 1
    assert _metric(after, f"csp_http_request_db_queries_sum{{{view}}}") >= 1
    assert "csp_outbox_backlog 0.0" in after


def test_one_json_line_per_request_without_the_path_or_query(coordinator, caplog):
    client = signed_in(coordinator)
    slug = coordinator.memberships.get().partnership.slug
    with caplog.at_level(logging.INFO, logger="csp_portal.requests"):
        response = client.get(
            f"/p/{slug}/about/?secret-token=abc123", HTTP_X_REQUEST_ID="lb-0123456789"
        )
    records = [r for r in caplog.records if r.name == "csp_portal.requests"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "lb-0123456789" == response["X-Request-ID"]
    assert line["view"] == "partnerships:about"
    assert line["status"] == 200
    assert line["db_queries"] > 0
    assert "duration_ms" in line
    assert "abc123" not in json.dumps(line) and slug not in json.dumps(line)
    assert current_request_id() == "", "the id does not outlive its request"


def test_a_request_id_that_is_not_a_plain_token_is_replaced(coordinator):
    response = signed_in(coordinator).get("/", HTTP_X_REQUEST_ID="x\r\nInjected: yes")
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db(transaction=True)
def test_an_email_sent_while_serving_a_request_carries_its_id(coordinator):
    response = Client().post(
        reverse("accounts:password_reset"),
        {"email": coordinator.email},
        HTTP_X_REQUEST_ID="req-abcdef123456",
    )
    assert response.status_code in {200, 302}
    assert [message.extra_headers.get("X-Request-ID") for message in mail.outbox] == [
        "req-abcdef123456"
    ]
