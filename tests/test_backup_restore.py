"""The backup drill of the README: dump the database, restore it into a fresh one, copy the media,
and the demo is the same, page for page and PDF for PDF.

The demo is seeded (its plan PDFs made by the worker, in the test's process), every demo login is
signed in, and then the database is dumped with ``pg_dump`` and restored with ``pg_restore`` into
a new database. Every table of the restored copy holds the same rows. Without the media,
``check_media`` names the PDFs that are missing; with them copied, nothing is missing. Then each
demo login walks the pages it can reach, once on the original and once on the restored copy (both
walks start from the dumped state, since reading a page can write: a review's read log, the
session), with the session it signed in with before the dump, and each page and PDF reads the same.

What is walked, to stay near a minute: from the home page, every link of every page, each kind of
page (URL name) once per login, and each PDF (made ones and those drawn on request) once per walk.
That every row of every table is the same covers the records the walk does not open.
"""

import re
import shutil
import subprocess
from collections import deque
from functools import cache
from io import BytesIO, StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import Resolver404, resolve
from pypdf import PdfReader

from accounts.models import User
from demo.partnerships import PEOPLE
from partnerships.management.commands.check_media import missing_files

from .conftest import signed_in

pytestmark = pytest.mark.slow

LINK = re.compile(r'href="(/[^"#?]*)')
# Not pages of the service: sign-out and the language toggle (they change the session), Django's
# admin, the API and its docs, files.
NOT_WALKED = (
    "/account/sign-out",
    "/account/language/",
    "/admin/",
    "/api/",
    "/static/",
    "/media/",
    "/favicon.ico",
)
# What differs between two renders of the same page a few seconds apart.
VARYING = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    # A form that makes something carries a new one-time submission token each time it is shown.
    (re.compile(r'<input[^>]*name="submission_token"[^>]*>'), '<input name="submission_token">'),
    # So does the public ASB case review application form, with a token of its own.
    (re.compile(r'<input[^>]*name="application_token"[^>]*>'), '<input name="application_token">'),
    (re.compile(r"\b\d{2}:\d{2}\b"), "HH:MM"),  # a read or an audit event "at 14:05"
    # Setting up a new authenticator shows a new secret, as a QR code and as text, each time.
    (re.compile(r'src="data:image/svg\+xml;base64,[^"]*"'), 'src="data:image/svg+xml"'),
    (re.compile(r'data-testid="totp-secret">[A-Z2-7]+<'), 'data-testid="totp-secret"><'),
]


def _postgres(*command: str, database: str = "") -> None:
    settings = connection.settings_dict
    subprocess.run(
        [
            *command,
            f"--host={settings['HOST'] or '127.0.0.1'}",
            f"--port={settings['PORT'] or 5432}",
            f"--username={settings['USER'] or 'postgres'}",
            *([database] if database else []),
        ],
        env={"PGPASSWORD": settings["PASSWORD"] or "", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )


def _use_database(name: str) -> None:
    connections.close_all()
    connection.settings_dict["NAME"] = name


def _rows() -> dict[str, list[tuple]]:
    """Every row of every table the project's models (and their many-to-many tables) have."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _normalised(response) -> tuple:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type == "application/pdf":
        # Drawn-on-request PDFs carry the moment they were made; their text is the document.
        return (
            response.status_code,
            "pdf",
            [page.extract_text() for page in PdfReader(BytesIO(body)).pages],
        )
    text = body.decode()
    for pattern, replacement in VARYING:
        text = pattern.sub(replacement, text)
    return (response.status_code, content_type, response.get("Location", ""), text)


@cache
def _kind(url: str) -> str | None:
    """The URL name of the page at ``url`` (None for no page): the same in both walks."""
    try:
        return resolve(url).view_name
    except Resolver404:
        return None


def _walk(clients: dict) -> dict[tuple[str, str], tuple]:
    """(login, URL) -> the normalised response, for each kind of page each login reaches.

    Each login queues an address once, and an address is resolved once for both walks: a page
    links to the same few dozen addresses as the pages before it, and an address met again is
    one already walked or already passed over (its kind walked, or no page), so the walk is the
    same without resolving it each time it is met (26,746 times in the two walks, for 1,588
    pages: 16 of the drill's 513 profiled seconds)."""
    seen_pdfs: set[str] = set()
    pages = {}
    for email, client in clients.items():
        kinds: set[str] = set()
        queue = deque(["/"])
        queued = {"/"}

        def enqueue(urls, queue=queue, queued=queued):
            for url in urls:
                if url not in queued:
                    queued.add(url)
                    queue.append(url)

        while queue:
            url = queue.popleft()
            if url.startswith(NOT_WALKED):
                continue
            kind = _kind(url)
            if kind is None:
                continue
            if kind in kinds or kind in seen_pdfs:
                continue
            kinds.add(kind)
            response = client.get(url)
            pages[email, url] = _normalised(response)
            if response.get("Content-Type") == "application/pdf":
                seen_pdfs.add(kind)
            elif response.status_code in {301, 302}:
                enqueue([response["Location"].split("?")[0]])
            elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
                enqueue(LINK.findall(response.content.decode()))
    return pages


@pytest.fixture
def restored_database(transactional_db):
    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored"
    _postgres("dropdb", "--if-exists", "--force", database=restored)
    _postgres("createdb", "--template=template0", database=restored)
    yield original, restored
    _use_database(original)
    _postgres("dropdb", "--if-exists", "--force", database=restored)


def test_a_restored_dump_with_its_media_serves_the_same_demo(restored_database, settings, tmp_path):
    original, restored = restored_database
    call_command("seed_demo", stdout=StringIO())
    clients = {person.email: signed_in(User.objects.get(email=person.email)) for person in PEOPLE}
    dump = tmp_path / "csp.dump"
    _postgres("pg_dump", "--format=custom", f"--file={dump}", database=original)
    _postgres("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump))
    rows = _rows()
    media = settings.MEDIA_ROOT

    _use_database(restored)
    assert _rows() == rows
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="missing from storage"):
        call_command("check_media", stdout=StringIO())
    checked, missing = missing_files()
    # The demo's files: its plan PDFs and Safer Trafford's logo.
    assert checked > 0 and {row.model for row in missing} == {
        "plans.plandocument",
        "partnerships.partnership",
    }
    shutil.copytree(media, settings.MEDIA_ROOT)
    call_command("check_media", stdout=StringIO())

    _use_database(original)
    settings.MEDIA_ROOT = media
    before = _walk(clients)
    _use_database(restored)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    after = _walk(clients)

    assert len(before) > 100
    pdfs = {url for (_login, url), response in before.items() if response[1] == "pdf"}
    assert any("/documents/plan/download/" in url for url in pdfs)  # made by the worker
    assert any(url.endswith("/pdf/") for url in pdfs)  # drawn on request
    assert {page: response[0] for page, response in before.items() if response[0] >= 400} == {}
    assert [page for page in before if before[page] != after.get(page)] == []
    assert after.keys() == before.keys()
