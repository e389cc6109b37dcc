"""Pages of contribution requests: the coordinator asks the partner organisations, their people
answer (with figures and documents) and hand it in, and the coordinator accepts, returns or
withdraws it; "Requests to you" lists a person's requests across their partnerships."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csp_portal.downloads import private_attachment
from csp_portal.kept import kept_form_data
from csp_portal.views import my_list_page
from partnerships.permissions import Perm
from partnerships.selectors import person_kept_body
from partnerships.tenancy import ConfirmServiceView, PartnershipViewMixin, ServiceFormView

from .. import forms, selectors
from ..policies import ContributionPolicy, ContributionVerb
from ..services import contributions as contribution_services
from .assessments import AssessmentFormView, AssessmentMixin, CommentFormView, assessment_url


def contribution_url(contribution) -> str:
    return reverse(
        "assessments:contribution",
        kwargs={
            "partnership_slug": contribution.partnership.slug,
            "contribution_id": contribution.pk,
        },
    )


class ContributionRequestView(AssessmentMixin, ServiceFormView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    template_name = "assessments/request_contributions.html"
    form_class = forms.ContributionRequestForm

    def get_context_data(self, **kwargs):
        kwargs["organisations"] = selectors.requestable_organisations(partnership=self.partnership)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        sent = contribution_services.contribution_requests_send(
            acting_user=self.request.user,
            assessment=self.assessment,
            link=reverse("assessments:my_requests"),
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(
            self.request,
            _("%(count)s contribution requests sent.") % {"count": len(sent)},
        )

    def get_success_url(self):
        return assessment_url(self.assessment) + "#contributions"


class ContributionMixin:
    @property
    def contribution(self):
        if not hasattr(self, "_contribution"):
            self._contribution = selectors.contribution_for(
                membership=self.membership, contribution_id=self.kwargs["contribution_id"]
            )
        return self._contribution

    def get_target(self):
        return self.contribution

    def get_success_url(self):
        return contribution_url(self.contribution)

    # Views that change the answer are for the organisation's people only.
    answer_required = False

    def check_object_access(self):
        super().check_object_access()
        if self.answer_required and not self.answers():
            raise Http404

    def answers(self) -> bool:
        """Whether the answer is this member's to write (whether it may change now or not)."""
        return ContributionPolicy.allows(
            self.membership, ContributionVerb.ANSWER, self.contribution
        )


class ContributionDetailView(ContributionMixin, PartnershipViewMixin, TemplateView):
    template_name = "assessments/contribution.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contribution = self.contribution
        may = ContributionPolicy.may(self.membership, contribution)
        context.update(contribution=contribution, may=may)
        if may[ContributionVerb.ANSWER]:
            if kwargs.get("form") is None:
                context["form"] = forms.ContributionAnswerForm(
                    initial={"revision": contribution.revision, "answer": contribution.answer}
                )
            if kwargs.get("figures") is None:
                # What was typed before the session expired, else what is saved.
                kept = kept_form_data()
                rows = (
                    forms.posted_figure_rows(kept)
                    if kept is not None
                    else [
                        {"label": f.label, "value": f.value, "unit": f.unit}
                        for f in contribution.figures.all()
                    ]
                )
                context["figures"] = forms.figure_formset(rows)
            context["figures_max"] = forms.FIGURES_MAX
            context["copy_sources"] = selectors.contribution_copy_sources(
                user=self.request.user, contribution=contribution
            )
        return context

    def post(self, request, *args, **kwargs):
        if not self.answers():
            raise Http404
        action = request.POST.get("action")
        form = forms.ContributionAnswerForm(request.POST, request.FILES)
        if action == "more_rows":
            # Without JavaScript: the same form with ten more empty rows; nothing is saved.
            rows = forms.posted_figure_rows(request.POST)
            shown = forms.posted_figure_count(request.POST)
            figures = forms.figure_formset(
                rows, extra=max(shown - len(rows), 0) + forms.FIGURES_MORE
            )
            return self.render_to_response(self.get_context_data(form=form, figures=figures))
        figures = forms.FigureFormSet(request.POST, prefix="figures")
        if action == "upload":
            return self.upload(form, figures)
        if form.is_valid() and figures.is_valid():
            rows = [
                (row["label"], row["value"], row.get("unit", ""))
                for row in figures.cleaned_data
                if row.get("label")
            ]
            if self.save(form, rows):
                if action == "submit":
                    return redirect(
                        reverse(
                            "assessments:contribution_submit",
                            kwargs={
                                "partnership_slug": self.partnership.slug,
                                "contribution_id": self.contribution.pk,
                            },
                        )
                    )
                messages.success(request, _("Draft saved. It has not been sent yet."))
                return redirect(self.get_success_url())
        context = self.get_context_data(form=form, figures=figures)
        return self.render_to_response(context, status=400)

    def upload(self, form, figures):
        """A CSV file of figures replaces the grid's, all or none, and the answer is saved
        with them; a file with any wrong line changes nothing and says which lines."""
        upload = self.request.FILES.get("figures_csv")
        rows = None
        if form.is_valid():
            if upload is None:
                form.add_error("figures_csv", _("Select a CSV file of figures"))
            else:
                try:
                    rows = forms.figures_from_csv(upload)
                except ValidationError as error:
                    form.add_error("figures_csv", error)
        if rows is not None and self.save(form, rows):
            messages.success(
                self.request,
                _("%(count)s figures uploaded from %(name)s, and the draft saved.")
                % {"count": len(rows), "name": upload.name},
            )
            return redirect(self.get_success_url())
        shown = forms.figure_formset(forms.posted_figure_rows(self.request.POST))
        return self.render_to_response(self.get_context_data(form=form, figures=shown), status=400)

    def save(self, form, rows) -> bool:
        try:
            contribution_services.contribution_save(
                acting_user=self.request.user,
                contribution=self.contribution,
                revision=form.cleaned_data["revision"],
                answer=form.cleaned_data["answer"],
                figures=rows,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return False
        return True


class ContributionCopyView(ContributionMixin, ConfirmServiceView):
    """ "Copy my answer from <partnership>'s request": only from a request the person answers
    for the same organisation (any other is not found)."""

    template_name = "assessments/transition.html"
    submit_label = _("Copy the answer")
    submit_classes = ""
    heading = _("Copy your answer from %(name)s?")

    answer_required = True

    @property
    def source(self):
        if not hasattr(self, "_source"):
            self._source = selectors.contribution_copy_source_for(
                user=self.request.user,
                contribution=self.contribution,
                source_id=self.kwargs["source_id"],
            )
        return self._source

    def check_object_access(self):
        super().check_object_access()
        self.source  # noqa: B018 (404 before anything else for a request not theirs)

    def target_name(self):
        return _("%(partnership)s’s request “%(title)s”") % {
            "partnership": self.source.partnership.name,
            "title": self.source.title,
        }

    def get_context_data(self, **kwargs):
        kwargs["explanation"] = _(
            "Its answer and its %(count)s figures will replace the answer and figures saved "
            "here, as a draft. You can change them before you submit."
        ) % {"count": self.source.figures.count()}
        kwargs["back_url"] = contribution_url(self.contribution)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        try:
            contribution_services.contribution_answer_copy(
                acting_user=self.request.user, contribution=self.contribution, source=self.source
            )
        except PermissionDenied:
            raise Http404 from None
        messages.success(self.request, _("Answer copied. It has not been sent yet."))


class ContributionSubmitView(ContributionMixin, ConfirmServiceView):
    template_name = "assessments/transition.html"
    submit_label = _("Submit contribution")
    submit_classes = ""
    heading = _("Submit %(name)s?")

    answer_required = True

    def get_context_data(self, **kwargs):
        kwargs["explanation"] = _(
            "The coordinator will see your answer, figures and documents. You cannot change them "
            "unless the coordinator returns the contribution to you."
        )
        kwargs["back_url"] = contribution_url(self.contribution)
        return super().get_context_data(**kwargs)

    def target_name(self):
        return self.contribution.title

    def perform(self, form):
        contribution_services.contribution_submit(
            acting_user=self.request.user, contribution=self.contribution
        )
        messages.success(self.request, _("Contribution submitted. Thank you."))


class ContributionAcceptView(ContributionMixin, ConfirmServiceView):
    permission_required = Perm.REVIEW_CONTRIBUTIONS
    template_name = "assessments/transition.html"
    submit_label = _("Accept contribution")
    submit_classes = ""
    heading = _("Accept %(name)s?")

    def target_name(self):
        return self.contribution.title

    def get_context_data(self, **kwargs):
        kwargs["back_url"] = contribution_url(self.contribution)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        contribution_services.contribution_accept(
            acting_user=self.request.user, contribution=self.contribution
        )
        messages.success(self.request, _("Contribution accepted."))


class ContributionReturnView(ContributionMixin, CommentFormView):
    permission_required = Perm.REVIEW_CONTRIBUTIONS
    submit_label = _("Return contribution")
    heading = _("Return %(title)s for changes")

    def get_heading(self):
        return self.heading % {"title": self.contribution.title}

    def perform(self, form):
        contribution_services.contribution_return(
            acting_user=self.request.user,
            contribution=self.contribution,
            comment=form.cleaned_data["comment"],
        )
        messages.success(self.request, _("Contribution returned to the organisation."))


class ContributionWithdrawView(ContributionMixin, ConfirmServiceView):
    permission_required = Perm.REVIEW_CONTRIBUTIONS
    submit_label = _("Withdraw request")
    heading = _("Withdraw the request %(name)s?")

    def target_name(self):
        return self.contribution.title

    def perform(self, form):
        contribution_services.contribution_withdraw(
            acting_user=self.request.user, contribution=self.contribution
        )
        messages.success(self.request, _("Request withdrawn."))


class DocumentUploadView(ContributionMixin, AssessmentFormView):
    template_name = "assessments/document_upload.html"
    form_class = forms.DocumentForm

    answer_required = True

    def get_context_data(self, **kwargs):
        kwargs["contribution"] = self.contribution
        return super().get_context_data(**kwargs)

    def perform(self, form):
        document = contribution_services.contribution_document_add(
            acting_user=self.request.user,
            contribution=self.contribution,
            upload=form.cleaned_data["file"],
            submission=self.submission,
        )
        messages.success(self.request, _("%(name)s uploaded.") % {"name": document.original_name})


class DocumentDownloadView(ContributionMixin, PartnershipViewMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        document = selectors.contribution_document_for(
            contribution=self.contribution, document_id=self.kwargs["document_id"]
        )
        return private_attachment(document)


class DocumentRemoveView(ContributionMixin, ConfirmServiceView):
    submit_label = _("Remove document")
    heading = _("Remove %(name)s?")

    @property
    def document(self):
        return selectors.contribution_document_for(
            contribution=self.contribution, document_id=self.kwargs["document_id"]
        )

    answer_required = True

    def get_target(self):
        return self.document

    def perform(self, form):
        contribution_services.contribution_document_remove(
            acting_user=self.request.user, document=self.target
        )
        messages.success(self.request, _("Document removed."))

    def get_success_url(self):
        return contribution_url(self.contribution)


@login_required
def my_requests(request):
    """Every request to the organisations this person represents, across their partnerships:
    those waiting for an answer first, the submitted and closed ones (years of them) behind a
    link, both a page of ``MY_LIST_PAGE_SIZE`` at a time, so the page costs the same however
    long the history grows."""
    show = "finished" if request.GET.get("show") == "finished" else "open"
    number = request.GET.get("page") or "1"

    def render_list() -> str:
        requests = selectors.my_requests(user=request.user)
        tally = selectors.my_request_counts(requests)
        listed = (
            requests.finished().order_by("-due_date", "-pk")
            if show == "finished"
            else requests.awaiting_answer()
        )
        page = my_list_page(listed, count=tally[f"{show}_count"], number=number)
        return render_to_string(
            "assessments/includes/my_requests_body.html",
            {"show": show, "page": page, "requests": page.object_list, **tally},
        )

    # Kept under the change stamps of the person's partnerships: one query when nothing changed.
    body = person_kept_body(
        user=request.user,
        name="my_requests",
        parts=[timezone.localdate().isoformat(), show, number[:8]],
        render=render_list,
    )
    return render(request, "assessments/my_requests.html", {"show": show, "body": body})


contribution_patterns = [
    path("", ContributionDetailView.as_view(), name="contribution"),
    path("submit/", ContributionSubmitView.as_view(), name="contribution_submit"),
    path(
        "copy-from/<int:source_id>/",
        ContributionCopyView.as_view(),
        name="contribution_copy",
    ),
    path("accept/", ContributionAcceptView.as_view(), name="contribution_accept"),
    path("return/", ContributionReturnView.as_view(), name="contribution_return"),
    path("withdraw/", ContributionWithdrawView.as_view(), name="contribution_withdraw"),
    path("documents/add/", DocumentUploadView.as_view(), name="document_add"),
    path("documents/<int:document_id>/", DocumentDownloadView.as_view(), name="document"),
    path(
        "documents/<int:document_id>/remove/",
        DocumentRemoveView.as_view(),
        name="document_remove",
    ),
]

tenant_patterns = [
    path(
        "assessments/<int:assessment_id>/request/",
        ContributionRequestView.as_view(),
        name="request_contributions",
    ),
    path("contributions/<int:contribution_id>/", include(contribution_patterns)),
]

site_patterns = [
    path("my-requests/", my_requests, name="my_requests"),
]
