"""The layout, the public pages and the error pages."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from django.template.base import Lexer, TokenType
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accessibility/", "Accessibility statement"),
        ("/cookies/", "Cookies"),
        ("/privacy/", "Privacy notice"),
    ],
)
def test_public_pages_need_no_sign_in(client, url, heading, db):
    page = client.get(url).content.decode()
    assert re.search(rf"<h1[^>]*>\s*{heading}", page)
    assert "Skip to main content" in page


def test_the_layout_carries_no_gov_uk_branding(client, db):
    page = client.get("/account/sign-in/").content.decode()
    css = (ROOT / "static" / "css" / "app.css").read_text()
    assert "govuk-header__logo" not in page and "crown" not in page.lower()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "CSP Portal" in page


def test_an_unknown_page_gets_the_not_found_page_in_the_layout(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Skip to main content" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/sign-in/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


@pytest.mark.parametrize("sent", ["malformed multipart", "over the size limit", "unknown host"])
def test_a_request_that_cannot_be_read_gets_the_bad_request_page_in_the_layout(
    client, settings, db, sent
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    if sent == "malformed multipart":
        response = client.post(
            "/account/sign-in/", "--x\r\nbroken", content_type="multipart/form-data"
        )
    elif sent == "over the size limit":
        response = client.post("/account/sign-in/", {"username": "a" * 2000, "password": "b"})
    else:
        response = client.get("/account/sign-in/", headers={"host": "elsewhere.example"})

    page = response.content.decode()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Sorry, what your browser sent could not be read" in page
    assert "Skip to main content" in page
    assert response["Content-Security-Policy"]


def test_the_bad_request_page_renders_without_a_request():
    from csp_portal.errors import bad_request

    response = bad_request(None)
    assert response.status_code == 400
    assert "Sorry, what your browser sent could not be read" in response.content.decode()


def test_the_server_error_page_renders_without_a_request():
    from csp_portal.errors import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def _untranslated_text(source: str) -> list[str]:
    """Visible text in a template that sits outside translate / blocktranslate tags."""
    kept, inside_block = [], False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0]
            inside_block = word in {"blocktranslate", "blocktrans"} or (
                inside_block and word not in {"endblocktranslate", "endblocktrans"}
            )
            kept.append(" ")
        elif token.token_type == TokenType.TEXT and not inside_block:
            kept.append(token.contents)
        else:
            kept.append(" ")
    html = re.sub(
        r"<(script|style|code)\b.*?</\1>|<[^>]*>|&[#\w]+;", " ", "".join(kept), flags=re.S
    )
    return re.findall(r"[A-Za-z][A-Za-z']+(?:\s+[A-Za-z][A-Za-z']+)*", html)


def test_every_user_facing_template_string_is_marked_for_translation():
    untranslated = {}
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = _untranslated_text(path.read_text())
        if text:
            untranslated[str(path.relative_to(ROOT))] = text
    for path in (ROOT / "templates").glob("**/*.html"):
        text = _untranslated_text(path.read_text())
        if text:
            untranslated[str(path.relative_to(ROOT))] = text
    assert untranslated == {}


def test_docker_compose_defines_a_real_deployment():
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
    assert set(services) == {
        "web", "worker", "beat", "postgres", "redis", "minio", "minio-bucket"
    }  # fmt: skip
    for name in ("web", "worker", "postgres", "redis", "minio"):
        assert services[name]["healthcheck"]["test"], name
    # The load balancer's check: the database, Redis and the object store answer.
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    # Web and worker share the object store, not a volume.
    for name in ("web", "worker"):
        assert services[name]["environment"]["CSP_STORAGE"] == "s3"
        assert services[name]["environment"]["CSP_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert not services[name].get("volumes"), name
    assert (
        "gunicorn" in " ".join(services["web"]["command"])
        if isinstance(services["web"]["command"], list)
        else "gunicorn" in services["web"]["command"]
    )
    assert services["web"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"


def test_docker_compose_refuses_to_start_without_secrets():
    checked = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert checked.returncode != 0
    assert "DJANGO_SECRET_KEY" in checked.stderr


def test_the_cookies_page_states_the_configured_idle_time(client, settings, db):
    settings.SESSION_COOKIE_AGE = 20 * 60
    assert "After 20 minutes of inactivity" in client.get("/cookies/").content.decode()


def test_email_file_path_comes_from_the_environment(tmp_path):
    """The file email backend writes where EMAIL_FILE_PATH says (settings read the environment
    once, at start-up, so a fresh interpreter reads them)."""
    import os
    import sys

    script = (
        "import django; django.setup(); from django.core import mail; "
        "mail.send_mail('Subject', 'Body', None, ['someone@example.org'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "outgoing"),
    }
    sent = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert sent.returncode == 0, sent.stderr
    (written,) = (tmp_path / "outgoing").iterdir()
    assert "Subject: Subject" in written.read_text()
