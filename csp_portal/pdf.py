"""Statutory documents as tagged, accessible PDFs (PDF/UA-1), drawn by WeasyPrint from templates.

A document template extends ``documents/base.html`` and fills its blocks:

- ``cover``: partnership, title, period, version, the ``status`` block and the protective marking;
- ``contents``: a contents page from ``contents``, with page numbers;
- ``body``: the document itself, one ``<section id="…">`` with an ``<h2>`` per contents entry.

and is given this context (everything but ``document_title`` is optional):

- ``partnership``: its ``name`` is the PDF's author and heads every page;
- ``document_title``: the PDF's title and the cover's heading;
- ``period`` and ``version``: already-worded strings for the cover;
- ``approved_on`` (a date) and ``approved_by``: "Approved on 3 March 2026 by …";
- ``status_line``: an already-translated line for the cover when there is no ``approved_on``;
- ``protective_marking``: e.g. "OFFICIAL-SENSITIVE" or "DRAFT", on the cover and at the top and
  bottom of every page;
- ``contents``: ``(anchor_id, title)`` pairs;
- ``created``: the creation date written to the PDF; ``render_pdf`` sets it to now;
- ``identity``: the partnership's public identity (``partnerships.identity.document_identity``):
  its public name heads every page, its logo (embedded, with alt text) and accent colour go on
  the cover or the title block;
- ``layout``: set by ``render_pdf``, "long" or "short" (below).

**Layout by length.** A long document opens with a cover and a contents page; a short one (a
body of fewer than ``LONG_FROM_PAGES`` pages) opens with a title block on its first page and
has no contents page: a two-page summary is not four pages with half of them empty. Each
document says which it expects (``layout=``): it is rendered that way, and rendered once more
the other way only when its length proves the guess wrong, so the plan (always long) and the
executive summary (nearly always short) are rendered once.

The language is the active one: a task that renders outside a request wraps the call in
``translation.override(...)``.
"""

import base64
import mimetypes
import posixpath
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PRINT_STYLESHEET = "css/print.css"
LONG = "long"
SHORT = "short"
# A body this many pages long or longer earns a cover and a contents page.
LONG_FROM_PAGES = 5
# The anchor on the document's <main> (documents/base.html): where the body starts.
BODY_ANCHOR = "document-body"
PDF_VARIANT = "pdf/ua-1"
HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")
# Without a request (a Celery task) relative URLs resolve against this reserved name; the
# fetcher maps its static URLs to files, so it is never contacted.
OFFLINE_BASE_URL = "https://csp-portal.invalid/"
# Images a document carries inside itself (the logo): PNG and JPEG only, never SVG.
EMBEDDED_IMAGE_PREFIXES = ("data:image/png;base64,", "data:image/jpeg;base64,")


class RefusedURL(ValueError):
    """A document asked for something other than one of our static files."""


def static_file_path(name: str) -> Path | None:
    """The file behind a static name ("css/print.css"), or None; never a path outside static."""
    name = posixpath.normpath(name)
    if name in {".", ".."} or name.startswith(("/", "../")):
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    try:  # a hashed name ("css/print.1a2b3c.css") exists only in STATIC_ROOT
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        return None
    return collected if collected.is_file() else None


class StaticFilesOnlyFetcher(URLFetcher):
    """Gives WeasyPrint our own static files and refuses every other URL."""

    def __init__(self, base_url: str):
        super().__init__(fail_on_errors=False)
        self.static_url = urljoin(base_url, settings.STATIC_URL)
        self._static = urlsplit(self.static_url)

    def fetch(self, url, headers=None):
        # Anything else would let a document make the server fetch from other hosts
        # (server-side request forgery) or read its own files (local file disclosure).
        if url.startswith(EMBEDDED_IMAGE_PREFIXES):
            # A partnership's logo, inlined by the document itself: bytes already in hand.
            header, _, payload = url.partition(",")
            content_type = header.removeprefix("data:").split(";", 1)[0]
            return URLFetcherResponse(
                url, base64.b64decode(payload), {"Content-Type": content_type}
            )
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (self._static.scheme, self._static.netloc) or (
            not parts.path.startswith(self._static.path)
        ):
            raise RefusedURL(f"Documents may only use the site's static files, not {url}")
        path = static_file_path(unquote(parts.path.removeprefix(self._static.path)))
        if path is None:
            raise RefusedURL(f"No static file at {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_pdf(
    *,
    template_name: str,
    context: dict,
    request: HttpRequest | None = None,
    layout: str = SHORT,
) -> bytes:
    """Render a template that extends documents/base.html to a PDF/UA-1 document, long (cover
    and contents) or short as its length needs; ``layout`` is the first guess."""
    base_url = request.build_absolute_uri("/") if request is not None else OFFLINE_BASE_URL
    fetcher = StaticFilesOnlyFetcher(base_url)
    stylesheets = _stylesheets(fetcher)
    identity = context.get("identity")
    if identity is not None and HEX_COLOUR.fullmatch(identity.accent_colour or ""):
        # Checked for contrast when it was set (partnerships/identity.py); a hex code, nothing else.
        stylesheets.append(CSS(string=f":root {{ --accent: {identity.accent_colour}; }}"))
    context = {"created": timezone.now(), **context}

    def render(layout: str):
        html = render_to_string(template_name, {**context, "layout": layout}, request)
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return document.render(stylesheets=stylesheets, pdf_variant=PDF_VARIANT)

    document = render(layout)
    wanted = LONG if body_pages(document) >= LONG_FROM_PAGES else SHORT
    if wanted != layout:
        document = render(wanted)
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def body_pages(document) -> int:
    """How many pages the body of a rendered document runs to: after its cover and contents."""
    for number, page in enumerate(document.pages):
        if BODY_ANCHOR in page.anchors:
            return len(document.pages) - number
    return len(document.pages)


def _stylesheets(fetcher: StaticFilesOnlyFetcher) -> list[CSS]:
    stylesheet = static_file_path(PRINT_STYLESHEET)
    if stylesheet is None:
        raise FileNotFoundError(f"The print stylesheet {PRINT_STYLESHEET} is missing.")
    return [
        # Read from disk, with its static URL as base so that any url() in it is a static file.
        CSS(
            string=stylesheet.read_text(encoding="utf-8"),
            base_url=urljoin(fetcher.static_url, PRINT_STYLESHEET),
            url_fetcher=fetcher,
        ),
        CSS(string=_page_number_css(), url_fetcher=fetcher),
    ]


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """The PDF shown in the browser, never kept by a shared cache."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _inline_disposition(filename)
    response["Content-Length"] = str(len(pdf))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _page_number_css() -> str:
    """The footer's "Page N of M", from one sentence that translators see whole."""
    # Translators: the footer of every page of a PDF document, e.g. "Page 3 of 12".
    sentence = gettext("Page %(page)s of %(pages)s")
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    content = " ".join(
        counters.get(part) or _css_string(part)
        for part in re.split(r"(%\(pages?\)s)", sentence)
        if part
    )
    return f"@page {{ @bottom-right {{ content: {content}; }} }}"


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def _inline_disposition(filename: str) -> str:
    """``inline; filename="…"`` with a plain ASCII name, and the UTF-8 name when they differ."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", filename.replace("\\", "/").rsplit("/", 1)[-1])
    stem = re.sub(r"\.pdf$", "", name.strip(), flags=re.IGNORECASE).strip(" .") or "document"
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9 ._()-]+", "-", ascii_stem).strip(" .-") or "document"
    header = f'inline; filename="{ascii_stem}.pdf"'
    if not stem.isascii():
        header += f"; filename*=UTF-8''{quote(stem + '.pdf')}"
    return header
