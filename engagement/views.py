"""Community engagement pages.

Members (under /p/<partnership>/engagement/): the year's public meetings and consultations with
the seat table (who of senior position attended for each responsible authority, and the gaps),
one event, and the coordinators' steps: plan, record as held, publish the summary, cancel.
Public, without signing in (``/community-safety/<slug>/meetings/``): the notices of the events to
come and the published summaries of those held (reg 12(4)(c) of SI 2007/1830).
"""

from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csp_portal.forms import ConfirmForm
from partnerships.models import Seat
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from . import forms, selectors, services
from .policies import EventPolicy
from .policies import EventVerb as V


def _event_url(event) -> str:
    return reverse(
        "engagement:event",
        kwargs={"partnership_slug": event.partnership.slug, "event_id": event.pk},
    )


class EngagementIndexView(PartnershipViewMixin, TemplateView):
    """The year's events and the seat table: one row per event, one column per seat."""

    permission_required = Perm.VIEW_ENGAGEMENT
    template_name = "engagement/index.html"

    def get_context_data(self, **kwargs):
        events = list(selectors.events_of(membership=self.membership))
        kwargs.update(
            events=[(event, selectors.seat_rows(event)) for event in events],
            seats=Seat.statutory(),
            may_plan=EventPolicy.can(self.membership, V.PLAN),
        )
        return super().get_context_data(**kwargs)


class EventPlanView(ServiceFormView):
    permission_required = Perm.MANAGE_ENGAGEMENT
    template_name = "engagement/form.html"
    form_class = forms.EventPlanForm

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Plan a public meeting or consultation"),
            back=reverse("engagement:index", args=[self.partnership.slug]),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.created = services.event_plan(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Event planned. Its notice is on the public page."))

    def get_success_url(self):
        return _event_url(self.created)


class EventMixin:
    permission_required = Perm.VIEW_ENGAGEMENT
    verb: V | None = None

    @cached_property
    def event(self):
        return selectors.event_for(membership=self.membership, pk=self.kwargs["event_id"])

    def check_object_access(self):
        if self.verb and not EventPolicy.can(self.membership, self.verb, self.event):
            raise Http404

    def get_context_data(self, **kwargs):
        kwargs.update(event=self.event, back=_event_url(self.event))
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return _event_url(self.event)


class EventDetailView(EventMixin, PartnershipViewMixin, TemplateView):
    template_name = "engagement/event.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            may=EventPolicy.may(self.membership, self.event),
            seat_rows=selectors.seat_rows(self.event),
        )
        return super().get_context_data(**kwargs)


class EventRecordView(EventMixin, ServiceFormView):
    permission_required = Perm.MANAGE_ENGAGEMENT
    verb = V.RECORD
    template_name = "engagement/form.html"
    form_class = forms.EventRecordForm

    def get_initial(self):
        today = timezone.localdate()
        return {"held_on": min(self.event.planned_on, today)}

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Record “%(title)s”") % {"title": self.event.title}
        kwargs["intro"] = _(
            "Regulation 12 asks that a person of senior position from each responsible "
            "authority attends. A seat left blank shows as a gap."
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.event_record_held(
            acting_user=self.request.user,
            event=self.event,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Event recorded."))


class _EventConfirmView(EventMixin, ServiceFormView):
    permission_required = Perm.MANAGE_ENGAGEMENT
    template_name = "engagement/form.html"
    form_class = ConfirmForm
    form_needs_partnership = False
    submit_label = ""
    submit_classes = ""
    heading = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(submit_label=self.submit_label, submit_classes=self.submit_classes)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["heading"] = self.heading % {"title": self.event.title}
        return super().get_context_data(**kwargs)


class EventPublishView(_EventConfirmView):
    verb = V.PUBLISH
    submit_label = _("Publish the summary")
    heading = _("Publish the summary of “%(title)s” on the public page?")

    def perform(self, form):
        services.event_publish(acting_user=self.request.user, event=self.event)
        messages.success(self.request, _("Summary published on the public page."))


class EventCancelView(_EventConfirmView):
    verb = V.CANCEL
    submit_label = _("Cancel the event")
    submit_classes = "govuk-button--warning"
    heading = _("Cancel “%(title)s”?")

    def perform(self, form):
        services.event_cancel(acting_user=self.request.user, event=self.event)
        messages.success(self.request, _("Event cancelled. Its notice has left the public page."))


class PublicEventsView(TemplateView):
    """The public page: no sign-in. The summaries of one financial year at a time (``?year=``),
    and the seats that attended, never the names of who attended for them."""

    template_name = "engagement/public.html"

    def get_context_data(self, **kwargs):
        partnership = selectors.public_partnership(slug=self.kwargs["slug"])
        found = selectors.public_events(partnership=partnership, year=self.request.GET.get("year"))
        kwargs.update(
            partnership=partnership,
            coming=found.coming,
            held=[(event, selectors.seat_rows(event)) for event in found.held],
            pages=found.pages,
        )
        return super().get_context_data(**kwargs)
