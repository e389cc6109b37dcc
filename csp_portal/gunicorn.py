"""gunicorn's settings for the portal (``--config python:csp_portal.gunicorn``).

Metrics are counted per worker process in PROMETHEUS_MULTIPROC_DIR (csp_portal/metrics.py): the
folder is emptied when gunicorn starts, so that counts of an earlier run are not added in, and a
worker that exits has its live gauges dropped. No access log: csp_portal.requests writes one JSON
line per request without the path, which may hold a token.
"""

import os
import shutil
from pathlib import Path

accesslog = None


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
