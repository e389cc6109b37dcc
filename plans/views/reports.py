"""Reports for those who hold the partnership to account: the page of everything scrutiny and the
PCC office read (approved assessments, approved and published plans, issued progress reports,
review counts), the coordinator's page to issue a quarter's progress report, and each report as a
page and as a PDF. Reading needs ``Perm.VIEW_PROGRESS_REPORTS``; anyone else gets 404.

A Welsh partnership's report reads in the reader's language on its page and comes as a PDF in
each language (``pdf/`` in English, ``pdf/cy/`` in Welsh, each with its own /Lang), kept once made
under a key that names the language. An English partnership's PDF is in the reader's language,
as its page is."""

from django.contrib import messages
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from csp_portal.changes import stamped_body
from csp_portal.frozen import frozen_body, frozen_bytes, frozen_key
from csp_portal.pdf import pdf_response
from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from .. import deadlines
from ..bilingual import ENGLISH, WELSH, is_bilingual, languages
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


def report_pdf_url(report, language: str | None = None) -> str:
    name = "plans:progress_report_pdf_cy" if language == WELSH else "plans:progress_report_pdf"
    return reverse(
        name, kwargs={"partnership_slug": report.partnership.slug, "report_id": report.pk}
    )


class ReportsView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_PROGRESS_REPORTS
    template_name = "plans/reports/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.membership

        def rendered() -> str:
            return render_to_string(
                "plans/reports/includes/index_body.html",
                {
                    "partnership": self.partnership,
                    "page": selectors.readers_page(membership=membership),
                    "may": ProgressReportPolicy.may(membership),
                    "bilingual": is_bilingual(self.partnership),
                },
            )

        # What the member may read and do here, kept under the partnership's change stamp (every
        # report issued, plan approved, review recorded moves it) and their membership and role.
        context["body"] = stamped_body(
            name="plans.reports",
            partnership_ids=[self.partnership.pk],
            parts=[membership.pk, membership.role],
            render=rendered,
        )
        return context


class ProgressReportIssueView(ServiceFormView):
    permission_required = ISSUES_PROGRESS_REPORTS
    template_name = "plans/reports/issue.html"
    form_class = ProgressReportIssueForm

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
            narrative=form.cleaned_data.get("narrative", ""),
            narrative_cy=form.cleaned_data.get("narrative_cy", ""),
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
            # A Welsh partnership's report as a PDF in each language; otherwise one, in the
            # reader's language.
            pdfs=[
                (language, report_pdf_url(report, language))
                for language in languages(self.partnership)
            ]
            if is_bilingual(self.partnership)
            else [],
            body=frozen_body(
                key=key, template_name="plans/reports/includes/report_body.html", context=contents
            ),
        )
        return context


class ProgressReportPdfView(ProgressReportMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        language = self.kwargs.get("language")
        if language is None and is_bilingual(self.partnership):
            language = ENGLISH
        if language is not None and language not in languages(self.partnership):
            raise Http404
        with translation.override(language or translation.get_language()):
            # A few pages of stored figures: made while the first visitor waits, then kept
            # (an issued report never changes), one for each language.
            view = selectors.report_view(self.report)
            key = frozen_key(
                self.report, revision=FIGURES_VERSION, stamp=self.report.issued_at, role="pdf"
            )
            pdf = frozen_bytes(key=key, make=lambda: progress_report_pdf(view))
            filename = progress_report_filename(view, language or ENGLISH)
        return pdf_response(pdf, filename=filename)


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
    path(
        "reports/progress/<int:report_id>/pdf/cy/",
        ProgressReportPdfView.as_view(),
        {"language": WELSH},
        name="progress_report_pdf_cy",
    ),
]
