"""Read a rendered PDF back, so that tests assert what a reader and a screen reader get."""

import io
import re
from collections import Counter
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass(frozen=True)
class PdfReadout:
    text: str  # every page's text, whitespace collapsed to single spaces
    page_texts: list[str]  # the same, page by page
    pages: int
    lang: str | None  # the catalog's /Lang
    tagged: bool  # /MarkInfo /Marked true and a /StructTreeRoot
    title: str | None  # document information /Title, else the XMP dc:title
    author: str | None
    pdfua_part: str | None  # the XMP pdfuaid:part, "1" for PDF/UA-1
    outline: list[str]  # bookmark titles, depth first
    structure_types: set[str]  # /S of every structure element, without the slash
    figure_alt_texts: list[str]  # /Alt of each /Figure, in document order
    # For each page, how many structure elements of each type it holds ("TR" counts only body
    # rows: a header row repeated on a page is "HeaderTR"), for ``pages_with_only``.
    page_structure: list[Counter]


def read_pdf(data: bytes) -> PdfReadout:
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    page_texts = [_normalise(page.extract_text() or "") for page in reader.pages]
    mark_info = catalog.get("/MarkInfo")
    elements = list(_structure_elements(catalog.get("/StructTreeRoot")))
    info = reader.metadata
    page_numbers = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    page_structure = [Counter() for _page in reader.pages]
    for element in elements:
        page = element.get("/Pg")
        if page is None or page.idnum not in page_numbers:
            continue
        kind = str(element["/S"]).removeprefix("/")
        if kind == "TR" and str(element["/P"].get_object()["/S"]) != "/TBody":
            kind = "HeaderTR"
        page_structure[page_numbers[page.idnum]][kind] += 1
    return PdfReadout(
        text=" ".join(page_texts),
        page_texts=page_texts,
        pages=len(reader.pages),
        lang=str(catalog["/Lang"]) if "/Lang" in catalog else None,
        tagged=bool(mark_info and mark_info.get("/Marked")) and "/StructTreeRoot" in catalog,
        title=(info.title if info else None) or _xmp_title(reader),
        author=info.author if info else None,
        pdfua_part=_xmp_pdfua_part(catalog),
        outline=list(_outline_titles(reader, reader.outline)),
        structure_types={str(element["/S"]).removeprefix("/") for element in elements},
        figure_alt_texts=[
            str(element["/Alt"])
            for element in elements
            if element["/S"] == "/Figure" and "/Alt" in element
        ],
        page_structure=page_structure,
    )


# What a page has to hold to be worth a page: text, a list, a figure, or two rows of a table.
_CONTENT = {"P", "L", "LI", "Figure"}
_HEADINGS = {"H1", "H2", "H3", "H4", "H5", "H6"}


def lonely_pages(readout: PdfReadout) -> list[int]:
    """The numbers (from 1) of pages whose only content is a heading, or a single table row
    (with, at most, its table's header repeated above it)."""
    lonely = []
    for number, counts in enumerate(readout.page_structure, start=1):
        content = sum(counts[kind] for kind in _CONTENT)
        rows = counts["TR"]
        headings = sum(counts[kind] for kind in _HEADINGS)
        only_a_heading = headings and not content and not rows
        only_a_row = rows == 1 and not content and not headings
        if only_a_heading or only_a_row:
            lonely.append(number)
    return lonely


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _structure_elements(root):
    """Every structure element under the root, depth first, following /K but never /P."""
    if root is None:
        return
    stack, seen = [root.get_object()["/K"]], set()
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, ArrayObject):
            stack.extend(reversed(node))
        elif isinstance(node, DictionaryObject) and "/S" in node:
            yield node
            if "/K" in node:
                stack.append(node["/K"])
        # Anything else is a marked-content id or a reference to an annotation: no element.


def _outline_titles(reader, items):
    for item in items:
        if isinstance(item, list):
            yield from _outline_titles(reader, item)
        else:
            yield str(item.title)


def _xmp_title(reader) -> str | None:
    xmp = reader.xmp_metadata
    titles = xmp.dc_title if xmp else None
    return next(iter(titles.values()), None) if titles else None


def _xmp_pdfua_part(catalog) -> str | None:
    if "/Metadata" not in catalog:
        return None
    xml = catalog["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    found = re.search(r"pdfuaid:part(?:>|=[\"'])\s*(\d+)", xml)
    return found[1] if found else None
