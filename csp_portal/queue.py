"""Queue a Celery task without letting a broker outage reach the person using the page.

Every task is queued after the transaction that made its data commits (``on_commit``). If the
broker (Redis) cannot be reached then, the error is logged and the page carries on: the work is
not lost, because each task's data stays in the database waiting for it (an outbox row, an
unsent invitation) and the outbox flush that beat runs every minute picks it up once the broker
is back.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - redis comes with celery[redis]
    RedisConnectionError = RedisTimeoutError = OperationalError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisConnectionError, RedisTimeoutError, ConnectionError)

# One quick retry covers a pooled connection that Redis dropped; a real outage fails fast.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue(task, *args, countdown: float | None = None, queue: str | None = None) -> bool:
    """Send the task to the broker now. Returns False (and logs) when the broker is unreachable."""
    options = {"queue": queue} if queue else {}
    try:
        task.apply_async(args, countdown=countdown, retry_policy=RETRY_POLICY, **options)
    except BROKER_ERRORS as error:
        logger.warning(
            "Broker unreachable; %s will be picked up by the outbox flush: %s", task.name, error
        )
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Queue the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args))
