"""Open data: the register, the compliance counts and the published plans' priorities, as CSV
and JSON at addresses that stay the same, under the Open Government Licence v3.0, with the date
they last changed. Anyone may fetch them; shared caches may keep them for five minutes, and a
client that has them already gets 304 from the ETag or Last-Modified without the data being
read again (one query decides it)."""

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe
from django.views.generic import TemplateView

from csp_portal.site import site_url

from .. import selectors
from ..exports import compliance_record, csv_response, register_record
from ..policies import NationalOversightPolicy

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
LICENCE_STATEMENT = _(
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
PUBLIC_CACHE = {"public": True, "max_age": 300}


def _last_modified(request, dataset: str):
    """The moment ``dataset`` last changed (asked once a request). The compliance counts also
    change when a day passes (a clock or a due date goes by), so they are never older than
    today's start."""
    if not hasattr(request, "_open_data_updated"):
        request._open_data_updated = selectors.last_updated()
    latest = request._open_data_updated
    if dataset == "compliance":
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        latest = max(latest, today)
    return latest.replace(microsecond=0)


def _records(dataset: str) -> list[dict]:
    if dataset == "partnerships":
        return [register_record(entry) for entry in selectors.register_records()]
    if dataset == "compliance":
        everyone = NationalOversightPolicy.public_partnerships()
        return [
            compliance_record(row)
            for row in selectors.compliance_rows(everyone, today=timezone.localdate())
        ]
    return [
        {
            "partnership": priority.plan.partnership.name,
            "slug": priority.plan.partnership.slug,
            "plan_period_start": priority.plan.period_start,
            "position": priority.position,
            "theme": priority.theme,
            "theme_label": str(priority.get_theme_display()),
        }
        for priority in selectors.published_priorities()
    ]


DATASETS = ("partnerships", "compliance", "priorities")


def _etag(request, dataset: str, extension: str) -> str:
    return f'"{dataset}.{extension}-{int(_last_modified(request, dataset).timestamp())}"'


def _modified(request, dataset: str, extension: str):
    return _last_modified(request, dataset)


@require_safe
@cache_control(**PUBLIC_CACHE)
@condition(etag_func=_etag, last_modified_func=_modified)
def dataset_view(request, dataset: str, extension: str) -> HttpResponse:
    records = _records(dataset)
    if extension == "csv":
        return csv_response(records, filename=f"{dataset}.csv")
    return JsonResponse(
        {
            "dataset": dataset,
            "last_updated": _last_modified(request, dataset).isoformat(),
            "licence": {**LICENCE, "statement": str(LICENCE_STATEMENT)},
            "source": site_url(reverse("national:open_data")),
            "records": records,
        },
        json_dumps_params={"ensure_ascii": False},
    )


class OpenDataView(TemplateView):
    template_name = "national/open_data.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            last_updated=selectors.last_updated(),
            licence=LICENCE,
            licence_statement=LICENCE_STATEMENT,
            datasets=[
                (_("The register of partnerships"), "partnerships"),
                (_("Statutory duties: counts and dates per partnership"), "compliance"),
                (_("Priorities of published partnership plans"), "priorities"),
            ],
        )
        return super().get_context_data(**kwargs)
