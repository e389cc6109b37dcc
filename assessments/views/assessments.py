"""Pages of the strategic assessment itself: the list, the page and its PDF, writing sections and
recommended priorities, and the steps from draft to approval and a new version."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from csp_portal.frozen import fill_slots, frozen_body, frozen_key, slot
from partnerships.permissions import Perm, membership_can
from partnerships.tenancy import ConfirmServiceView, PartnershipViewMixin, ServiceFormView
from recorded_crime.selectors import crime_profile
from recorded_crime.tables import profile_table

from .. import documents, forms, selectors
from ..community import community_evidence
from ..evidence import citations_for, evidence_items
from ..models import AssessmentStatus, SectionKind
from ..policies import AssessmentPolicy, AssessmentVerb
from ..services import assessments as assessment_services
from ..services import evidence as evidence_services


def assessment_url(assessment) -> str:
    return reverse(
        "assessments:detail",
        kwargs={"partnership_slug": assessment.partnership.slug, "assessment_id": assessment.pk},
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
        if not AssessmentPolicy.can(self.membership, AssessmentVerb.START):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["assessments"] = self.assessments
        kwargs["may"] = AssessmentPolicy.may(self.membership)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.started = assessment_services.assessment_start(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )

    def get_success_url(self):
        return assessment_url(self.started)


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
        return assessment_url(self.assessment)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("assessment", self.assessment)
        return super().get_context_data(**kwargs)


class AssessmentDetailView(PartnershipViewMixin, TemplateView):
    """An assessment. Once approved its contents are rendered once and cached
    (csp_portal/frozen.py); what the community said and the crime profile are live, rendered on
    every request into their slots, as are the contribution requests below."""

    permission_required = Perm.VIEW_ASSESSMENTS
    template_name = "assessments/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = selectors.assessment_header(
            membership=self.membership, assessment_id=self.kwargs["assessment_id"]
        )
        requests = list(assessment.contribution_requests.all())
        may = AssessmentPolicy.may(self.membership, assessment)
        key = None
        if assessment.is_approved:
            key = frozen_key(
                assessment,
                revision=assessment.version,
                stamp=assessment.approved_at,
                role=self.membership.role,
            )

        def contents() -> dict:
            selectors.assessment_contents(assessment)
            priorities = list(assessment.priorities.all())
            citations = citations_for(priority.pk for priority in priorities)
            for priority in priorities:
                priority.evidence_items = evidence_items(citations.get(priority.pk, []))
            return {
                "partnership": self.partnership,
                "assessment": assessment,
                "sections": documents.ordered_sections(assessment),
                "priorities": priorities,
                "may_edit": may[AssessmentVerb.EDIT],
                "show_contributions": membership_can(self.membership, Perm.VIEW_CONTRIBUTIONS),
                "community_kind": SectionKind.COMMUNITY,
                "community_slot": slot("community"),
                "crime_kind": SectionKind.CRIME_LEVELS,
                "crime_slot": slot("crime"),
            }

        body = frozen_body(
            key=key, template_name="assessments/includes/assessment_body.html", context=contents
        )
        live = {"partnership": self.partnership}
        body = fill_slots(
            body,
            {
                "community": render_to_string(
                    "assessments/includes/community_evidence.html",
                    {**live, "community_evidence": community_evidence(assessment)},
                ),
                "crime": render_to_string(
                    "assessments/includes/crime_levels.html",
                    {**live, "crime_profile": crime_profile(partnership=self.partnership)},
                ),
            },
        )
        context.update(
            assessment=assessment,
            body=body,
            may=may,
            requests=requests,
            summary=selectors.contribution_summary(requests),
            missing=[] if assessment.is_approved else self._missing(assessment),
            statuses=AssessmentStatus,
        )
        return context

    @staticmethod
    def _missing(assessment) -> list[str]:
        return assessment_services.missing_for_approval(selectors.assessment_contents(assessment))


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
        assessment_services.assessment_section_update(
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
        assessment_services.priority_save(
            acting_user=self.request.user,
            assessment=self.assessment,
            priority=self.target,
            **form.cleaned_data,
            submission=self.submission,
        )

    def get_success_url(self):
        return assessment_url(self.assessment) + "#priorities"


class PriorityEvidenceView(AssessmentMixin, AssessmentFormView):
    """Cite evidence for a recommended priority, as links to the figures and records."""

    permission_required = Perm.MANAGE_ASSESSMENTS
    template_name = "assessments/priority_evidence.html"
    form_class = forms.PriorityEvidenceForm
    success_message = _("Evidence cited.")

    def get_target(self):
        return selectors.priority_for(
            assessment=self.assessment, priority_id=self.kwargs["priority_id"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assessment": self.assessment}

    def get_context_data(self, **kwargs):
        kwargs["priority"] = self.target
        return super().get_context_data(**kwargs)

    def perform(self, form):
        data = form.cleaned_data
        evidence_services.priority_evidence_cite(
            acting_user=self.request.user,
            priority=self.target,
            kind=data["kind"],
            offence_key=data.get("offence_key") or "",
            contribution=data.get("contribution"),
            submission=self.submission,
        )

    def get_success_url(self):
        return assessment_url(self.assessment) + f"#priority-{self.target.pk}"


class PriorityRemoveView(AssessmentMixin, ConfirmServiceView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    submit_label = _("Remove priority")
    heading = _("Remove %(name)s from the recommended priorities?")

    def get_target(self):
        return selectors.priority_for(
            assessment=self.assessment, priority_id=self.kwargs["priority_id"]
        )

    def perform(self, form):
        assessment_services.priority_remove(acting_user=self.request.user, priority=self.target)
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
    service = assessment_services.assessment_open_contributions
    submit_label = _("Open for contributions")
    heading = _("Open the %(name)s for contributions?")
    explanation = _(
        "You can then send contribution requests to the organisations on the partnership."
    )
    done_message = _("The assessment is open for contributions.")


class SubmitForReviewView(TransitionView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    service = assessment_services.assessment_submit_for_review
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
        self.newer = assessment_services.assessment_new_version(
            acting_user=self.request.user, assessment=self.assessment, submission=self.submission
        )
        messages.success(
            self.request, _("Version %(version)s started.") % {"version": self.newer.version}
        )

    def get_success_url(self):
        return assessment_url(self.newer)


class ReturnAssessmentView(AssessmentMixin, CommentFormView):
    permission_required = Perm.APPROVE_ASSESSMENTS
    submit_label = _("Return to the coordinator")
    heading = _("Return the assessment for changes")

    def perform(self, form):
        assessment_services.assessment_return(
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
        kwargs["missing"] = assessment_services.missing_for_approval(self.assessment)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        assessment_services.assessment_approve(
            acting_user=self.request.user,
            assessment=self.assessment,
            note=form.cleaned_data["note"],
        )
        messages.success(self.request, _("The assessment is approved."))


assessment_patterns = [
    path("", AssessmentDetailView.as_view(), name="detail"),
    path("pdf/", AssessmentPdfView.as_view(), name="pdf"),
    path("sections/<slug:kind>/", SectionEditView.as_view(), name="section_edit"),
    path("priorities/add/", PriorityEditView.as_view(), name="priority_add"),
    path("priorities/<int:priority_id>/", PriorityEditView.as_view(), name="priority_edit"),
    path(
        "priorities/<int:priority_id>/evidence/",
        PriorityEvidenceView.as_view(),
        name="priority_evidence",
    ),
    path(
        "priorities/<int:priority_id>/remove/",
        PriorityRemoveView.as_view(),
        name="priority_remove",
    ),
    path("open/", OpenContributionsView.as_view(), name="open_contributions"),
    path("submit/", SubmitForReviewView.as_view(), name="submit_for_review"),
    path("return/", ReturnAssessmentView.as_view(), name="return"),
    path("approve/", ApproveAssessmentView.as_view(), name="approve"),
    path("new-version/", NewVersionView.as_view(), name="new_version"),
]


class CrimeProfileCsvView(PartnershipViewMixin, View):
    """One table of the partnership's crime profile as CSV (``?table=offences|rates|similar|
    trend``, the offences by default): the numbers of the assessment pages' tables, for the
    analyst's own tools."""

    permission_required = Perm.VIEW_ASSESSMENTS

    def get(self, request, *args, **kwargs):
        profile = crime_profile(partnership=self.partnership)
        table = profile_table(profile, request.GET.get("table", "offences")) if profile else None
        if table is None:
            raise Http404
        file_name, rows = table
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        response.write("\ufeff")
        csv.writer(response).writerows(rows)
        return response


tenant_patterns = [
    path("assessments/", AssessmentListView.as_view(), name="list"),
    path("crime-profile.csv", CrimeProfileCsvView.as_view(), name="crime_profile_csv"),
    path("assessments/<int:assessment_id>/", include(assessment_patterns)),
]
