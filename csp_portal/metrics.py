"""Prometheus metrics: requests, latency and database queries by view; Celery task outcomes; and,
read when scraped, the backlogs the apps register (the email outbox, documents stuck rendering).

Under gunicorn every worker process counts for itself: with ``PROMETHEUS_MULTIPROC_DIR`` set (to
an empty directory each start, see docs/deployment.md) prometheus_client keeps the counts in
files there and ``/metrics`` adds them up over the processes. Without it (``make run``, the
tests) the one process's own counts are shown.

``/metrics`` answers only a caller with ``Authorization: Bearer <CSP_METRICS_TOKEN>``; without a
token set it is not there at all (404). Counting costs a request no database query: the labels
are the view's URL name, the method and the status.
"""

import hmac
import logging
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "csp_http_requests_total", "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)  # fmt: skip
LATENCY = Histogram(
    "csp_http_request_duration_seconds", "Time to answer a request, by view.", ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)  # fmt: skip
QUERIES = Histogram(
    "csp_http_request_db_queries", "Database queries made to answer a request, by view.", ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200),
)  # fmt: skip
TASKS = Counter(
    "csp_celery_tasks_total", "Celery tasks finished, by task and outcome.", ["task", "outcome"]
)

# name -> (help, function giving the value now); filled by the apps in AppConfig.ready.
_gauges: dict[str, tuple[str, Callable[[], float]]] = {}


def register_gauge(name: str, documentation: str, read: Callable[[], float]) -> None:
    """A value read from the database when /metrics is scraped (never on a page's request)."""
    _gauges[name] = (documentation, read)


class _ScrapeTimeGauges:
    def collect(self):
        for name, (documentation, read) in sorted(_gauges.items()):
            try:
                value = float(read())
            except Exception as error:  # a scrape that cannot read one still shows the others
                logger.warning("Metric %s could not be read (%s)", name, type(error).__name__)
                continue
            yield GaugeMetricFamily(name, documentation, value=value)


def observe_request(*, view: str, method: str, status: int, seconds: float, queries: int):
    REQUESTS.labels(view, method, str(status)).inc()
    LATENCY.labels(view).observe(seconds)
    QUERIES.labels(view).observe(queries)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def authorised(request: HttpRequest) -> bool:
    token = settings.CSP_METRICS_TOKEN
    offered = request.META.get("HTTP_AUTHORIZATION", "")
    return bool(token) and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


def metrics_response(request: HttpRequest) -> HttpResponse:
    if not settings.CSP_METRICS_TOKEN:
        return HttpResponse(status=404)
    if not authorised(request):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = _registry()
    output = generate_latest(registry)
    scrape = CollectorRegistry()
    scrape.register(_ScrapeTimeGauges())
    output += generate_latest(scrape)
    response = HttpResponse(output, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def connect_celery() -> None:
    """Count each task's outcome in the process that ran it."""
    from celery import signals

    @signals.task_success.connect(weak=False)
    def _success(sender=None, **kwargs):
        TASKS.labels(getattr(sender, "name", "unknown"), "success").inc()

    @signals.task_failure.connect(weak=False)
    def _failure(sender=None, **kwargs):
        TASKS.labels(getattr(sender, "name", "unknown"), "failure").inc()

    @signals.task_retry.connect(weak=False)
    def _retry(sender=None, **kwargs):
        TASKS.labels(getattr(sender, "name", "unknown"), "retry").inc()

    @signals.worker_ready.connect(weak=False)
    def _serve(**kwargs):
        # The worker's own /metrics, on a port that only the monitoring network reaches.
        port = settings.CSP_WORKER_METRICS_PORT
        if port:
            from prometheus_client import start_http_server

            start_http_server(port, addr=settings.CSP_WORKER_METRICS_ADDRESS, registry=_registry())


def monotonic() -> float:
    return time.perf_counter()
