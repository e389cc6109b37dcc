"""When the database cannot answer a request: down, frozen, too slow, or holding a lock too long.

Connecting gives up after ``connect_timeout`` and PostgreSQL cancels a statement after
``statement_timeout`` or a wait for a lock after ``lock_timeout`` (see settings.py); each ends
as one of ``DATABASE_UNAVAILABLE``, which ``csp_portal.errors`` answers with a 503 and which
the log shows as one line instead of a traceback. This module imports nothing else of the
project, because the logging configuration loads it before the apps are ready.
"""

import logging

from django.db import InterfaceError, OperationalError

# Django's wrappers of every driver's errors: a connection refused, timed out or lost, and
# PostgreSQL's "query canceled" (statement_timeout), "lock not available" (lock_timeout) and
# the like, which are OperationalErrors too.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_UNAVAILABLE)


class OneLineWhenDatabaseUnavailable(logging.Filter):
    """Django logs every failed request with its traceback; when the database is the cause, the
    same traceback for every request of an outage hides everything else. This keeps the line
    and the error's first line, and drops the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if database_unavailable(error):
            first_line = (str(error).strip().splitlines() or [""])[0]
            record.args = (record.getMessage(), type(error).__name__, first_line)
            record.msg = "%s (database unavailable: %s: %s)"
            record.exc_info = record.exc_text = None
        return True
