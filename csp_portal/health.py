"""``/healthz``: the process answers. ``/readyz``: the database, Redis and the object store each
answer within CSP_READY_TIMEOUT seconds, so a load balancer sends this node work.

Both are answered by ``csp_portal.observability.RequestMiddleware`` before the session, sign-in,
two-factor, CSRF and HTTPS-redirect middleware, so a health check costs no session and works on
the plain HTTP port of the container. The answer names each component and says ok or fail:
nothing about versions, hosts or errors (those go to the log).
"""

import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)

_pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="readyz")


def _database() -> None:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # the check's thread ends; its connection must not linger


def _redis() -> None:
    if not settings.REDIS_URL:  # make run: the file-system broker, nothing to ask
        return
    import redis

    timeout = settings.CSP_READY_TIMEOUT
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    finally:
        client.close()


def _object_store() -> None:
    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:
        default_storage.connection.meta.client.head_bucket(Bucket=bucket)
    elif not Path(default_storage.location).is_dir():
        raise FileNotFoundError("The media folder is missing.")


CHECKS = {"database": _database, "redis": _redis, "object_store": _object_store}


def _answer(components: dict[str, str], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(components), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def healthz() -> HttpResponse:
    return _answer({"status": "ok"}, 200)


def readyz() -> HttpResponse:
    deadline = time.monotonic() + settings.CSP_READY_TIMEOUT
    futures = {name: _pool.submit(check) for name, check in CHECKS.items()}
    components = {}
    for name, future in futures.items():
        try:
            future.result(timeout=max(deadline - time.monotonic(), 0))
            components[name] = "ok"
        except FutureTimeout:
            logger.warning("Readiness: %s did not answer in time", name)
            components[name] = "fail"
        except Exception as error:
            logger.warning("Readiness: %s failed (%s)", name, type(error).__name__)
            components[name] = "fail"
    ready = all(value == "ok" for value in components.values())
    return _answer({"status": "ok" if ready else "fail", **components}, 200 if ready else 503)
