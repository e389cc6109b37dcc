"""The strategy group's meetings (under /p/<partnership>/strategy-group/): the list, one
meeting with its attendance by seat, decisions and (once published, or for the coordinators)
minutes, and the coordinators' steps: schedule, record, add a decision, publish the minutes (and,
where the partnership chooses, a depersonalised version on the public page). Public, without
signing in (``/community-safety/<slug>/strategy-group/``): those minutes, year by year."""

from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csp_portal.downloads import private_attachment
from csp_portal.forms import ConfirmForm
from engagement.selectors import public_partnership, seat_rows
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from . import forms, selectors, services
from .policies import MeetingPolicy
from .policies import MeetingVerb as V


def _meeting_url(meeting) -> str:
    return reverse(
        "strategygroup:meeting",
        kwargs={"partnership_slug": meeting.partnership.slug, "meeting_id": meeting.pk},
    )


class MeetingListView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_STRATEGY_MEETINGS
    template_name = "strategygroup/meetings.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            meetings=selectors.meetings_of(membership=self.membership),
            may_schedule=MeetingPolicy.can(self.membership, V.SCHEDULE),
        )
        return super().get_context_data(**kwargs)


class MeetingScheduleView(ServiceFormView):
    permission_required = Perm.MANAGE_STRATEGY_MEETINGS
    template_name = "strategygroup/form.html"
    form_class = forms.MeetingForm

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Schedule a strategy group meeting"),
            back=reverse("strategygroup:meetings", args=[self.partnership.slug]),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.created = services.meeting_schedule(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Meeting scheduled."))

    def get_success_url(self):
        return _meeting_url(self.created)


class MeetingMixin:
    permission_required = Perm.VIEW_STRATEGY_MEETINGS
    verb: V | None = None

    @cached_property
    def meeting(self):
        return selectors.meeting_for(membership=self.membership, pk=self.kwargs["meeting_id"])

    def check_object_access(self):
        if self.verb and not MeetingPolicy.can(self.membership, self.verb, self.meeting):
            raise Http404

    def get_context_data(self, **kwargs):
        kwargs.update(meeting=self.meeting, back=_meeting_url(self.meeting))
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return _meeting_url(self.meeting)


class MeetingDetailView(MeetingMixin, PartnershipViewMixin, TemplateView):
    template_name = "strategygroup/meeting.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            may=MeetingPolicy.may(self.membership, self.meeting),
            seat_rows=seat_rows(self.meeting),
        )
        return super().get_context_data(**kwargs)


class MeetingRecordView(MeetingMixin, ServiceFormView):
    permission_required = Perm.MANAGE_STRATEGY_MEETINGS
    verb = V.RECORD
    template_name = "strategygroup/form.html"
    form_class = forms.RecordForm

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Record “%(title)s”") % {"title": self.meeting.title}
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.meeting_record(
            acting_user=self.request.user,
            meeting=self.meeting,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Meeting recorded."))


class DecisionAddView(MeetingMixin, ServiceFormView):
    permission_required = Perm.MANAGE_STRATEGY_MEETINGS
    verb = V.DECIDE
    template_name = "strategygroup/form.html"
    form_class = forms.DecisionForm

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Add a decision or action arising")
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.decision_add(
            acting_user=self.request.user,
            meeting=self.meeting,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Decision added."))


class MeetingPublishView(MeetingMixin, ServiceFormView):
    permission_required = Perm.MANAGE_STRATEGY_MEETINGS
    verb = V.PUBLISH
    template_name = "strategygroup/form.html"
    form_class = ConfirmForm
    form_needs_partnership = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(submit_label=_("Publish the minutes"))
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _(
            "Publish the minutes of “%(title)s” to the partnership's members?"
        ) % {"title": self.meeting.title}
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.meeting_publish(acting_user=self.request.user, meeting=self.meeting)
        messages.success(self.request, _("Minutes published to the partnership's members."))


class MeetingPublishPublicView(MeetingMixin, ServiceFormView):
    """The partnership's choice for this meeting: a depersonalised version of its published
    minutes on the public page."""

    permission_required = Perm.MANAGE_STRATEGY_MEETINGS
    verb = V.PUBLISH_PUBLIC
    template_name = "strategygroup/form.html"
    form_class = forms.PublicMinutesForm

    def get_initial(self):
        return {"public_minutes": self.meeting.minutes}

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Put the minutes of “%(title)s” on the public page") % {
            "title": self.meeting.title
        }
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.meeting_publish_public(
            acting_user=self.request.user,
            meeting=self.meeting,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Minutes published on the public page."))


class MeetingWithdrawPublicView(MeetingMixin, ServiceFormView):
    permission_required = Perm.MANAGE_STRATEGY_MEETINGS
    verb = V.WITHDRAW_PUBLIC
    template_name = "strategygroup/form.html"
    form_class = ConfirmForm
    form_needs_partnership = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            submit_label=_("Take the minutes off the public page"),
            submit_classes="govuk-button--warning",
        )
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Take the minutes of “%(title)s” off the public page?") % {
            "title": self.meeting.title
        }
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.meeting_withdraw_public(acting_user=self.request.user, meeting=self.meeting)
        messages.success(self.request, _("Minutes taken off the public page."))


class PaperAddView(MeetingMixin, ServiceFormView):
    permission_required = Perm.MANAGE_STRATEGY_MEETINGS
    verb = V.ADD_PAPER
    template_name = "strategygroup/form.html"
    form_class = forms.PaperForm

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Add a paper for “%(title)s”") % {"title": self.meeting.title}
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.paper_add(
            acting_user=self.request.user,
            meeting=self.meeting,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Paper added."))


class PaperDownloadView(MeetingMixin, PartnershipViewMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        paper = selectors.paper_for(meeting=self.meeting, pk=self.kwargs["paper_id"])
        return private_attachment(paper)


class PublicMeetingsView(TemplateView):
    """The public page (no sign-in): the minutes the partnership chose to publish, one financial
    year at a time (``?year=``), with the seats that attended and no one's name."""

    template_name = "strategygroup/public.html"

    def get_context_data(self, **kwargs):
        partnership = public_partnership(slug=self.kwargs["slug"])
        found = selectors.public_meetings(
            partnership=partnership, year=self.request.GET.get("year")
        )
        kwargs.update(
            partnership=partnership,
            meetings=[(meeting, seat_rows(meeting)) for meeting in found.meetings],
            pages=found.pages,
        )
        return super().get_context_data(**kwargs)
