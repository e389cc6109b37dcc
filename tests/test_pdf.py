"""The machinery every statutory document uses: csp_portal/pdf.py, documents/base.html, print.css.

Each document is read back with pypdf (tests/pdf.py), so that the assertions are about what a
reader or a screen reader gets, not about the HTML that went in.
"""

import base64
import datetime
import io
import logging
import re
import socket
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from PIL import Image

from csp_portal import pdf as pdf_module
from csp_portal.pdf import (
    LONG,
    OFFLINE_BASE_URL,
    RefusedURL,
    StaticFilesOnlyFetcher,
    pdf_response,
    render_pdf,
)
from partnerships.identity import DocumentIdentity

from .pdf import lonely_pages, read_pdf

WARDS = [(f"Ward {number}", number * 13) for number in range(1, 46)]
CHART_TITLE = "Burglary fell from 120 to 90 a year"

SAMPLE = """{% extends "documents/base.html" %}
{% block body %}
<section id="summary">
  <h2>Summary</h2>
  <p>Burglary fell and violence stayed level.</p>
  <p>Read the <a href="https://www.gov.uk/government/publications/example">guidance</a>.</p>
</section>
<section id="priorities" class="new-page">
  <h2>Priorities</h2>
  <h3>Reducing burglary</h3>
  <ul><li>Target hardening</li><li>Repeat victims</li></ul>
</section>
<section id="trends" class="new-page">
  <h2>Crime trends</h2>
  <figure>
    <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="A chart labelled by aria"
         viewBox="0 0 400 150" width="400" height="150">
      <title>{{ chart_title }}</title>
      <rect x="20" y="10" width="60" height="120" fill="#1d70b8"/>
      <rect x="100" y="40" width="60" height="90" fill="#1d70b8"/>
      <text x="20" y="145" font-family="DejaVu Sans" font-size="10">2024</text>
    </svg>
    <figcaption>Burglaries a year</figcaption>
  </figure>
  <table>
    <caption>Recorded crime by ward</caption>
    <thead>
      <tr><th scope="col">Ward name</th><th scope="col" class="numeric">Crimes</th></tr>
    </thead>
    <tbody>
      {% for ward, crimes in wards %}
      <tr><th scope="row">{{ ward }}</th><td class="numeric">{{ crimes }}</td></tr>
      {% endfor %}
    </tbody>
  </table>
</section>
{% endblock %}"""

LOCAL_IMAGE = """{% extends "documents/base.html" %}{% load static %}
{% block body %}
<h2>Logo</h2><img src="{% static 'images/favicon.svg' %}" alt="Our logo">
{% endblock %}"""

FOREIGN_RESOURCES = """{% extends "documents/base.html" %}
{% block head %}<link rel="stylesheet" href="http://example.com/evil.css">{% endblock %}
{% block body %}
<h2>Pictures</h2>
<p><img src="http://example.com/x.png" alt="A picture from elsewhere"></p>
<p><img src="file:///etc/passwd" alt="A local file"></p>
<p><img src="/static/../../../etc/passwd" alt="A way out of static"></p>
<p style="background: url(http://example.com/background.png)">Background</p>
<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 10 10" width="10" height="10">
  <title>A drawing</title><image href="file:///etc/hostname" width="10" height="10"/>
</svg>
{% endblock %}"""

# What the layout rules prevent, forced by hand: a page with only a heading, one with one row.
LONELY = """{% extends "documents/base.html" %}
{% block body %}
<p>Opening words.</p>
<h2 style="break-before: page">Alone</h2>
<table style="break-before: page"><caption>One row</caption>
  <thead><tr><th scope="col">Ward</th></tr></thead><tbody><tr><td>Ward 1</td></tr></tbody>
</table>
<p style="break-before: page">Closing words.</p>
{% endblock %}"""

CONTEXT = {
    "partnership": SimpleNamespace(name="Trafford Community Safety Partnership"),
    "document_title": "Strategic assessment 2026",
    "period": "April 2025 to March 2026",
    "version": "1.0",
    "approved_on": datetime.date(2026, 3, 3),
    "approved_by": "the partnership board",
    "protective_marking": "OFFICIAL-SENSITIVE",
    "contents": [("summary", "Summary"), ("priorities", "Priorities"), ("trends", "Crime trends")],
    "wards": WARDS,
    "chart_title": CHART_TITLE,
}


@contextmanager
def sample_templates():
    """documents/base.html from the project, and the sample documents from memory."""
    engine = dict(settings.TEMPLATES[0], APP_DIRS=False)
    engine["OPTIONS"] = dict(
        engine["OPTIONS"],
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    "documents/test_sample.html": SAMPLE,
                    "documents/test_local_image.html": LOCAL_IMAGE,
                    "documents/test_foreign_resources.html": FOREIGN_RESOURCES,
                    "documents/test_lonely.html": LONELY,
                },
            ),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
    with override_settings(TEMPLATES=[engine]):
        yield


@contextmanager
def weasyprint_messages():
    """What WeasyPrint logs at warning level or above while rendering."""
    records = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def render(template_name, context, request=None, **layout):
    with sample_templates(), weasyprint_messages() as messages:
        pdf = render_pdf(template_name=template_name, context=context, request=request, **layout)
    return pdf, [record.getMessage() for record in messages]


@pytest.fixture(scope="module")
def sample():
    """The sample as a long document: its three pages of body count as long here."""
    with mock.patch.object(pdf_module, "LONG_FROM_PAGES", 2):
        pdf, messages = render("documents/test_sample.html", CONTEXT, layout=LONG)
    return SimpleNamespace(pdf=pdf, doc=read_pdf(pdf), messages=messages)


def _logo_png() -> bytes:
    image = Image.new("RGB", (120, 60), "#6f2c91")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


IDENTITY = DocumentIdentity(
    name="Safer Trafford",
    accent_colour="#6f2c91",
    logo_alt="Safer Trafford logo",
    logo_data_uri="data:image/png;base64," + base64.b64encode(_logo_png()).decode(),
)


@pytest.fixture(scope="module")
def short_sample():
    """The same sample as it is: a body shorter than LONG_FROM_PAGES, with an identity."""
    calls = []
    real = pdf_module.HTML.render

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    with mock.patch.object(pdf_module.HTML, "render", counted):
        pdf, messages = render("documents/test_sample.html", {**CONTEXT, "identity": IDENTITY})
    return SimpleNamespace(pdf=pdf, doc=read_pdf(pdf), messages=messages, renders=len(calls))


def test_a_short_document_has_a_title_block_and_no_cover_or_contents(short_sample, sample):
    doc = short_sample.doc
    assert short_sample.messages == []
    assert short_sample.renders == 1  # guessed short, and short it was
    assert doc.pages < sample.doc.pages
    first = doc.page_texts[0]
    # The title block and the body share page 1, which is numbered like every other page.
    assert "Safer Trafford" in first and "Strategic assessment 2026" in first
    assert "Burglary fell and violence stayed level." in first
    assert "Page 1 of" in first
    assert "Contents" not in doc.text and "Contents" not in doc.outline
    # Sections that start a new page in a long document run on in a short one.
    assert "Priorities" in first
    # The public name heads every page; the logo is embedded with its alt text; still PDF/UA.
    assert all("Safer Trafford · Strategic assessment 2026" in text for text in doc.page_texts)
    assert "Safer Trafford logo" in doc.figure_alt_texts
    assert doc.tagged and doc.pdfua_part == "1" and doc.lang == "en"
    assert doc.title == "Strategic assessment 2026"


def test_no_page_holds_only_a_heading_or_a_lone_table_row(sample, short_sample):
    for doc in (sample.doc, short_sample.doc):
        assert sum(counts["TR"] for counts in doc.page_structure) == len(WARDS)
        assert lonely_pages(doc) == []
    # ... and the check finds such pages where they are forced.
    pdf, _messages = render("documents/test_lonely.html", {"document_title": "Lonely"})
    assert lonely_pages(read_pdf(pdf)) == [2, 3]


def test_a_document_the_guess_got_wrong_is_rendered_again_in_its_right_layout():
    calls = []
    real = pdf_module.HTML.render

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    with mock.patch.object(pdf_module.HTML, "render", counted):
        pdf, _messages = render("documents/test_sample.html", CONTEXT, layout=LONG)
    assert len(calls) == 2  # guessed long, found short, rendered short
    assert "Contents" not in read_pdf(pdf).outline


def test_the_fetcher_takes_embedded_png_and_jpeg_and_refuses_embedded_svg(no_network):
    fetcher = StaticFilesOnlyFetcher(OFFLINE_BASE_URL)
    assert fetcher.fetch(IDENTITY.logo_data_uri).read().startswith(b"\x89PNG")
    svg = "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()
    with pytest.raises(RefusedURL):
        fetcher.fetch(svg)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach the network is recorded and fails."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("a test tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_the_document_is_tagged_pdf_ua_with_language_title_and_author(sample):
    doc = sample.doc
    assert sample.pdf.startswith(b"%PDF-1.7")
    assert doc.tagged
    assert doc.pdfua_part == "1"
    assert doc.lang == "en"
    assert doc.title == "Strategic assessment 2026"
    assert doc.author == "Trafford Community Safety Partnership"


def test_rendering_the_sample_raises_no_weasyprint_warning(sample):
    assert sample.messages == []


def test_the_cover_states_partnership_period_version_and_approval(sample):
    cover = sample.doc.page_texts[0]
    for fact in (
        "Trafford Community Safety Partnership",
        "Strategic assessment 2026",
        "Period April 2025 to March 2026",
        "Version 1.0",
        "Approved on 3 March 2026 by the partnership board",
    ):
        assert fact in cover


def test_headings_become_bookmarks(sample):
    assert sample.doc.outline == [
        "Strategic assessment 2026",
        "Contents",
        "Summary",
        "Priorities",
        "Reducing burglary",
        "Crime trends",
    ]


def test_the_contents_page_gives_the_page_each_section_starts_on(sample):
    pages = sample.doc.page_texts
    contents = pages[1]
    assert contents.startswith("Contents")
    assert re.search(r"Summary[ .]+3\b", contents)
    for _, title in CONTEXT["contents"]:
        listed = re.search(rf"{title}[ .]+(\d+)\b", contents)
        assert listed, title
        page = int(listed[1])
        assert pages[page - 1].startswith(title), (title, page)


def test_every_page_after_the_cover_has_the_running_header_and_its_number(sample):
    doc = sample.doc
    assert "Page " not in doc.page_texts[0]
    assert "Strategic assessment 2026" in doc.page_texts[0]
    for number, text in enumerate(doc.page_texts[1:], start=2):
        assert f"Page {number} of {doc.pages}" in text
        assert "Trafford Community Safety Partnership · Strategic assessment 2026" in text


def test_the_protective_marking_is_at_the_top_and_bottom_of_every_page(sample):
    for text in sample.doc.page_texts:
        assert text.count("OFFICIAL-SENSITIVE") >= 2


def test_a_table_keeps_its_structure_and_repeats_its_header_on_each_page(sample):
    doc = sample.doc
    assert {"Table", "Caption", "THead", "TBody", "TR", "TH", "TD"} <= doc.structure_types
    pages_with_rows = [text for text in doc.page_texts if "Ward 1 " in text or "Ward 45" in text]
    assert len(pages_with_rows) == 2, "the sample table runs over two pages"
    assert all("Ward name Crimes" in text for text in pages_with_rows)
    assert "Ward 45 585" in doc.text


def test_an_inline_svg_chart_is_a_figure_whose_alternative_text_is_its_title(sample):
    # WeasyPrint takes a chart's /Alt from its <title> and ignores aria-label, so charts need one.
    assert "Figure" in sample.doc.structure_types
    assert sample.doc.figure_alt_texts == [CHART_TITLE]


def test_lists_paragraphs_and_links_are_tagged(sample):
    assert {"H1", "H2", "H3", "P", "L", "LI", "Link", "Sect", "Part"} <= sample.doc.structure_types
    assert "guidance (https://www.gov.uk/government/publications/example)" in sample.doc.text


def test_without_a_marking_or_contents_the_pages_carry_neither():
    context = {
        key: value
        for key, value in CONTEXT.items()
        if key not in {"protective_marking", "contents", "approved_on"}
    }
    context["status_line"] = "Draft for the partnership board"
    pdf, messages = render("documents/test_sample.html", context)
    doc = read_pdf(pdf)
    assert messages == []
    assert "OFFICIAL" not in doc.text
    assert "Contents" not in doc.outline
    assert "Draft for the partnership board" in doc.page_texts[0]
    # Short: the body starts on page 1, under the title block.
    assert "Draft for the partnership board Summary" in doc.page_texts[0]


def test_static_files_are_served_to_the_document_through_the_request(no_network):
    request = RequestFactory().get("/")
    pdf, messages = render(
        "documents/test_local_image.html", {"document_title": "Logo test"}, request=request
    )
    assert messages == []
    assert read_pdf(pdf).figure_alt_texts == ["Our logo"]
    assert no_network == []


def test_foreign_and_local_files_are_refused_without_touching_the_network(no_network):
    pdf, messages = render("documents/test_foreign_resources.html", {"document_title": "Refusals"})
    doc = read_pdf(pdf)
    assert no_network == []
    assert "root:" not in doc.text
    # WeasyPrint draws a missing image's alternative text in its place, still tagged as a Figure.
    alternatives = ["A picture from elsewhere", "A local file", "A way out of static"]
    assert doc.figure_alt_texts == [*alternatives, "A drawing"]
    assert " ".join(alternatives) in doc.text
    assert len(messages) == 6
    assert all("RefusedURL" in message for message in messages)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "file:///etc/passwd",
        "data:text/plain,hello",
        f"{OFFLINE_BASE_URL}media/upload.png",
        f"{OFFLINE_BASE_URL}static/../../etc/passwd",
        f"{OFFLINE_BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{OFFLINE_BASE_URL}static/css/no-such-file.css",
        "https://elsewhere.example/static/css/print.css",
        "http://csp-portal.invalid/static/css/print.css",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url, no_network):
    with pytest.raises(RefusedURL):
        StaticFilesOnlyFetcher(OFFLINE_BASE_URL).fetch(url)
    assert no_network == []


def test_the_fetcher_serves_a_static_file_by_its_url():
    response = StaticFilesOnlyFetcher(OFFLINE_BASE_URL).fetch(
        f"{OFFLINE_BASE_URL}static/css/print.css?v=1"
    )
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_pdf_response_shows_the_pdf_inline_and_keeps_it_out_of_caches():
    response = pdf_response(b"%PDF-1.7 test", filename="Strategic assessment 2026.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="Strategic assessment 2026.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == "13"
    assert response.content == b"%PDF-1.7 test"


@pytest.mark.parametrize(
    ("filename", "disposition"),
    [
        ("plan", 'inline; filename="plan.pdf"'),
        ('../../etc/a"b\r\nSet-Cookie: x.pdf', 'inline; filename="a-bSet-Cookie- x.pdf"'),
        (
            "Ynys Môn plan.pdf",
            "inline; filename=\"Ynys Mon plan.pdf\"; filename*=UTF-8''Ynys%20M%C3%B4n%20plan.pdf",
        ),
        ("", 'inline; filename="document.pdf"'),
    ],
)
def test_pdf_response_makes_the_filename_safe(filename, disposition):
    assert pdf_response(b"", filename=filename)["Content-Disposition"] == disposition
