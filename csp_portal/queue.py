"""Queue a Celery task without letting the broker reach the person using the page.

Every task is queued after the transaction that made its data commits (``on_commit``). If the
task cannot be published then, whatever the reason (Redis unreachable, the file-system broker's
folder missing, anything else the broker raises), one line is logged and the page or command
carries on: the work is not lost, because each task's data stays in the database waiting for it
(an outbox row, an unsent invitation, a queued document) and the periodic flushes that beat runs
every minute pick it up once the broker is back.
"""

import logging

from celery.local import Proxy
from django.db import InterfaceError, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - redis comes with celery[redis]
    RedisConnectionError = RedisTimeoutError = OperationalError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisConnectionError, RedisTimeoutError, ConnectionError)

# Worth another try by a task: the database or the storage was briefly out of reach.
TRANSIENT_ERRORS = (DatabaseOperationalError, InterfaceError, ConnectionError, TimeoutError)

# One quick retry covers a pooled connection that Redis dropped; a real outage fails fast.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue(task, *args, countdown: float | None = None, queue: str | None = None) -> bool:
    """Send the task to the broker now. Returns False (and logs one line) when it cannot."""
    options = {"queue": queue} if queue else {}
    try:
        task.apply_async(args, countdown=countdown, retry_policy=RETRY_POLICY, **options)
    except BROKER_ERRORS as error:
        _not_queued(logger.warning, task, error)  # an outage: expected, and it passes
        return False
    except Exception as error:
        if task.app.conf.task_always_eager:
            raise  # nothing was published: the task itself ran here (tests), and its errors show
        _not_queued(logger.error, task, error)  # anything else the broker raises is worth a look
        return False
    return True


def _not_queued(log, task, error: Exception) -> None:
    log(
        "Could not queue %s; the periodic flush will pick it up. %s: %s",
        task.name,
        type(error).__name__,
        error,
    )


def enqueue_on_commit(task, *args) -> None:
    """Queue the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args))


def task_named(path: str):
    """The task at that dotted path, looked up when it is first used. A service queues the task
    that calls it back through this name, so that tasks import services and never the reverse
    (no import circle); tests can still replace the task's ``apply_async``."""
    return Proxy(import_string, (path,))
