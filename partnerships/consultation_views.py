"""What the pages of every consultation log share: the log with its form, a page of comments each
with the link to respond where the member may (the document is set on each comment, so asking
costs no query), and the coordinator's response page."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .consultation import COMMENT_TRANSITIONS

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


class CommentLogMixin:
    """The consultation log of a document, and the form to add to it while it takes comments
    (mixed into the app's ServiceFormView). The app names the document, its policies and verbs,
    its comments, the log's address and the service that adds one."""

    document_policy = None  # the document's Policy (its verbs: read_comments, comment)
    comment_policy = None  # the comments' Policy (its verb: respond)
    respond_verb = None
    comment_verb = None
    document_field = ""  # the comment's foreign key to the document
    refusal = ""  # a late post's message when the policy gives no reason
    success_message = _("Your comment has been sent. The coordinator will respond to it.")

    @property
    def document(self):
        return getattr(self, self.document_field)

    def comments(self):
        raise NotImplementedError

    def counts(self) -> dict:
        raise NotImplementedError

    def respond_url(self, comment) -> str:
        raise NotImplementedError

    def comments_url(self) -> str:
        raise NotImplementedError

    @cached_property
    def may(self):
        return self.document_policy.may(self.membership, self.document)

    def post(self, request, *args, **kwargs):
        if not self.may["comment"]:
            # The form is not offered once comments close; a late post is told why.
            form = self.get_form()
            form.is_valid()
            reason = self.document_policy.not_now(self.membership, self.comment_verb, self.document)
            return self.refused(form, ValidationError(reason or self.refusal))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        page, rows = comment_page(
            self.request,
            self.comments(),
            document_field=self.document_field,
            document=self.document,
            may_respond=lambda comment: self.comment_policy.can(
                self.membership, self.respond_verb, comment
            ),
            respond_url=self.respond_url,
        )
        kwargs.update(page=page, rows=rows, may=self.may, counts=self.counts())
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return self.comments_url() + "#comments"


class CommentRespondMixin:
    """The coordinator's response to one comment (mixed into the app's ServiceFormView, whose
    ``get_target`` finds the comment among those the member may see)."""

    template_name = "consultation/comment_respond.html"
    comment_policy = None
    respond_verb = None
    document_field = ""
    success_message = _("Response saved.")

    @property
    def document(self):
        return getattr(self, self.document_field)

    def comments_url(self) -> str:
        raise NotImplementedError

    def check_object_access(self):
        if not self.comment_policy.allows(self.membership, self.respond_verb, self.target):
            raise Http404

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "outcomes": COMMENT_TRANSITIONS[self.target.status]}

    def get_context_data(self, **kwargs):
        setattr(self.target, self.document_field, self.document)
        kwargs.update(
            comment=self.target,
            not_now=self.comment_policy.not_now(self.membership, self.respond_verb, self.target),
            cancel_url=self.comments_url(),
            caption=str(self.document),
        )
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return self.comments_url() + f"#comment-{self.target.pk}"
