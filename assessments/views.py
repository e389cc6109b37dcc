from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csp_portal.downloads import private_attachment
from partnerships.permissions import Perm, membership_can
from partnerships.tenancy import ConfirmServiceView, PartnershipViewMixin, ServiceFormView
from recorded_crime.selectors import crime_profile

from . import documents, forms, selectors, services
from .models import AssessmentStatus, SectionKind


def _assessment_url(assessment) -> str:
    return reverse(
        "assessments:detail",
        kwargs={"partnership_slug": assessment.partnership.slug, "assessment_id": assessment.pk},
    )


def _contribution_url(contribution) -> str:
    return reverse(
        "assessments:contribution",
        kwargs={
            "partnership_slug": contribution.partnership.slug,
            "contribution_id": contribution.pk,
        },
    )


class AssessmentFormView(ServiceFormView):
    """Forms of this app take their choices from the record, not from the partnership."""

    form_needs_partnership = False


class CommentFormView(AssessmentFormView):
    """A comment that sends something back, with Cancel returning to where it came from."""

    template_name = "assessments/comment_form.html"
    form_class = forms.CommentForm
    submit_label = ""
    heading = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": self.submit_label}

    def get_heading(self):
        return self.heading

    def get_context_data(self, **kwargs):
        kwargs.update(heading=self.get_heading(), back_url=self.get_success_url())
        return super().get_context_data(**kwargs)


class AssessmentListView(AssessmentFormView):
    permission_required = Perm.VIEW_ASSESSMENTS
    template_name = "assessments/list.html"
    form_class = forms.AssessmentStartForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["taken_years"] = {assessment.year_start for assessment in self.assessments}
        return kwargs

    @property
    def assessments(self):
        if not hasattr(self, "_assessments"):
            self._assessments = list(selectors.assessment_list(membership=self.membership))
        return self._assessments

    def post(self, request, *args, **kwargs):
        if not membership_can(self.membership, Perm.MANAGE_ASSESSMENTS):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["assessments"] = self.assessments
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.started = services.assessment_start(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )

    def get_success_url(self):
        return _assessment_url(self.started)


class AssessmentMixin:
    """Resolves ``assessment_id`` within this partnership, as far as this member may see."""

    @property
    def assessment(self):
        if not hasattr(self, "_assessment"):
            self._assessment = selectors.assessment_for(
                membership=self.membership, assessment_id=self.kwargs["assessment_id"]
            )
        return self._assessment

    def get_success_url(self):
        return _assessment_url(self.assessment)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("assessment", self.assessment)
        return super().get_context_data(**kwargs)


class AssessmentDetailView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_ASSESSMENTS
    template_name = "assessments/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = selectors.assessment_page(
            membership=self.membership, assessment_id=self.kwargs["assessment_id"]
        )
        requests = list(assessment.contribution_requests.all())
        context.update(
            assessment=assessment,
            sections=documents.ordered_sections(assessment),
            priorities=list(assessment.priorities.all()),
            requests=requests,
            summary=selectors.contribution_summary(requests),
            missing=services.missing_for_approval(assessment),
            crime_profile=crime_profile(partnership=self.partnership),
            community_kind=SectionKind.COMMUNITY,
            crime_kind=SectionKind.CRIME_LEVELS,
            statuses=AssessmentStatus,
        )
        return context


class AssessmentPdfView(AssessmentMixin, PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_ASSESSMENTS

    def get(self, request, *args, **kwargs):
        assessment = selectors.assessment_page(
            membership=self.membership, assessment_id=self.kwargs["assessment_id"]
        )
        return documents.assessment_pdf_response(assessment)


class SectionEditView(AssessmentMixin, AssessmentFormView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    template_name = "assessments/section_edit.html"
    form_class = forms.SectionForm
    success_message = _("Section saved.")

    def get_target(self):
        if self.kwargs["kind"] not in SectionKind.values:
            raise Http404
        return selectors.section_for(assessment=self.assessment, kind=self.kwargs["kind"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["section"] = self.target
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["section"] = self.target
        if self.target.kind == SectionKind.CRIME_LEVELS:
            kwargs["crime_profile"] = crime_profile(partnership=self.partnership)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        data = form.cleaned_data
        services.assessment_section_update(
            acting_user=self.request.user,
            section=self.target,
            revision=data["revision"],
            body=data["body"],
            public_meeting_date=data.get("public_meeting_date"),
            public_meeting_attendance=data.get("public_meeting_attendance"),
            public_meeting_issues=data.get("public_meeting_issues", ""),
        )

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)
            if getattr(error, "code", None) == "stale":
                # Show the other person's text and let the next save build on it.
                self.target.refresh_from_db()
                form.data = form.data.copy()
                form.data["revision"] = self.target.revision
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class PriorityEditView(AssessmentMixin, AssessmentFormView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    template_name = "assessments/priority_edit.html"
    form_class = forms.PriorityForm
    success_message = _("Priority saved.")

    def get_target(self):
        if "priority_id" not in self.kwargs:
            return None
        return selectors.priority_for(
            assessment=self.assessment, priority_id=self.kwargs["priority_id"]
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["priority"] = self.target
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["priority"] = self.target
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.priority_save(
            acting_user=self.request.user,
            assessment=self.assessment,
            priority=self.target,
            **form.cleaned_data,
            submission=self.submission,
        )

    def get_success_url(self):
        return _assessment_url(self.assessment) + "#priorities"


class PriorityRemoveView(AssessmentMixin, ConfirmServiceView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    submit_label = _("Remove priority")
    heading = _("Remove %(name)s from the recommended priorities?")

    def get_target(self):
        return selectors.priority_for(
            assessment=self.assessment, priority_id=self.kwargs["priority_id"]
        )

    def perform(self, form):
        services.priority_remove(acting_user=self.request.user, priority=self.target)
        messages.success(self.request, _("Priority removed."))


class TransitionView(AssessmentMixin, ConfirmServiceView):
    """Confirm, then move the assessment to its next status through one service."""

    template_name = "assessments/transition.html"
    submit_classes = ""
    service = None
    explanation = ""
    done_message = ""

    def get_target(self):
        return self.assessment

    def get_context_data(self, **kwargs):
        kwargs["explanation"] = self.explanation
        return super().get_context_data(**kwargs)

    def perform(self, form):
        type(self).service(acting_user=self.request.user, assessment=self.assessment)
        messages.success(self.request, self.done_message)


class OpenContributionsView(TransitionView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    service = services.assessment_open_contributions
    submit_label = _("Open for contributions")
    heading = _("Open the %(name)s for contributions?")
    explanation = _(
        "You can then send contribution requests to the organisations on the partnership."
    )
    done_message = _("The assessment is open for contributions.")


class SubmitForReviewView(TransitionView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    service = services.assessment_submit_for_review
    submit_label = _("Send to the strategy group")
    heading = _("Send the %(name)s to the strategy group for review?")
    explanation = _(
        "The text cannot be changed while the strategy group reviews it. They will approve it "
        "or return it to you with a comment."
    )
    done_message = _("The assessment has been sent to the strategy group.")


class NewVersionView(TransitionView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    submit_label = _("Start a new version")
    heading = _("Start a new version of the %(name)s?")
    explanation = _(
        "The approved version stays as it is. The new version starts as a copy of it and needs "
        "approving again."
    )

    def perform(self, form):
        self.newer = services.assessment_new_version(
            acting_user=self.request.user, assessment=self.assessment, submission=self.submission
        )
        messages.success(
            self.request, _("Version %(version)s started.") % {"version": self.newer.version}
        )

    def get_success_url(self):
        return _assessment_url(self.newer)


class ReturnAssessmentView(AssessmentMixin, CommentFormView):
    permission_required = Perm.APPROVE_ASSESSMENTS
    submit_label = _("Return to the coordinator")
    heading = _("Return the assessment for changes")

    def perform(self, form):
        services.assessment_return(
            acting_user=self.request.user,
            assessment=self.assessment,
            comment=form.cleaned_data["comment"],
        )
        messages.success(self.request, _("The assessment has been returned to the coordinator."))


class ApproveAssessmentView(AssessmentMixin, AssessmentFormView):
    permission_required = Perm.APPROVE_ASSESSMENTS
    template_name = "assessments/approve.html"
    form_class = forms.ApproveForm

    def get_context_data(self, **kwargs):
        kwargs["missing"] = services.missing_for_approval(self.assessment)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.assessment_approve(
            acting_user=self.request.user,
            membership=self.membership,
            assessment=self.assessment,
            note=form.cleaned_data["note"],
        )
        messages.success(self.request, _("The assessment is approved."))


class ContributionRequestView(AssessmentMixin, ServiceFormView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    template_name = "assessments/request_contributions.html"
    form_class = forms.ContributionRequestForm

    def get_context_data(self, **kwargs):
        kwargs["organisations"] = selectors.requestable_organisations(partnership=self.partnership)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        sent = services.contribution_requests_send(
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
        return _assessment_url(self.assessment) + "#contributions"


# Contributions --------------------------------------------------------------------------------


class ContributionMixin:
    @property
    def contribution(self):
        if not hasattr(self, "_contribution"):
            self._contribution = selectors.contribution_for(
                membership=self.membership,
                user=self.request.user,
                contribution_id=self.kwargs["contribution_id"],
            )
        return self._contribution

    def get_target(self):
        return self.contribution

    def get_success_url(self):
        return _contribution_url(self.contribution)

    # Views that change the answer are for the organisation's people only.
    answer_required = False

    def check_object_access(self):
        super().check_object_access()
        if self.answer_required and not selectors.can_answer(
            user=self.request.user, contribution=self.contribution
        ):
            raise Http404


class ContributionDetailView(ContributionMixin, PartnershipViewMixin, TemplateView):
    template_name = "assessments/contribution.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contribution = self.contribution
        can_answer = selectors.can_answer(user=self.request.user, contribution=contribution)
        editable = (
            can_answer
            and contribution.is_awaiting_answer
            and not contribution.assessment.is_approved
        )
        context.update(
            contribution=contribution,
            can_answer=can_answer,
            editable=editable,
            can_review=membership_can(self.membership, Perm.REVIEW_CONTRIBUTIONS),
        )
        if editable:
            context.setdefault(
                "form",
                kwargs.get("form")
                or forms.ContributionAnswerForm(
                    initial={"revision": contribution.revision, "answer": contribution.answer}
                ),
            )
            context.setdefault(
                "figures",
                kwargs.get("figures")
                or forms.FigureFormSet(
                    initial=[
                        {"label": f.label, "value": f.value, "unit": f.unit}
                        for f in contribution.figures.all()
                    ],
                    prefix="figures",
                ),
            )
        return context

    def post(self, request, *args, **kwargs):
        if not selectors.can_answer(user=request.user, contribution=self.contribution):
            raise Http404
        form = forms.ContributionAnswerForm(request.POST)
        figures = forms.FigureFormSet(request.POST, prefix="figures")
        if form.is_valid() and figures.is_valid():
            rows = [
                (row["label"], row["value"], row.get("unit", ""))
                for row in figures.cleaned_data
                if row.get("label")
            ]
            try:
                services.contribution_save(
                    acting_user=request.user,
                    contribution=self.contribution,
                    revision=form.cleaned_data["revision"],
                    answer=form.cleaned_data["answer"],
                    figures=rows,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if request.POST.get("action") == "submit":
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
        kwargs["back_url"] = _contribution_url(self.contribution)
        return super().get_context_data(**kwargs)

    def target_name(self):
        return self.contribution.title

    def perform(self, form):
        services.contribution_submit(acting_user=self.request.user, contribution=self.contribution)
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
        kwargs["back_url"] = _contribution_url(self.contribution)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.contribution_accept(acting_user=self.request.user, contribution=self.contribution)
        messages.success(self.request, _("Contribution accepted."))


class ContributionReturnView(ContributionMixin, CommentFormView):
    permission_required = Perm.REVIEW_CONTRIBUTIONS
    submit_label = _("Return contribution")
    heading = _("Return %(title)s for changes")

    def get_heading(self):
        return self.heading % {"title": self.contribution.title}

    def perform(self, form):
        services.contribution_return(
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
        services.contribution_withdraw(
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
        document = services.contribution_document_add(
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
        services.contribution_document_remove(acting_user=self.request.user, document=self.target)
        messages.success(self.request, _("Document removed."))

    def get_success_url(self):
        return _contribution_url(self.contribution)


@login_required
def my_requests(request):
    """Every request to the organisations this person represents, across their partnerships."""
    requests = list(selectors.my_requests(user=request.user))
    open_requests = [item for item in requests if item.is_awaiting_answer]
    done = [item for item in requests if not item.is_awaiting_answer]
    return render(
        request,
        "assessments/my_requests.html",
        {
            "open_requests": open_requests,
            "done_requests": done,
            "late": sum(1 for item in open_requests if item.is_late),
        },
    )
