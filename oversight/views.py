from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csp_portal.changes import stamped_body
from csp_portal.downloads import private_attachment
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView
from plans import deadlines

from . import forms, selectors
from .policies import ReportRequestPolicy, ReportRequestVerb
from .services import combinations, priorities, report_requests


@login_required
def force_area(request):
    """Every partnership of the PCC office's police force area(s) on one page. Its body is worked
    out from those partnerships' records and the day (refreshes due, overdue updates, late
    returns, the body holding the commissioner functions), so it is kept under their change
    stamps, the day and the scope's force areas and offices (csp_portal/changes.py, issue 17)."""
    scope = selectors.force_area_scope(user=request.user)
    if not scope.partnership_ids:
        raise Http404
    today = deadlines.local_today()

    def rendered() -> str:
        overviews = selectors.force_area_overview(user=request.user, today=today)
        return render_to_string("oversight/includes/force_area_body.html", {"overviews": overviews})

    body = stamped_body(
        name="oversight.force_area",
        partnership_ids=scope.partnership_ids,
        parts=[today.isoformat(), *scope.key],
        render=rendered,
    )
    return render(request, "oversight/force_area.html", {"body": body})


# Police and crime plan priorities --------------------------------------------------------------


class PccPriorityMixin:
    permission_required = Perm.MANAGE_PCC_PRIORITIES

    def get_target(self):
        if "pcc_priority_id" not in self.kwargs:
            return None
        return selectors.pcc_priority_for(
            membership=self.membership, pcc_priority_id=self.kwargs["pcc_priority_id"]
        )

    def check_object_access(self):
        self.get_target()  # another force area's priority: 404 before anything else

    def get_success_url(self):
        return reverse(
            "oversight:pcc_priorities", kwargs={"partnership_slug": self.partnership.slug}
        )


class PccPriorityListView(PccPriorityMixin, PartnershipViewMixin, TemplateView):
    template_name = "oversight/pcc_priorities.html"

    def get_context_data(self, **kwargs):
        listed = list(selectors.pcc_priorities_of(membership=self.membership))
        kwargs.update(
            force_area=self.partnership.police_force_area,
            body=selectors.local_policing_body_today(membership=self.membership),
            current=[p for p in listed if p.retired_at is None],
            retired=[p for p in listed if p.retired_at is not None],
        )
        return super().get_context_data(**kwargs)


class PccPriorityEditView(PccPriorityMixin, ServiceFormView):
    template_name = "oversight/pcc_priority_edit.html"
    form_class = forms.PccPriorityForm
    success_message = _("Priority “%(title)s” saved.")

    def get_initial(self):
        if self.target is None:
            return {}
        return {"title": self.target.title, "description": self.target.description}

    def get_context_data(self, **kwargs):
        kwargs.update(target=self.target, force_area=self.partnership.police_force_area)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        if self.target is None:
            priorities.pcc_priority_add(
                acting_user=self.request.user,
                membership=self.membership,
                **form.cleaned_data,
                submission=self.submission,
            )
        else:
            priorities.pcc_priority_update(
                acting_user=self.request.user,
                membership=self.membership,
                priority=self.target,
                **form.cleaned_data,
            )


class PccPriorityRetireView(PccPriorityMixin, ServiceFormView):
    template_name = "partnerships/confirm.html"
    form_class = forms.FinishForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(submit_label=_("Retire priority"), submit_classes="govuk-button--warning")
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.update(
            target=self.target,
            heading=_("Retire the priority “%(name)s”?") % {"name": self.target.title},
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        priorities.pcc_priority_retire(
            acting_user=self.request.user, membership=self.membership, priority=self.target
        )
        messages.success(self.request, _("Priority retired."))


class PccPriorityMoveView(PccPriorityMixin, ServiceFormView):
    form_class = forms.MoveForm

    def get(self, request, *args, **kwargs):
        return redirect(self.get_success_url())

    def perform(self, form):
        priorities.pcc_priority_move(
            acting_user=self.request.user,
            membership=self.membership,
            priority=self.target,
            direction=form.cleaned_data["direction"],
        )
        messages.success(self.request, _("Order saved."))

    def form_invalid(self, form):
        return redirect(self.get_success_url())


# Report requests -------------------------------------------------------------------------------


class ReportRequestListView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_REPORT_REQUESTS
    template_name = "oversight/report_requests.html"

    def get_context_data(self, **kwargs):
        kwargs["report_requests"] = selectors.report_request_list(membership=self.membership)
        return super().get_context_data(**kwargs)


class ReportRequestCreateView(ServiceFormView):
    permission_required = Perm.REQUEST_REPORTS
    template_name = "oversight/report_request_form.html"
    form_class = forms.ReportRequestForm

    def perform(self, form):
        self.created = report_requests.report_request_create(
            acting_user=self.request.user,
            membership=self.membership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Request sent to the partnership's coordinators."))

    def get_success_url(self):
        return _request_url(self.created)


def _request_url(report_request) -> str:
    return reverse(
        "oversight:report_request",
        kwargs={
            "partnership_slug": report_request.partnership.slug,
            "report_request_id": report_request.pk,
        },
    )


class ReportRequestMixin:
    """Views of one request; a step's page (``verb``) is found only while the policy would let
    this member take the step now."""

    permission_required = Perm.VIEW_REPORT_REQUESTS
    verb: ReportRequestVerb | None = None

    @cached_property
    def report_request(self):
        return selectors.report_request_for(
            membership=self.membership, report_request_id=self.kwargs["report_request_id"]
        )

    def check_object_access(self):
        report_request = self.report_request
        if self.verb and not ReportRequestPolicy.can(self.membership, self.verb, report_request):
            raise Http404

    def get_target(self):
        return self.report_request

    def get_context_data(self, **kwargs):
        kwargs["report_request"] = self.report_request
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return _request_url(self.report_request)


class ReportRequestDetailView(ReportRequestMixin, PartnershipViewMixin, TemplateView):
    template_name = "oversight/report_request.html"

    def get_context_data(self, **kwargs):
        kwargs["may"] = ReportRequestPolicy.may(self.membership, self.report_request)
        return super().get_context_data(**kwargs)


class ReportRequestAnswerView(ReportRequestMixin, ServiceFormView):
    permission_required = Perm.ANSWER_REPORT_REQUESTS
    verb = ReportRequestVerb.ANSWER
    template_name = "oversight/report_request_step.html"
    form_class = forms.AnswerForm
    heading = _("Answer the request")

    def get_context_data(self, **kwargs):
        kwargs["heading"] = self.heading
        return super().get_context_data(**kwargs)

    def perform(self, form):
        report_requests.report_request_answer(
            acting_user=self.request.user,
            membership=self.membership,
            report_request=self.report_request,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["file"],
            submission=self.submission,
        )
        messages.success(
            self.request,
            _("Answer sent to the %(title)s.") % {"title": self.report_request.requested_by_body},
        )


class ReportRequestAskMoreView(ReportRequestMixin, ServiceFormView):
    permission_required = Perm.REQUEST_REPORTS
    verb = ReportRequestVerb.ASK_MORE
    template_name = "oversight/report_request_step.html"
    form_class = forms.AskMoreForm

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Ask for more")
        return super().get_context_data(**kwargs)

    def perform(self, form):
        report_requests.report_request_ask_more(
            acting_user=self.request.user,
            membership=self.membership,
            report_request=self.report_request,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Request reopened: the coordinators have been told."))


class ReportRequestFinishView(ReportRequestMixin, ServiceFormView):
    permission_required = Perm.REQUEST_REPORTS
    template_name = "oversight/report_request_step.html"
    form_class = forms.FinishForm
    heading = ""
    submit_label = ""
    submit_classes = ""
    done_message = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(submit_label=self.submit_label, submit_classes=self.submit_classes)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["heading"] = self.heading
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.service(
            acting_user=self.request.user,
            membership=self.membership,
            report_request=self.report_request,
            note=form.cleaned_data["note"],
        )
        messages.success(self.request, self.done_message)


class ReportRequestCloseView(ReportRequestFinishView):
    verb = ReportRequestVerb.CLOSE
    heading = _("Close the request")
    submit_label = _("Close request")
    done_message = _("Request closed.")
    service = staticmethod(report_requests.report_request_close)


class ReportRequestWithdrawView(ReportRequestFinishView):
    verb = ReportRequestVerb.WITHDRAW
    heading = _("Withdraw the request")
    submit_label = _("Withdraw request")
    submit_classes = "govuk-button--warning"
    done_message = _("Request withdrawn.")
    service = staticmethod(report_requests.report_request_withdraw)


class ReportDocumentDownloadView(ReportRequestMixin, PartnershipViewMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        document = selectors.report_document_for(
            report_request=self.report_request,
            report_document_id=self.kwargs["report_document_id"],
        )
        return private_attachment(document)


# Combinations ----------------------------------------------------------------------------------


class CombinationListView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.APPROVE_COMBINATIONS
    template_name = "oversight/combinations.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            approvals=selectors.combination_approvals_of(membership=self.membership),
            body=selectors.local_policing_body_today(membership=self.membership),
        )
        return super().get_context_data(**kwargs)


class CombinationApproveView(ServiceFormView):
    permission_required = Perm.APPROVE_COMBINATIONS
    template_name = "oversight/combination_form.html"
    form_class = forms.CombinationForm
    success_message = _("Approval recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["candidates"] = selectors.combination_candidates(membership=self.membership)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.update(
            force_area=self.partnership.police_force_area,
            body=selectors.local_policing_body_today(membership=self.membership),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        combinations.combination_approval_record(
            acting_user=self.request.user,
            membership=self.membership,
            **form.cleaned_data,
            submission=self.submission,
        )

    def get_success_url(self):
        return reverse("oversight:combinations", kwargs={"partnership_slug": self.partnership.slug})
