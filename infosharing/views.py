"""The register of information sharing agreements (under /p/<partnership>/information-sharing/):
the register, one agreement, and the coordinators' steps: record, review, end."""

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

from . import forms, selectors, services
from .policies import AgreementPolicy, ReturnPolicy, ReturnVerb
from .policies import AgreementVerb as V


def _agreement_url(agreement) -> str:
    return reverse(
        "infosharing:agreement",
        kwargs={"partnership_slug": agreement.partnership.slug, "agreement_id": agreement.pk},
    )


class RegisterView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_INFORMATION_SHARING
    template_name = "infosharing/register.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            agreements=selectors.agreements_of(membership=self.membership),
            may_record=AgreementPolicy.can(self.membership, V.RECORD),
        )
        return super().get_context_data(**kwargs)


class AgreementRecordView(ServiceFormView):
    permission_required = Perm.MANAGE_INFORMATION_SHARING
    template_name = "infosharing/form.html"
    form_class = forms.AgreementForm

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Add an information sharing agreement"),
            back=reverse("infosharing:register", args=[self.partnership.slug]),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.created = services.agreement_record(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Agreement added to the register."))

    def get_success_url(self):
        return _agreement_url(self.created)


class AgreementMixin:
    permission_required = Perm.VIEW_INFORMATION_SHARING
    verb: V | None = None

    @cached_property
    def agreement(self):
        return selectors.agreement_for(membership=self.membership, pk=self.kwargs["agreement_id"])

    def check_object_access(self):
        if self.verb and not AgreementPolicy.can(self.membership, self.verb, self.agreement):
            raise Http404

    def get_context_data(self, **kwargs):
        kwargs.update(agreement=self.agreement, back=_agreement_url(self.agreement))
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return _agreement_url(self.agreement)


class AgreementDetailView(AgreementMixin, PartnershipViewMixin, TemplateView):
    template_name = "infosharing/agreement.html"

    def get_context_data(self, **kwargs):
        kwargs["may"] = AgreementPolicy.may(self.membership, self.agreement)
        return super().get_context_data(**kwargs)


class AgreementReviewView(AgreementMixin, ServiceFormView):
    permission_required = Perm.MANAGE_INFORMATION_SHARING
    verb = V.REVIEW
    template_name = "infosharing/form.html"
    form_class = forms.ReviewForm

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Record the review of “%(title)s”") % {"title": self.agreement}
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.agreement_review(
            acting_user=self.request.user, agreement=self.agreement, **form.cleaned_data
        )
        messages.success(self.request, _("Review recorded."))


class AgreementEndView(AgreementMixin, ServiceFormView):
    permission_required = Perm.MANAGE_INFORMATION_SHARING
    verb = V.END
    template_name = "infosharing/form.html"
    form_class = ConfirmForm
    form_needs_partnership = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(submit_label=_("End the agreement"), submit_classes="govuk-button--warning")
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("End “%(title)s”?") % {"title": self.agreement}
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.agreement_end(acting_user=self.request.user, agreement=self.agreement)
        messages.success(self.request, _("Agreement ended. It stays in the register."))


# Quarterly returns ------------------------------------------------------------------------------


class ReturnListView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_INFORMATION_SHARING
    template_name = "infosharing/returns.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            returns=selectors.returns_of(membership=self.membership),
            today=timezone.localdate(),
            may_open=ReturnPolicy.can(self.membership, ReturnVerb.OPEN),
        )
        return super().get_context_data(**kwargs)


class ReturnsOpenView(ServiceFormView):
    permission_required = Perm.MANAGE_INFORMATION_SHARING
    template_name = "infosharing/form.html"
    form_class = forms.OpenQuarterForm

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Ask for a quarter's returns of depersonalised information"),
            intro=_(
                "One return falls due from each responsible authority on the partnership. Their "
                "people are reminded before the date and chased when it is late."
            ),
            back=reverse("infosharing:returns", args=[self.partnership.slug]),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.returns_open(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Returns asked for."))

    def get_success_url(self):
        return reverse("infosharing:returns", args=[self.partnership.slug])


class ReturnView(ServiceFormView):
    """A return: its figures for everyone who sees it; the form for its organisation's people
    while it is due."""

    permission_required = Perm.VIEW_INFORMATION_SHARING
    template_name = "infosharing/return.html"
    form_class = forms.ReturnForm

    @cached_property
    def quarterly_return(self):
        return selectors.return_for(membership=self.membership, pk=self.kwargs["return_id"])

    def check_object_access(self):
        self.quarterly_return  # noqa: B018 (404 for a return not theirs to see)

    def post(self, request, *args, **kwargs):
        if not ReturnPolicy.can(self.membership, ReturnVerb.SUBMIT, self.quarterly_return):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.update(
            quarterly_return=self.quarterly_return,
            may_submit=ReturnPolicy.can(self.membership, ReturnVerb.SUBMIT, self.quarterly_return),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.return_submit(
            acting_user=self.request.user,
            quarterly_return=self.quarterly_return,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Return sent."))

    def get_success_url(self):
        return reverse("infosharing:return", args=[self.partnership.slug, self.quarterly_return.pk])
