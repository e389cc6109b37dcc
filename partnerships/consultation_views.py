"""What the pages of every consultation log share: one page of comments, each with the link to
respond where the member may (the document is set on each comment, so asking costs no query)."""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

COMMENTS_PER_PAGE = 50


def comment_page(
    request,
    comments: QuerySet,
    *,
    document_field: str,
    document,
    may_respond: Callable,
    respond_url: Callable,
) -> tuple[Page, list]:
    """The page of ``comments`` asked for, and its rows: (comment, respond link or "")."""
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for comment in page.object_list:
        setattr(comment, document_field, document)
        rows.append((comment, respond_url(comment) if may_respond(comment) else ""))
    return page, rows
