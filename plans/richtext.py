"""Plan text is written in Markdown and shown as HTML that nh3 has cleaned: headings, lists,
emphasis and links survive; scripts, styles, images and event handlers never reach a page or a
PDF."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render(source: str) -> SafeString:
    html = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"https", "http", "mailto"},
            link_rel="noopener noreferrer",
        )
    )
