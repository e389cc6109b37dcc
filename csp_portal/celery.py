import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")

app = Celery("csp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Celery sets up its own logging unless told not to: the workers log as Django says (JSON lines).
app.conf.worker_hijack_root_logger = False


def _connect_observability() -> None:
    from . import logs, metrics

    logs.connect_celery(app)
    metrics.connect_celery()


_connect_observability()
