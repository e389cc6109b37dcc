"""The national oversight officer's compliance view: counts and dates of every partnership their
grant covers, filtered, sorted, paginated, and as a CSV. Anyone without an open grant gets 404; a
grant holder who has not passed two-factor authentication in this session is sent to it first,
whatever the two-factor middleware decided."""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from accounts.selectors import user_has_two_factor

from .. import selectors
from ..exports import compliance_record, csv_response
from ..forms import ComplianceFilterForm
from ..policies import NationalOversightPolicy

PAGE_SIZE = 50


class NationalViewMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.grant = NationalOversightPolicy.require_viewer(request.user)
        except PermissionDenied:
            step = (
                "accounts:two_factor_verify"
                if user_has_two_factor(request.user)
                else "accounts:two_factor_setup"
            )
            return redirect(reverse(step) + "?" + urlencode({"next": request.get_full_path()}))
        self.partnerships = NationalOversightPolicy.partnerships(self.grant)
        self.form = ComplianceFilterForm(
            request.GET or None, force_areas=selectors.force_areas_of(self.partnerships)
        )
        return super().dispatch(request, *args, **kwargs)

    def rows(self):
        return selectors.filtered_compliance(
            self.partnerships, **self.form.filters(), today=timezone.localdate()
        )


class ComplianceView(NationalViewMixin, TemplateView):
    template_name = "national/compliance.html"

    def get_context_data(self, **kwargs):
        filters = self.form.filters()
        page = Paginator(self.rows(), PAGE_SIZE).get_page(self.request.GET.get("page"))
        chosen = {
            "nation": filters["nation"],
            "force_area": filters["force_area"] or "",
            "late": "on" if filters["late"] else "",
        }
        chosen = {key: value for key, value in chosen.items() if value}
        kwargs.update(
            grant=self.grant,
            form=self.form,
            page=page,
            rows=page.object_list,
            sort=filters["sort"],
            filter_query=urlencode(chosen),
            page_query=urlencode({**chosen, "sort": filters["sort"]}) + "&",
            csv_url=reverse("national:compliance_csv")
            + "?"
            + urlencode({**chosen, "sort": filters["sort"]}),
            headers=_headers(filters["sort"], chosen),
        )
        return super().get_context_data(**kwargs)


class ComplianceCsvView(NationalViewMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        return csv_response(
            (compliance_record(row) for row in self.rows()),
            filename=f"csp-compliance-{timezone.localdate().isoformat()}.csv",
        )


def _headers(sort: str, chosen: dict) -> list[dict]:
    """Each column's heading: a link that sorts by it (the other way when it is the order now),
    and its ``aria-sort``."""
    current = sort.lstrip("-")
    descending = sort.startswith("-")
    headers = []
    for key, label in selectors.SORT_COLUMNS:
        is_current = key == current
        next_sort = f"-{key}" if is_current and not descending else key
        headers.append(
            {
                "label": label,
                "url": "?" + urlencode({**chosen, "sort": next_sort}),
                "aria_sort": (
                    ("descending" if descending else "ascending") if is_current else "none"
                ),
            }
        )
    return headers
