"""Pages that move a plan along: consultation, sign-off, publication, the annual refresh, and
the partnership's rule for who signs off."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.permissions import Perm
from partnerships.tenancy import ConfirmServiceView

from .. import selectors
from ..bilingual import missing_welsh
from ..forms import consultation as consultation_forms
from ..forms import drafting as forms
from ..policies import PlanPolicy, PlanVerb, required_seats
from ..services import approval, drafting
from .drafting import PlanFormView, PlanMixin, plan_url


class PlanTransitionView(PlanMixin, ConfirmServiceView):
    """Confirm, then call one service on the plan."""

    template_name = "plans/transition.html"
    submit_classes = ""
    explanation = ""
    done_message = ""

    def get_target(self):
        return self.plan

    def get_context_data(self, **kwargs):
        kwargs["explanation"] = self.explanation
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.act()
        messages.success(self.request, self.done_message)

    def act(self):
        raise NotImplementedError


class ConsultationView(PlanTransitionView):
    permission_required = Perm.MANAGE_PLANS
    form_class = consultation_forms.ConsultationOpenForm
    submit_label = _("Open consultation")
    heading = _("Open consultation on the %(name)s?")
    explanation = _(
        "Partner officers can then read it and comment on it until the closing date, and "
        "strategy group members are asked to sign it off for their seats. You can still change "
        "it; going back to draft clears any sign-offs."
    )
    done_message = _("The plan is open for consultation. Members have been told.")

    def get_initial(self):
        days = settings.CSP_PLAN_CONSULTATION_DAYS
        return {"closes_on": timezone.localdate() + timedelta(days=days)}

    def act(self):
        approval.plan_open_consultation(
            acting_user=self.request.user,
            plan=self.plan,
            closes_on=self.closes_on,
        )

    def perform(self, form):
        self.closes_on = form.cleaned_data["closes_on"]
        super().perform(form)


class RedraftView(PlanTransitionView):
    permission_required = Perm.MANAGE_PLANS
    submit_label = _("Return to draft")
    submit_classes = "govuk-button--warning"
    heading = _("Return the %(name)s to draft?")
    explanation = _("Consultation ends and the sign-offs given so far are cleared.")
    done_message = _("The plan is a draft again.")

    def act(self):
        approval.plan_return_to_draft(acting_user=self.request.user, plan=self.plan)


class WelshCheckMixin:
    """Sign-off and publication wait for the Welsh of every published text (plans.bilingual):
    the page lists what is missing, with links for the coordinator."""

    def get_context_data(self, **kwargs):
        kwargs.update(
            missing_welsh=missing_welsh(self.plan),
            may_edit_welsh=PlanPolicy.can(self.membership, PlanVerb.EDIT, self.plan),
        )
        return super().get_context_data(**kwargs)


class SignOffView(WelshCheckMixin, PlanTransitionView):
    permission_required = Perm.SIGN_OFF_PLANS
    submit_label = _("Sign off the plan")
    heading = _("Sign off the %(name)s?")
    explanation = _(
        "You sign it off for your organisation's seat. Your name and organisation appear in the "
        "governance block of the plan. When every required seat has signed, the plan is "
        "approved and this version is frozen."
    )
    done_message = _("You have signed the plan off.")

    def act(self):
        approval.plan_sign_off(
            acting_user=self.request.user,
            membership=self.membership,
            plan=self.plan,
            submission=self.submission,
        )


class PublishView(WelshCheckMixin, PlanTransitionView):
    permission_required = Perm.MANAGE_PLANS
    submit_label = _("Publish the plan")
    heading = _("Publish the %(name)s?")
    explanation = _(
        "Its summary appears on the partnership's public page, and it replaces any earlier "
        "published version, which becomes superseded."
    )
    done_message = _("The plan is published.")

    def act(self):
        approval.plan_publish(acting_user=self.request.user, plan=self.plan)


class RefreshView(PlanMixin, PlanFormView):
    """Start the annual refresh from the published plan and an approved assessment."""

    permission_required = Perm.MANAGE_PLANS
    template_name = "plans/form_page.html"
    form_class = forms.PlanStartForm

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Start the annual refresh"),
            intro=_(
                "The refresh starts as a copy of the published plan. Priorities the new "
                "assessment recommends that the plan lacks are added."
            ),
            cancel_url=plan_url(self.plan),
        )
        return super().get_context_data(**kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "assessments": selectors.approved_assessments(partnership=self.partnership),
            "submit_label": _("Start the refresh"),
        }

    def perform(self, form):
        self.newer = drafting.plan_refresh(
            acting_user=self.request.user,
            plan=self.plan,
            assessment=form.cleaned_data["assessment"],
            submission=self.submission,
        )
        messages.success(
            self.request, _("Version %(version)s started.") % {"version": self.newer.version}
        )

    def get_success_url(self):
        return plan_url(self.newer)


class ApprovalRuleView(PlanFormView):
    permission_required = Perm.MANAGE_PLANS
    template_name = "plans/form_page.html"
    form_class = forms.ApprovalRuleForm
    success_message = _("Sign-off rule saved.")

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Who signs off the plan"),
            cancel_url=reverse("plans:list", kwargs={"partnership_slug": self.partnership.slug}),
        )
        return super().get_context_data(**kwargs)

    def get_initial(self):
        return {"seats": required_seats(self.partnership)}

    def perform(self, form):
        approval.approval_rule_update(
            acting_user=self.request.user,
            partnership=self.partnership,
            seats=form.cleaned_data["seats"],
        )

    def get_success_url(self):
        return reverse("plans:list", kwargs={"partnership_slug": self.partnership.slug})


tenant_patterns = [
    path("plans/sign-off-rule/", ApprovalRuleView.as_view(), name="approval_rule"),
    path("plans/<int:plan_id>/consultation/", ConsultationView.as_view(), name="consultation"),
    path("plans/<int:plan_id>/redraft/", RedraftView.as_view(), name="redraft"),
    path("plans/<int:plan_id>/sign-off/", SignOffView.as_view(), name="sign_off"),
    path("plans/<int:plan_id>/publish/", PublishView.as_view(), name="publish"),
    path("plans/<int:plan_id>/refresh/", RefreshView.as_view(), name="refresh"),
]
