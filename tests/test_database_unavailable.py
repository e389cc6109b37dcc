"""A database that is down, frozen or too slow costs a request seconds, never a hung worker: the
visitor gets a branded 503 with Retry-After (the API its error shape), rendered without asking
the database again, and the log one line per request.

A frozen server is played by a socket that accepts connections and never says anything; the
default connection is pointed at it, outside any test transaction."""

import logging
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from csp_portal.unavailable import OneLineWhenDatabaseUnavailable

ROOT = Path(__file__).resolve().parents[1]

# Long enough to see that nothing waits for it: on a site without a connect timeout the request
# would hang until then (the socket closes, and the connection attempt fails at last).
HANG_FOR = 20

# tests.test_database_unavailable as a URLconf: the site, and a page whose query takes seconds.


def slow_page(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    return HttpResponse("done")


urlpatterns = [path("slow/", slow_page), path("", include("csp_portal.urls"))]
handler500 = "csp_portal.errors.server_error"


@pytest.fixture
def frozen_server():
    """A port where the kernel completes each connection and nobody ever answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    closer = threading.Timer(HANG_FOR, server.close)
    closer.start()
    yield server.getsockname()[1]
    closer.cancel()
    server.close()


def _point_default_connection(**changes):
    """Reconnect the default connection with ``changes`` to its settings; returns the undo."""
    connection.close()
    saved = {key: connection.settings_dict[key] for key in changes}
    saved_options = dict(connection.settings_dict["OPTIONS"])
    for key, value in changes.items():
        if key == "OPTIONS":
            connection.settings_dict["OPTIONS"] = {**saved_options, **value}
        else:
            connection.settings_dict[key] = value

    def undo():
        connection.close()
        connection.settings_dict.update(saved)
        connection.settings_dict["OPTIONS"] = saved_options

    return undo


@pytest.fixture
def frozen_database(frozen_server, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        undo = _point_default_connection(HOST="127.0.0.1", PORT=str(frozen_server))
        yield
        undo()


@pytest.fixture
def database_log(caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        yield caplog


def _timed(client, url, **extra):
    started = time.monotonic()
    response = client.get(url, **extra)
    return response, time.monotonic() - started


def _one_line(log) -> logging.LogRecord:
    (record,) = [r for r in log.records if r.name == "django.request"]
    assert record.exc_info is None
    assert "database unavailable: OperationalError" in record.getMessage()
    return record


def test_the_settings_bound_every_wait_for_the_database():
    options = connection.settings_dict["OPTIONS"]
    assert options["connect_timeout"] == 5


@pytest.mark.django_db
def test_every_connection_has_a_statement_and_a_lock_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]
    assert (statement, lock) == ("30s", "10s")


def test_a_frozen_database_is_a_branded_503_within_seconds(frozen_database, database_log):
    response, elapsed = _timed(Client(raise_request_exception=False), "/plans/")

    assert response.status_code == 503
    assert elapsed < 8
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Try again in a few minutes" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert _one_line(database_log).getMessage().startswith("Service Unavailable: /plans/")


def test_a_signed_in_visitor_waits_once_not_once_per_middleware(frozen_database, database_log):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32  # read through the database by every page

    response, elapsed = _timed(client, "/p/trafford/")

    assert response.status_code == 503
    assert elapsed < 8  # one connection attempt, not one for the user and one for the session
    _one_line(database_log)
    assert "sessionid" not in response.cookies  # nothing said about the session either way


def test_the_api_answers_503_in_its_error_shape(frozen_database, database_log):
    response, elapsed = _timed(
        Client(raise_request_exception=False),
        "/api/v1/partnerships/",
        HTTP_AUTHORIZATION="Bearer not-checked-the-database-is-down",
    )

    assert response.status_code == 503 and elapsed < 8
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "status": 503,
        "code": "service_unavailable",
        "detail": "The service is unavailable for a moment. Try again.",
        "fields": {},
    }
    _one_line(database_log)


@pytest.mark.urls("tests.test_database_unavailable")
def test_a_statement_over_the_timeout_is_cancelled_and_answered_503(
    django_db_setup, django_db_blocker, database_log
):
    with django_db_blocker.unblock():
        undo = _point_default_connection(OPTIONS={"options": "-c statement_timeout=300ms"})
        try:
            response, elapsed = _timed(Client(raise_request_exception=False), "/slow/")
        finally:
            undo()

    assert response.status_code == 503 and elapsed < 3
    assert response["Retry-After"] == "30"
    (record,) = [r for r in database_log.records if r.name == "django.request"]
    assert record.exc_info is None
    assert "canceling statement due to statement timeout" in record.getMessage()


def test_other_errors_keep_their_traceback():
    try:
        raise ValueError("a bug")
    except ValueError:
        record = logging.makeLogRecord({"msg": "x", "exc_info": sys.exc_info()})
    OneLineWhenDatabaseUnavailable().filter(record)
    assert record.exc_info is not None


def test_the_deployment_gives_pages_their_limits_and_workers_longer():
    env = {
        "DJANGO_SECRET_KEY": "x" * 50,
        "POSTGRES_PASSWORD": "secret",
        "CSP_S3_SECRET_ACCESS_KEY": "store-secret",
        "PATH": "/usr/bin:/bin",
    }
    checked = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    services = yaml.safe_load(checked.stdout)["services"]
    # gunicorn waits longer than the database's limits, so that a page answers 503 first.
    assert "--config python:csp_portal.gunicorn" in services["web"]["command"]
    assert "CSP_DB_STATEMENT_TIMEOUT=0 python manage.py migrate" in services["web"]["command"]
    assert "CSP_DB_STATEMENT_TIMEOUT" not in services["web"]["environment"]  # 30 s
    for name in ("worker", "beat"):
        assert services[name]["environment"]["CSP_DB_STATEMENT_TIMEOUT"] == "300"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
    assert '"--config", "python:csp_portal.gunicorn"' in (ROOT / "Dockerfile").read_text()
    from csp_portal import gunicorn

    assert gunicorn.timeout == 60
