"""The first middleware: a request id, the health and metrics endpoints, one log line and the
metrics for every request.

It runs before every other middleware, so ``/healthz``, ``/readyz`` and ``/metrics`` are answered
without a session, sign-in, two-factor, CSRF or the HTTPS redirect (a load balancer checks the
container's plain HTTP port), and the log line and metrics see every answer, refusals included.
It makes no database query itself: the queries it counts are the view's.
"""

import logging

from django.db import connection

from . import health, metrics
from .logs import REQUEST_ID_HEADER, new_request_id, reset_request_id, set_request_id

logger = logging.getLogger("csp_portal.requests")

ENDPOINTS = {
    "/healthz": lambda request: health.healthz(),
    "/readyz": lambda request: health.readyz(),
    "/metrics": metrics.metrics_response,
}


class _QueryCounter:
    __slots__ = ("count",)

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if endpoint is not None and request.method in {"GET", "HEAD"}:
            return endpoint(request)
        request_id = new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = set_request_id(request_id)
        counter = _QueryCounter()
        started = metrics.monotonic()
        try:
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
            seconds = metrics.monotonic() - started
            match = getattr(request, "resolver_match", None)
            view = (match.view_name if match else None) or "unresolved"
            metrics.observe_request(
                view=view,
                method=request.method,
                status=response.status_code,
                seconds=seconds,
                queries=counter.count,
            )
            logger.info(
                "%s %s %s",
                request.method,
                view,
                response.status_code,
                extra={
                    "method": request.method,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "db_queries": counter.count,
                },
            )
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            reset_request_id(token)
