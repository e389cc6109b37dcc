"""Text written in Markdown, the same everywhere (plans, police and crime plan priorities, report
requests): one hint saying how to write it, one widget that marks a field as Markdown (which
gives its form a "Preview" button: csp_portal.views.MarkdownPreviewMixin), and one rendering to
HTML that nh3 has cleaned: headings, lists, emphasis and links survive; scripts, styles, images
and event handlers never reach a page or a PDF. Versions are compared as rendered blocks
(``blocks``), so a comparison shows bold text, not ``**bold**``."""

import re
from dataclasses import dataclass

import markdown
import nh3
from django import forms
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}

MARKDOWN_HINT = _(
    "Leave a blank line between paragraphs. Start a line with * or - for a bullet point, put "
    "**two stars** around words to make them bold, and write a link as "
    "[the words](https://example.org)."
)
MARKDOWN_ATTRIBUTE = "data-markdown"


def render(source: str) -> SafeString:
    html = markdown.markdown(source or "", extensions=["sane_lists"], output_format="html")
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"https", "http", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def markdown_textarea(rows: int = 8) -> forms.Textarea:
    """The widget of a field written in Markdown."""
    return forms.Textarea(attrs={"rows": rows, MARKDOWN_ATTRIBUTE: "true"})


def is_markdown(field: forms.Field) -> bool:
    return bool(field.widget.attrs.get(MARKDOWN_ATTRIBUTE))


@dataclass(frozen=True)
class Block:
    """One paragraph, list item, heading or quotation as it reads (``text``) and shows
    (``html``, cleaned)."""

    text: str
    html: SafeString


_BLOCK = re.compile(r"<(p|li|h3|h4|blockquote)>(.*?)</\1>", re.DOTALL)


def blocks(source: str) -> list[Block]:
    """The text's blocks in order, for comparing versions by what readers see."""
    found = []
    for tag, inner in _BLOCK.findall(str(render(source))):
        if tag == "blockquote" and "<p>" in inner:
            continue  # its paragraphs are blocks of their own
        text = " ".join(strip_tags(inner).split())
        if text:
            prefix = "• " if tag == "li" else ""
            found.append(Block(prefix + text, mark_safe(prefix + inner.strip())))
    return found
