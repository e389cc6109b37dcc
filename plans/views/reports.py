"""Reports for those who hold the partnership to account: the page of everything scrutiny and the
PCC office read (approved assessments, approved and published plans, issued progress reports,
review counts), the coordinator's page to issue a quarter's progress report, and each report as a
page and as a PDF. Reading needs ``Perm.VIEW_PROGRESS_REPORTS``; anyone else gets 404."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from csp_portal.frozen import frozen_body, frozen_key
from csp_portal.pdf import pdf_response
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from .. import deadlines
from ..documents import progress_report_chart, progress_report_filename, progress_report_pdf
from ..forms.reports import ProgressReportIssueForm
from ..policies import ISSUES_PROGRESS_REPORTS, ProgressReportPolicy
from ..selectors import reports as selectors
from ..selectors.reports import FIGURES_VERSION
from ..services.reports import progress_report_issue, progress_report_read


def report_url(report) -> str:
    return reverse(
        "plans:progress_report",
        kwargs={"partnership_slug": report.partnership.slug, "report_id": report.pk},
    )


class ReportsView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_PROGRESS_REPORTS
    template_name = "plans/reports/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = selectors.readers_page(membership=self.membership)
        context["may"] = ProgressReportPolicy.may(self.membership)
        return context


class ProgressReportIssueView(ServiceFormView):
    permission_required = ISSUES_PROGRESS_REPORTS
    template_name = "plans/reports/issue.html"
    form_class = ProgressReportIssueForm
    form_needs_partnership = False

    @cached_property
    def today(self):
        return deadlines.local_today()

    @cached_property
    def plan(self):
        return selectors.plan_in_force(partnership=self.partnership)

    @cached_property
    def latest(self):
        return selectors.latest_report(partnership=self.partnership)

    @cached_property
    def quarters(self):
        if self.plan is None:
            return []
        return selectors.issuable_quarters(plan=self.plan, latest=self.latest, today=self.today)

    def get_initial(self):
        # The last completed quarter, when it may still be issued; else the latest that may.
        last = (
            deadlines.last_completed_quarter(plan=self.plan, today=self.today)
            if self.plan
            else None
        )
        choice = last if last in self.quarters else (self.quarters[0] if self.quarters else None)
        return {"quarter": choice.code} if choice else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "quarters": self.quarters}

    def get_context_data(self, **kwargs):
        kwargs.update(plan=self.plan, latest=self.latest, quarters=self.quarters)
        context = super().get_context_data(**kwargs)
        if not self.quarters:
            context.pop("form", None)
        return context

    def perform(self, form):
        self.issued = progress_report_issue(
            acting_user=self.request.user,
            plan=self.plan,
            quarter=form.cleaned_data["quarter"],
            today=self.today,
            submission=self.submission,
        )
        messages.success(
            self.request,
            _("Progress report for %(quarter)s issued.") % {"quarter": self.issued.period},
        )

    def get_success_url(self):
        return report_url(self.issued)


class ProgressReportMixin(PartnershipViewMixin):
    permission_required = Perm.VIEW_PROGRESS_REPORTS

    def check_object_access(self) -> None:
        self.report = selectors.progress_report_for(
            membership=self.membership, report_id=self.kwargs["report_id"]
        )


class ProgressReportView(ProgressReportMixin, TemplateView):
    template_name = "plans/reports/report.html"

    def get(self, request, *args, **kwargs):
        # Opening the report is reading it: it is no longer new to this person on Your work.
        progress_report_read(
            acting_user=request.user,
            membership=self.membership,
            report=self.report,
            today=deadlines.local_today(),
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """An issued report never changes: its body is rendered once for each role and language
        and kept (csp_portal/frozen.py)."""
        context = super().get_context_data(**kwargs)
        report = self.report

        def contents() -> dict:
            view = selectors.report_view(report)
            return {
                "partnership": self.partnership,
                "report": report,
                "view": view,
                "status_chart": progress_report_chart(view),
                "for_print": False,
            }

        key = frozen_key(
            report, revision=FIGURES_VERSION, stamp=report.issued_at, role=self.membership.role
        )
        context.update(
            report=report,
            previous=report.previous,
            body=frozen_body(
                key=key, template_name="plans/reports/includes/report_body.html", context=contents
            ),
        )
        return context


class ProgressReportPdfView(ProgressReportMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        # A few pages of stored figures: made while the visitor waits, like the assessment PDF.
        view = selectors.report_view(self.report)
        return pdf_response(progress_report_pdf(view), filename=progress_report_filename(view))


tenant_patterns = [
    path("reports/", ReportsView.as_view(), name="reports"),
    path(
        "reports/progress/issue/", ProgressReportIssueView.as_view(), name="progress_report_issue"
    ),
    path(
        "reports/progress/<int:report_id>/",
        ProgressReportView.as_view(),
        name="progress_report",
    ),
    path(
        "reports/progress/<int:report_id>/pdf/",
        ProgressReportPdfView.as_view(),
        name="progress_report_pdf",
    ),
]
