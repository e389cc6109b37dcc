"""Community safety grants: the partnership's list, one grant with its quarterly returns, the
body's office's offer (and its changes and ending), the partnership's acceptance and its
quarterly spend return."""

from django.contrib import messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from partnerships.permissions import Perm
from partnerships.tenancy import ConfirmServiceView, PartnershipViewMixin, ServiceFormView

from .. import deadlines
from ..forms.grants import GrantForm, SpendReturnForm
from ..forms.progress import plain_number
from ..models import Quarter
from ..policies import GrantPolicy, GrantVerb
from ..selectors import grants as selectors
from ..services import grants as services


def grant_url(grant) -> str:
    return reverse(
        "plans:grant",
        kwargs={"partnership_slug": grant.partnership.slug, "safety_grant_id": grant.pk},
    )


class GrantListView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_GRANTS
    template_name = "plans/grants/list.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            rows=selectors.grant_list(membership=self.membership),
            may=GrantPolicy.may(self.membership),
        )
        return super().get_context_data(**kwargs)


class GrantMixin:
    """A grant of this partnership, or 404; and 404 again when the view's verb is not the
    member's to do to it (another office's grant): nothing says it exists."""

    verb: GrantVerb = GrantVerb.VIEW

    @cached_property
    def row(self):
        return selectors.grant_for(
            membership=self.membership, safety_grant_id=self.kwargs["safety_grant_id"]
        )

    def get_target(self):
        return self.row.grant

    def check_object_access(self):
        if not GrantPolicy.allows(self.membership, self.verb, self.row.grant):
            raise Http404

    def get_success_url(self):
        return grant_url(self.row.grant)


class GrantDetailView(GrantMixin, PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_GRANTS
    template_name = "plans/grants/detail.html"

    def get_context_data(self, **kwargs):
        row = self.row
        today = deadlines.local_today()
        kwargs.update(
            row=row,
            grant=row.grant,
            may=GrantPolicy.may(self.membership, row.grant),
            quarters=[
                (quarter, row.standing.returns.get(quarter.code), quarter in row.standing.late)
                for quarter in deadlines.grant_reportable_quarters(row.grant, today=today)
            ],
        )
        return super().get_context_data(**kwargs)


class GrantOfferView(ServiceFormView):
    permission_required = Perm.OFFER_GRANTS
    template_name = "plans/grants/form.html"
    form_class = GrantForm
    success_message = _("Grant “%(title)s” recorded. The partnership's coordinators can accept it.")

    @cached_property
    def plan(self):
        return selectors.plan_in_force(self.partnership.pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs):
        kwargs.update(plan=self.plan, grant=None)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.grant = services.grant_offer(
            acting_user=self.request.user,
            partnership=self.partnership,
            title=form.cleaned_data["title"],
            amount=form.cleaned_data["amount"],
            first_year=form.cleaned_data["first_year"],
            last_year=form.cleaned_data["last_year"],
            conditions=form.cleaned_data["conditions"],
            actions=form.cleaned_data["actions"],
            measures=form.cleaned_data["measures"],
            submission=self.submission,
        )

    def get_success_url(self):
        return grant_url(self.grant)


class GrantEditView(GrantMixin, ServiceFormView):
    permission_required = Perm.OFFER_GRANTS
    verb = GrantVerb.EDIT
    template_name = "plans/grants/form.html"
    form_class = GrantForm
    success_message = _("Grant “%(title)s” saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.row.grant.plan}

    def get_initial(self):
        grant = self.row.grant
        return {
            "title": grant.title,
            "amount": plain_number(grant.amount),
            "first_year": grant.first_year,
            "last_year": grant.last_year,
            "conditions": grant.conditions,
            "actions": list(grant.actions.all()),
            "measures": list(grant.measures.all()),
            "revision": grant.revision,
        }

    def get_context_data(self, **kwargs):
        kwargs.update(plan=self.row.grant.plan, grant=self.row.grant)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.grant_update(
            acting_user=self.request.user,
            grant=self.row.grant,
            title=form.cleaned_data["title"],
            amount=form.cleaned_data["amount"],
            first_year=form.cleaned_data["first_year"],
            last_year=form.cleaned_data["last_year"],
            conditions=form.cleaned_data["conditions"],
            actions=form.cleaned_data["actions"],
            measures=form.cleaned_data["measures"],
            revision=form.cleaned_data["revision"],
        )


class GrantAcceptView(GrantMixin, ConfirmServiceView):
    permission_required = Perm.TAKE_UP_GRANTS
    verb = GrantVerb.ACCEPT
    submit_label = _("Accept the grant")
    submit_classes = ""
    heading = _("Accept the grant “%(name)s”?")
    explanation = _(
        "The partnership agrees to the grant's conditions and reports what it spends of it, and "
        "what that achieves, every quarter."
    )

    def perform(self, form):
        services.grant_accept(acting_user=self.request.user, grant=self.row.grant)
        messages.success(self.request, _("The grant is accepted."))


class GrantEndView(GrantMixin, ConfirmServiceView):
    permission_required = Perm.OFFER_GRANTS
    verb = GrantVerb.END
    submit_label = _("End the grant")
    heading = _("End the grant “%(name)s”?")
    explanation = _(
        "No spend is asked for after today. Returns still owed for the quarters up to today "
        "stay owed. An offer not yet accepted is withdrawn."
    )

    def perform(self, form):
        services.grant_end(acting_user=self.request.user, grant=self.row.grant)
        messages.success(self.request, _("The grant has ended."))


class GrantSpendView(GrantMixin, ServiceFormView):
    permission_required = Perm.TAKE_UP_GRANTS
    verb = GrantVerb.REPORT_SPEND
    template_name = "plans/grants/spend.html"
    form_class = SpendReturnForm

    @cached_property
    def quarters(self) -> list[Quarter]:
        today = deadlines.local_today()
        return sorted(
            deadlines.grant_reportable_quarters(self.row.grant, today=today), reverse=True
        )

    @cached_property
    def quarter(self) -> Quarter | None:
        """The quarter asked for (a reminder's link), else the latest one still owed, else the
        current one."""
        code = self.request.POST.get("quarter") or self.request.GET.get("quarter", "")
        wanted = next((q for q in self.quarters if q.code == code), None)
        owed = self.row.standing.owed
        return wanted or (owed[0] if owed else None) or next(iter(self.quarters), None)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "quarters": self.quarters}

    def get_initial(self):
        if self.quarter is None:
            return {}
        spend = self.row.standing.returns.get(self.quarter.code)
        return {
            "quarter": self.quarter.code,
            "amount_spent": plain_number(spend.amount_spent) if spend else "",
            "outcome": spend.outcome if spend else "",
            "revision": spend.revision if spend else 0,
        }

    def get_context_data(self, **kwargs):
        kwargs.update(
            row=self.row,
            grant=self.row.grant,
            not_now=GrantPolicy.not_now(self.membership, self.verb, self.row.grant),
        )
        context = super().get_context_data(**kwargs)
        if not self.quarters or kwargs["not_now"]:
            context.pop("form", None)
        return context

    def perform(self, form):
        quarter = Quarter.from_code(form.cleaned_data["quarter"])
        services.grant_spend_report(
            acting_user=self.request.user,
            grant=self.row.grant,
            quarter=quarter,
            amount_spent=form.cleaned_data["amount_spent"],
            outcome=form.cleaned_data["outcome"],
            revision=form.cleaned_data["revision"],
            submission=self.submission,
        )
        messages.success(
            self.request, _("Spend for %(quarter)s saved.") % {"quarter": str(quarter)}
        )


tenant_patterns = [
    path("grants/", GrantListView.as_view(), name="grants"),
    path("grants/new/", GrantOfferView.as_view(), name="grant_offer"),
    path("grants/<int:safety_grant_id>/", GrantDetailView.as_view(), name="grant"),
    path("grants/<int:safety_grant_id>/edit/", GrantEditView.as_view(), name="grant_edit"),
    path("grants/<int:safety_grant_id>/accept/", GrantAcceptView.as_view(), name="grant_accept"),
    path("grants/<int:safety_grant_id>/end/", GrantEndView.as_view(), name="grant_end"),
    path("grants/<int:safety_grant_id>/spend/", GrantSpendView.as_view(), name="grant_spend"),
]
