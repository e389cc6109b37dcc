"""gunicorn's settings for the portal (``--config python:csp_portal.gunicorn``), shared by
docker-compose's web service, the two-web-node drill and ``manage.py benchmark_pages``.
Command-line flags (bind, workers, timeout) still win over these defaults.

Metrics are counted per worker process in PROMETHEUS_MULTIPROC_DIR (csp_portal/metrics.py): the
folder is emptied when gunicorn starts, so that counts of an earlier run are not added in, and a
worker that exits has its live gauges dropped. No access log: csp_portal.requests writes one JSON
line per request without the path, which may hold a token.
"""

import gc
import os
import shutil
from pathlib import Path

accesslog = None
# The application is imported once in the master and forked: workers share its memory pages.
preload_app = True
workers = 3
timeout = 60


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker):
    """Move everything loaded before the fork (Django, the URL map, templates, translations:
    hundreds of thousands of objects) into the permanent generation. Without it each full
    collection walks them all, about 110 ms that lands on one request in fifteen and made the
    p95 of a busy page three times its median (issue 17); frozen objects are never scanned, and
    never written to, so the pages stay shared with the master too."""
    gc.freeze()
