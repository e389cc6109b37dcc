"""Gunicorn settings shared by docker-compose's web service and `manage.py benchmark_pages`.

Command-line flags (bind, workers, timeout) still win over these defaults."""

import gc

# The application is imported once in the master and forked: workers share its memory pages.
preload_app = True
workers = 3
timeout = 60


def post_fork(server, worker):
    """Move everything loaded before the fork (Django, the URL map, templates, translations:
    hundreds of thousands of objects) into the permanent generation. Without it each full
    collection walks them all, about 110 ms that lands on one request in fifteen and made the
    p95 of a busy page three times its median (issue 17); frozen objects are never scanned, and
    never written to, so the pages stay shared with the master too."""
    gc.freeze()
