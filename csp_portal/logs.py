"""Structured logs: one JSON object a line, each with the id of the request it serves.

The id comes in with the request (``X-Request-ID`` from a load balancer, when it is a plain token)
or is made here; it goes back in the response's ``X-Request-ID``, into every Celery task the
request queues (a message header, read back by the worker before the task runs) and into every
email it sends (``X-Request-ID``), so that one person's complaint can be followed through the web
node, the worker and the mail server.

What is logged is chosen so that no personal data, token or review content gets in: a request
line names the view (its URL name), never the path or query string (invitation and password
reset links carry tokens, slugs and ids say whose record it is), and nobody's name or address.
"""

import contextlib
import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def new_request_id(offered: str | None = None) -> str:
    """The id a load balancer offered when it is a plain token, a new one otherwise."""
    if offered and _VALID_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def email_headers() -> dict[str, str]:
    """Headers every email sent while serving a request or a task carries."""
    request_id = current_request_id()
    return {REQUEST_ID_HEADER: request_id} if request_id else {}


def stamp_records_with_request_id() -> None:
    """Every log record keeps the request id of the moment it was made (a handler may write it
    later, on another thread)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "stamps_request_id", False):
        return

    def stamped(*args, **kwargs):
        record = make_record(*args, **kwargs)
        record.request_id = _request_id.get()
        return record

    stamped.stamps_request_id = True
    logging.setLogRecordFactory(stamped)


# The attributes every LogRecord has; anything else was passed as ``extra`` and is logged.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, request id and extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            # Only plain values: an object's text (a request's) may hold a path with a token.
            if (
                key not in _STANDARD
                and key not in entry
                and not key.startswith("_")
                and isinstance(value, str | int | float | bool | None)
            ):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For a developer's console (``make run``): the same facts, readable, request id first."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"[{request_id[:8]}] {line}" if request_id else line


def connect_celery(app) -> None:
    """Tasks carry the id of the request (or task) that queued them and log under it."""
    from celery import signals

    @signals.before_task_publish.connect(weak=False)
    def _add_request_id(headers=None, **kwargs):
        request_id = current_request_id()
        if request_id and headers is not None:
            headers.setdefault("csp_request_id", request_id)

    @signals.task_prerun.connect(weak=False)
    def _take_request_id(task=None, **kwargs):
        offered = getattr(task.request, "csp_request_id", None) if task else None
        if task is not None and not task.request.is_eager:
            task.request._csp_request_token = set_request_id(new_request_id(offered))

    @signals.task_postrun.connect(weak=False)
    def _drop_request_id(task=None, **kwargs):
        token = getattr(task.request, "_csp_request_token", None) if task else None
        if token is not None:
            with contextlib.suppress(ValueError):  # set in another context: nothing to undo
                reset_request_id(token)


class RedactPaths(logging.Filter):
    """Django's own request and server lines name the path ("Not Found: /account/invitations/
    <token>/"): the path is dropped, the line kept. csp_portal.requests names the view instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                "[path]" if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        record.__dict__.pop("request", None)
        return True
