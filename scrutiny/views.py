from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csp_portal.forms import ConfirmForm
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from . import forms, selectors
from .policies import (
    CallForActionPolicy,
    InformationRequestPolicy,
    RecommendationPolicy,
    ScrutinyMeetingPolicy,
)
from .policies import ScrutinyVerb as V
from .services import committee, information


def _url(name: str, partnership, **kwargs) -> str:
    return reverse(f"scrutiny:{name}", kwargs={"partnership_slug": partnership.slug, **kwargs})


class ScrutinyIndexView(PartnershipViewMixin, TemplateView):
    """Everything the committee has asked, reported, considered and met about, on one page."""

    permission_required = Perm.VIEW_SCRUTINY
    template_name = "scrutiny/index.html"

    def get_context_data(self, **kwargs):
        membership = self.membership
        kwargs.update(
            information_requests=selectors.information_requests_of(membership=membership),
            reports=selectors.committee_reports_of(membership=membership),
            calls=selectors.calls_for_action_of(membership=membership),
            meetings=selectors.meetings_of(membership=membership),
            may_create=InformationRequestPolicy.can(membership, V.CREATE),
        )
        return super().get_context_data(**kwargs)


class CreateView(ServiceFormView):
    """A form of the committee's that makes a record, then shows it."""

    permission_required = Perm.SCRUTINISE
    template_name = "scrutiny/form.html"
    heading = ""
    intro = ""

    def get_context_data(self, **kwargs):
        kwargs.update(heading=self.heading, intro=self.intro, back=_url("index", self.partnership))
        return super().get_context_data(**kwargs)


class InformationRequestCreateView(CreateView):
    form_class = forms.InformationRequestForm
    heading = _("Ask the partnership for information")
    intro = _(
        "The partnership's coordinators are told at once and reminded before the date. The "
        "partnership answers with depersonalised information: nothing that identifies anyone."
    )

    def get_initial(self):
        days = timedelta(days=settings.CSP_SCRUTINY_INFORMATION_DAYS)
        return {"due_date": timezone.localdate() + days}

    def perform(self, form):
        self.created = information.information_request_create(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Request sent to the partnership's coordinators."))

    def get_success_url(self):
        return _url("information_request", self.partnership, information_request_id=self.created.pk)


class InformationRequestMixin:
    permission_required = Perm.VIEW_SCRUTINY
    verb: V | None = None

    @cached_property
    def information_request(self):
        return selectors.information_request_for(
            membership=self.membership, pk=self.kwargs["information_request_id"]
        )

    def check_object_access(self):
        if self.verb and not InformationRequestPolicy.can(
            self.membership, self.verb, self.information_request
        ):
            raise Http404

    def get_context_data(self, **kwargs):
        kwargs["information_request"] = self.information_request
        kwargs["back"] = _url(
            "information_request",
            self.partnership,
            information_request_id=self.information_request.pk,
        )
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return _url(
            "information_request",
            self.partnership,
            information_request_id=self.information_request.pk,
        )


class InformationRequestDetailView(InformationRequestMixin, PartnershipViewMixin, TemplateView):
    template_name = "scrutiny/information_request.html"

    def get_context_data(self, **kwargs):
        kwargs["may"] = InformationRequestPolicy.may(self.membership, self.information_request)
        return super().get_context_data(**kwargs)


class InformationRequestAnswerView(InformationRequestMixin, ServiceFormView):
    permission_required = Perm.ANSWER_SCRUTINY
    verb = V.ANSWER
    template_name = "scrutiny/information_answer.html"
    form_class = forms.InformationAnswerForm

    def perform(self, form):
        information.information_request_answer(
            acting_user=self.request.user,
            information_request=self.information_request,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Answer sent to the committee."))


class InformationRequestWithdrawView(InformationRequestMixin, ServiceFormView):
    permission_required = Perm.SCRUTINISE
    verb = V.WITHDRAW
    template_name = "scrutiny/form.html"
    form_class = ConfirmForm
    form_needs_partnership = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            submit_label=_("Withdraw the request"), submit_classes="govuk-button--warning"
        )
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Withdraw the request “%(name)s”?") % {
            "name": self.information_request
        }
        return super().get_context_data(**kwargs)

    def perform(self, form):
        information.information_request_withdraw(
            acting_user=self.request.user, information_request=self.information_request
        )
        messages.success(self.request, _("Request withdrawn."))


# Reports and recommendations -------------------------------------------------------------------


class CommitteeReportCreateView(CreateView):
    form_class = forms.CommitteeReportForm
    heading = _("Send the committee's report and recommendations")
    intro = _(
        "The responsible authorities must answer each recommendation in writing. The "
        "partnership's coordinators are told at once and reminded until every recommendation "
        "has its response."
    )

    def perform(self, form):
        self.created = committee.committee_report_create(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Report sent to the partnership."))

    def get_success_url(self):
        return _url("committee_report", self.partnership, committee_report_id=self.created.pk)


class CommitteeReportMixin:
    permission_required = Perm.VIEW_SCRUTINY

    @cached_property
    def report(self):
        return selectors.committee_report_for(
            membership=self.membership, pk=self.kwargs["committee_report_id"]
        )

    def get_success_url(self):
        return _url("committee_report", self.partnership, committee_report_id=self.report.pk)


class CommitteeReportDetailView(CommitteeReportMixin, PartnershipViewMixin, TemplateView):
    template_name = "scrutiny/committee_report.html"

    def get_context_data(self, **kwargs):
        recommendations = list(self.report.recommendations.all())
        kwargs.update(
            report=self.report,
            recommendations=[
                (item, RecommendationPolicy.can(self.membership, V.ANSWER, item))
                for item in recommendations
            ],
        )
        return super().get_context_data(**kwargs)


class RecommendationRespondView(CommitteeReportMixin, ServiceFormView):
    permission_required = Perm.ANSWER_SCRUTINY
    template_name = "scrutiny/recommendation_respond.html"
    form_class = forms.RecommendationResponseForm

    @cached_property
    def recommendation(self):
        return selectors.recommendation_for(
            membership=self.membership,
            report=self.report,
            pk=self.kwargs["scrutiny_recommendation_id"],
        )

    def check_object_access(self):
        if not RecommendationPolicy.can(self.membership, V.ANSWER, self.recommendation):
            raise Http404

    def get_context_data(self, **kwargs):
        kwargs.update(
            report=self.report,
            recommendation=self.recommendation,
            back=self.get_success_url(),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        committee.scrutiny_recommendation_respond(
            acting_user=self.request.user, recommendation=self.recommendation, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("Response to recommendation %(number)s sent.")
            % {"number": self.recommendation.number},
        )


# Councillor calls for action -------------------------------------------------------------------


class CallForActionCreateView(CreateView):
    form_class = forms.CallForActionForm
    heading = _("Record a councillor call for action")
    intro = _("A local crime and disorder matter a ward councillor has referred to the committee.")

    def perform(self, form):
        self.created = committee.call_for_action_record(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Call for action recorded."))

    def get_success_url(self):
        return _url("call_for_action", self.partnership, call_for_action_id=self.created.pk)


class CallForActionMixin:
    permission_required = Perm.VIEW_SCRUTINY
    verb: V | None = None

    @cached_property
    def call(self):
        return selectors.call_for_action_for(
            membership=self.membership, pk=self.kwargs["call_for_action_id"]
        )

    def check_object_access(self):
        if self.verb and not CallForActionPolicy.can(self.membership, self.verb, self.call):
            raise Http404

    def get_context_data(self, **kwargs):
        kwargs["call"] = self.call
        kwargs["back"] = self.get_success_url()
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return _url("call_for_action", self.partnership, call_for_action_id=self.call.pk)


class CallForActionDetailView(CallForActionMixin, PartnershipViewMixin, TemplateView):
    template_name = "scrutiny/call_for_action.html"

    def get_context_data(self, **kwargs):
        kwargs["may"] = CallForActionPolicy.may(self.membership, self.call)
        return super().get_context_data(**kwargs)


class CallForActionConcludeView(CallForActionMixin, ServiceFormView):
    permission_required = Perm.SCRUTINISE
    verb = V.CONCLUDE
    template_name = "scrutiny/form.html"
    form_class = forms.CallForActionOutcomeForm

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Record the outcome of “%(matter)s”") % {"matter": self.call.matter}
        return super().get_context_data(**kwargs)

    def perform(self, form):
        committee.call_for_action_conclude(
            acting_user=self.request.user, call=self.call, **form.cleaned_data
        )
        messages.success(self.request, _("Outcome recorded."))


# Meetings --------------------------------------------------------------------------------------


class MeetingCreateView(CreateView):
    form_class = forms.ScrutinyMeetingForm
    heading = _("Record a meeting of the committee on the partnership")
    intro = _("The committee meets on the partnership's work at least once every twelve months.")

    def perform(self, form):
        self.created = committee.scrutiny_meeting_record(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Meeting recorded."))

    def get_success_url(self):
        return _url("meeting", self.partnership, scrutiny_meeting_id=self.created.pk)


class MeetingDetailView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_SCRUTINY
    template_name = "scrutiny/meeting.html"

    def get_context_data(self, **kwargs):
        kwargs["meeting"] = selectors.meeting_for(
            membership=self.membership, pk=self.kwargs["scrutiny_meeting_id"]
        )
        kwargs["may_record"] = ScrutinyMeetingPolicy.can(self.membership, V.CREATE)
        return super().get_context_data(**kwargs)
