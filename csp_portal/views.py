from crispy_forms.layout import Hidden
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from . import richtext
from .kept import showing_typed
from .submissions import (
    TOKEN_FIELD,
    AlreadySubmitted,
    Submission,
    is_form_token,
    new_form_token,
    submission_led_to,
    submission_result,
)

# A page of a person's own list (Requests to you, Your actions): bounded, however many years of
# finished history the person has (issue 17).
MY_LIST_PAGE_SIZE = 50


def my_list_page(listed: QuerySet, *, count: int, number) -> Page:
    """A page of a person's own list, whose length the view counted already (with its tabs, in
    one query): the paginator does not count it again."""
    paginator = Paginator(listed, MY_LIST_PAGE_SIZE)
    paginator.count = count  # a cached_property: set, it is not asked of the database
    return paginator.get_page(number)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


class SubmitOnceMixin:
    """For a form view whose valid form calls a service that claims ``self.submission``.

    The form carries a one-time token. Sent a second time (a double click, the back button and
    "resend"), it lands where the first one led, with a message, and nothing happens again: a
    token already acted on is answered before anything else, and a second submission racing the
    first is stopped by the service's claim. Where the first led is recorded in the same
    transaction as what it made, so the second always finds it.
    """

    @cached_property
    def submission(self) -> Submission | None:
        """None without a well-formed token (then nothing is claimed), or when signed out."""
        token = self.request.POST.get(TOKEN_FIELD, "")
        if not is_form_token(token) or not self.request.user.is_authenticated:
            return None
        return Submission(user_id=self.request.user.pk, key=token)

    @cached_property
    def submission_token(self) -> str:
        """The token the form carries: the one it was sent with, or a new one."""
        return self.submission.key if self.submission else new_form_token()

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            earlier = submission_result(self.submission)
            if earlier is not None:
                return self.already_submitted(earlier)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                response = super().post(request, *args, **kwargs)
                if self.submission and response.status_code in (301, 302, 303):
                    submission_led_to(self.submission, response["Location"])
        except AlreadySubmitted as done:
            return self.already_submitted(done.result_url)
        return response

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # In the layout of every form of csp_portal.forms.GovukFormMixin; a form without one
        # (a button in a list) makes nothing.
        if hasattr(form, "helper"):
            form.helper.add_input(Hidden(TOKEN_FIELD, self.submission_token))
        return form

    def already_submitted(self, url: str):
        messages.info(
            self.request, _("You sent this form more than once. It has been acted on once.")
        )
        return redirect(url or self.request.get_full_path())


PREVIEW_FIELD = "preview"


class MarkdownPreviewMixin:
    """For a form view whose form has Markdown fields (csp_portal.richtext): its "Preview"
    button shows the form again as typed, with each Markdown field as it will read above it.
    Nothing is checked or saved; it works without JavaScript."""

    previewing = False

    def post(self, request, *args, **kwargs):
        if PREVIEW_FIELD not in request.POST:
            return super().post(request, *args, **kwargs)
        self.previewing = True
        with showing_typed(request.POST):
            form = self.get_form()
        form.markdown_previews = [
            (field.label, richtext.render(request.POST.get(form.add_prefix(name), "")))
            for name, field in form.fields.items()
            if richtext.is_markdown(field)
        ]
        return self.render_to_response(self.get_context_data(form=form))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.previewing:
            kwargs.pop("data", None)
            kwargs.pop("files", None)
        return kwargs
