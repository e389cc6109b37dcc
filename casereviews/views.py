"""ASB case review pages.

Public, without signing in (``site_patterns``, argument ``slug``): the partnership's published
procedure with its yearly figures, the application form, and the page that gives the reference.
Members (``tenant_patterns``, under /p/<partnership>/case-reviews/): counts for everyone, the
cases granted to them, the procedure for coordinators, and each step of a case. A case is found
only for those granted it (404 otherwise); its page logs the read.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from accounts.lockout import client_address
from csp_portal.forms import ConfirmForm
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from . import selectors, services
from .forms import (
    HONEYPOT,
    AppealDecisionForm,
    AppealForm,
    ApplicationForm,
    GrantForm,
    MeetingForm,
    ProcedureForm,
    RecommendationForm,
    ResponseForm,
    ThresholdForm,
)
from .models import PROCEDURE_FIELDS, QUALIFYING_PERIOD_MONTHS, STATUTORY_MAX_COMPLAINTS
from .policies import CasePolicy, CaseVerb

V = CaseVerb
APPLIED_SESSION_KEY = "casereviews_applied"
TOKEN_FIELD = "application_token"  # noqa: S105 (a field name, not a secret)


def _retention_years() -> int:
    return settings.CSP_RETENTION_DAYS["case_reviews"] // 365


# Public pages ------------------------------------------------------------------------------


class PublicProcedureMixin:
    @cached_property
    def procedure(self):
        procedure = selectors.published_procedure(slug=self.kwargs["slug"])
        if procedure is None:
            raise Http404
        return procedure

    def get_context_data(self, **kwargs):
        kwargs.update(
            procedure=self.procedure,
            partnership=self.procedure.partnership,
            retention_years=_retention_years(),
            qualifying_months=QUALIFYING_PERIOD_MONTHS,
        )
        return super().get_context_data(**kwargs)


class PublicProcedureView(PublicProcedureMixin, TemplateView):
    """The published review procedure (s104(2)(b)) and the yearly figures (s104(10))."""

    template_name = "casereviews/public.html"

    def get_context_data(self, **kwargs):
        kwargs["figures"] = selectors.yearly_figures(partnership=self.procedure.partnership)
        return super().get_context_data(**kwargs)


class ApplyView(PublicProcedureMixin, FormView):
    """The application form: no sign-in, CSRF-protected, a hidden trap for scripts, a limit per
    address, and a one-time token so that the same form sent twice makes one application."""

    template_name = "casereviews/apply.html"
    form_class = ApplicationForm

    @cached_property
    def token(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.request.POST.get(TOKEN_FIELD, ""))
        except ValueError:
            return uuid.uuid4()

    def get_context_data(self, **kwargs):
        kwargs.update(token=self.token, token_field=TOKEN_FIELD, honeypot=HONEYPOT)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        details = {k: v for k, v in form.cleaned_data.items() if k != HONEYPOT}
        try:
            case = services.application_submit(
                partnership=self.procedure.partnership,
                token=self.token,
                details=details,
                language=self.request.LANGUAGE_CODE,
                source=services.source_hash(client_address(self.request)),
            )
        except services.AlreadyApplied as earlier:
            case = earlier.case
        except ValidationError as error:
            form.add_error(None, error)
            limited = getattr(error, "code", None) == "rate_limited"
            return self.render_to_response(
                self.get_context_data(form=form), status=429 if limited else 400
            )
        self.request.session[APPLIED_SESSION_KEY] = {
            "slug": self.procedure.partnership.slug,
            "reference": case.reference,
            "email": case.applicant_email,
        }
        return redirect("casereviews:applied", slug=self.procedure.partnership.slug)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AppliedView(PublicProcedureMixin, TemplateView):
    """The reference, shown to the browser that sent the application (kept in its session)."""

    template_name = "casereviews/applied.html"

    def get_context_data(self, **kwargs):
        applied = self.request.session.get(APPLIED_SESSION_KEY)
        if not applied or applied.get("slug") != self.kwargs["slug"]:
            raise Http404
        kwargs["applied"] = applied
        return super().get_context_data(**kwargs)


# Members' pages ----------------------------------------------------------------------------


class CaseListView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_CASE_REVIEWS
    template_name = "casereviews/list.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            cases=list(selectors.cases_granted(membership=self.membership)),
            counts=selectors.status_counts(partnership=self.partnership),
            procedure=selectors.procedure_of(partnership=self.partnership),
            may=CasePolicy.may(self.membership),
        )
        return super().get_context_data(**kwargs)


class ProcedureView(ServiceFormView):
    permission_required = Perm.MANAGE_CASE_REVIEWS
    template_name = "casereviews/form_page.html"
    form_class = ProcedureForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.procedure_of(partnership=self.partnership)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("ASB case review procedure"),
            intro=_(
                "The partnership's review procedures (Anti-social Behaviour, Crime and Policing "
                "Act 2014, section 104). The threshold may be at most %(max)s qualifying "
                "complaints; a complaint qualifies when made within a month of the behaviour, "
                "and the application within %(months)s months of the complaint. Consult the "
                "police and crime commissioner and social housing providers on changes "
                "(Schedule 4)."
            )
            % {"max": STATUTORY_MAX_COMPLAINTS, "months": QUALIFYING_PERIOD_MONTHS},
            cancel_url=_list_url(self.partnership),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in PROCEDURE_FIELDS}
        services.procedure_save(
            acting_user=self.request.user,
            partnership=self.partnership,
            publish=form.cleaned_data["publish"],
            submission=self.submission,
            **fields,
        )
        messages.success(self.request, _("The procedure is saved."))

    def get_success_url(self):
        return _list_url(self.partnership)


def _list_url(partnership) -> str:
    return reverse("casereviews:list", kwargs={"partnership_slug": partnership.slug})


class CaseMixin(PartnershipViewMixin):
    """Resolves ``case_id`` for those granted the case (404 for everyone else), then asks the
    policy for ``verb``: 404 again when it is not theirs to do."""

    permission_required = Perm.VIEW_CASE_REVIEWS
    verb = V.READ

    @cached_property
    def case(self):
        return selectors.case_for(membership=self.membership, case_id=self.kwargs["case_id"])

    def check_object_access(self):
        super().check_object_access()
        if not CasePolicy.allows(self.membership, self.verb, self.case):
            raise Http404

    def get_context_data(self, **kwargs):
        kwargs.setdefault("case", self.case)
        return super().get_context_data(**kwargs)


class CaseDetailView(CaseMixin, TemplateView):
    template_name = "casereviews/detail.html"

    def get_context_data(self, **kwargs):
        services.case_read(user=self.request.user, case=self.case, what=str(_("Case page")))
        case = selectors.case_detail(case=self.case)
        kwargs.update(
            case=case,
            may=CasePolicy.may(self.membership, case),
            appeal_by=services.appeal_deadline(case, case.partnership.case_review_procedure),
        )
        return super().get_context_data(**kwargs)


class CaseFormView(CaseMixin, ServiceFormView):
    """One step of a case: a form, then one service; back to the case."""

    template_name = "casereviews/form_page.html"
    form_needs_partnership = False
    heading = ""
    service = None

    def get_context_data(self, **kwargs):
        kwargs.update(heading=self.heading, cancel_url=self.case_url())
        return super().get_context_data(**kwargs)

    def perform(self, form):
        type(self).service(
            acting_user=self.request.user,
            case=self.case,
            submission=self.submission,
            **form.cleaned_data,
        )

    def case_url(self) -> str:
        return reverse(
            "casereviews:detail",
            kwargs={"partnership_slug": self.partnership.slug, "case_id": self.case.pk},
        )

    def get_success_url(self):
        return self.case_url()


class CaseConfirmView(CaseFormView):
    """An "are you sure" button, then the service."""

    form_class = ConfirmForm
    submit_label = ""
    submit_classes = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(submit_label=self.submit_label, submit_classes=self.submit_classes)
        return kwargs


class OrganisationsMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = selectors.case_organisations(partnership=self.partnership)
        return kwargs


class ThresholdView(CaseFormView):
    verb = V.DECIDE_THRESHOLD
    form_class = ThresholdForm
    heading = _("Decide whether the threshold is met")
    service = services.threshold_decide
    success_message = _("The decision is recorded and the applicant has been told.")


class MeetingView(CaseFormView):
    verb = V.RECORD_REVIEW
    form_class = MeetingForm
    heading = _("Record the review meeting")
    service = services.meeting_record

    def get_initial(self):
        return {"meeting_date": self.case.meeting_date, "findings": self.case.findings}


class ResponseView(OrganisationsMixin, CaseFormView):
    verb = V.RECORD_REVIEW
    form_class = ResponseForm
    heading = _("Record an agency's response")
    service = services.response_record


class RecommendationView(OrganisationsMixin, CaseFormView):
    verb = V.RECORD_REVIEW
    form_class = RecommendationForm
    heading = _("Add a recommendation")
    service = services.recommendation_add


class ConcludeView(CaseConfirmView):
    verb = V.CONCLUDE
    heading = _("Tell the applicant the outcome")
    submit_label = _("Send the outcome to the applicant")
    success_message = _("The applicant has been sent the outcome.")

    def perform(self, form):
        services.case_conclude(
            acting_user=self.request.user, case=self.case, submission=self.submission
        )


class AppealView(CaseFormView):
    verb = V.RECORD_APPEAL
    form_class = AppealForm
    heading = _("Record an appeal")
    service = services.appeal_record


class AppealDecisionView(CaseFormView):
    verb = V.DECIDE_APPEAL
    form_class = AppealDecisionForm
    heading = _("Record the appeal decision")
    service = services.appeal_decide
    success_message = _("The appeal decision is recorded and the applicant has been told.")


class RecommendationCompleteView(CaseConfirmView):
    verb = V.RECORD_REVIEW
    heading = _("Mark the recommendation complete")
    submit_label = _("Mark complete")

    def check_object_access(self):
        PartnershipViewMixin.check_object_access(self)
        if not CasePolicy.allows(self.membership, V.COMPLETE_RECOMMENDATION, self.recommendation):
            raise Http404

    @cached_property
    def recommendation(self):
        return selectors.recommendation_of(
            case=self.case, recommendation_id=self.kwargs["case_recommendation_id"]
        )

    def get_context_data(self, **kwargs):
        kwargs["intro"] = self.recommendation.recommendation
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.recommendation_complete(
            acting_user=self.request.user,
            recommendation=self.recommendation,
            submission=self.submission,
        )


class AccessView(CaseFormView):
    verb = V.MANAGE_ACCESS
    form_class = GrantForm
    template_name = "casereviews/access.html"
    heading = _("Who has access to this case")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["members"] = selectors.members_to_grant(case=self.case)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["grants"] = selectors.case_detail(case=self.case).access_grants.all()
        kwargs["reads"] = selectors.case_reads(case=self.case)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.access_grant(
            acting_user=self.request.user,
            case=self.case,
            membership=form.cleaned_data["membership"],
            reason=form.cleaned_data["reason"],
            submission=self.submission,
        )

    def get_success_url(self):
        return reverse(
            "casereviews:access",
            kwargs={"partnership_slug": self.partnership.slug, "case_id": self.case.pk},
        )


class AccessRemoveView(CaseConfirmView):
    verb = V.MANAGE_ACCESS
    heading = _("Remove access")
    submit_label = _("Remove access")
    submit_classes = "govuk-button--warning"

    @cached_property
    def grant(self):
        return selectors.grant_of(case=self.case, grant_id=self.kwargs["case_grant_id"])

    def get_context_data(self, **kwargs):
        kwargs["intro"] = str(self.grant.user)
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return reverse(
            "casereviews:access",
            kwargs={"partnership_slug": self.partnership.slug, "case_id": self.case.pk},
        )

    def perform(self, form):
        services.access_revoke(
            acting_user=self.request.user, grant=self.grant, submission=self.submission
        )


site_patterns = [
    path("community-trigger/<slug:slug>/", PublicProcedureView.as_view(), name="public"),
    path("community-trigger/<slug:slug>/apply/", ApplyView.as_view(), name="apply"),
    path("community-trigger/<slug:slug>/applied/", AppliedView.as_view(), name="applied"),
]
case = "case-reviews/<int:case_id>/"
tenant_patterns = [
    path("case-reviews/", CaseListView.as_view(), name="list"),
    path("case-reviews/procedure/", ProcedureView.as_view(), name="procedure"),
    path(case, CaseDetailView.as_view(), name="detail"),
    path(f"{case}threshold/", ThresholdView.as_view(), name="threshold"),
    path(f"{case}meeting/", MeetingView.as_view(), name="meeting"),
    path(f"{case}responses/", ResponseView.as_view(), name="response"),
    path(f"{case}recommendations/", RecommendationView.as_view(), name="recommendation"),
    path(
        f"{case}recommendations/<int:case_recommendation_id>/complete/",
        RecommendationCompleteView.as_view(),
        name="recommendation_complete",
    ),
    path(f"{case}conclude/", ConcludeView.as_view(), name="conclude"),
    path(f"{case}appeal/", AppealView.as_view(), name="appeal"),
    path(f"{case}appeal/decision/", AppealDecisionView.as_view(), name="appeal_decision"),
    path(f"{case}access/", AccessView.as_view(), name="access"),
    path(
        f"{case}access/<int:case_grant_id>/remove/",
        AccessRemoveView.as_view(),
        name="access_remove",
    ),
]
