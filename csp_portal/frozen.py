"""Cached rendering of frozen records (issue 17): an approved or published plan version, an
approved strategic assessment and an issued progress report never change, so the body of their
page is rendered once and kept in Django's cache (Redis in deployment).

What a key holds, so that nobody is served a body that is not theirs or no longer true:

- the record (model and primary key) and its **revision** (a plan's ``content_revision``, which
  every change of content and status moves on; a fixed value for a record that cannot change)
  and a **stamp** (the moment it was approved or issued: a database seeded again, with the same
  keys but other rows, cannot meet an old body);
- the **language** the page is read in (``get_language()``) and the viewer's **role**: the body
  holds no more about the viewer than these two;
- the **code** (a digest of the project's templates, Python and translation catalogues, taken once
  a process) and the database's name, so that a deployment of other code or another database on
  the same Redis never reads an old rendering.

The body is rendered from exactly the context the view passes (no context processors, no
request), so it cannot pick up anything about the viewer by accident. What on such a page is still
live (a plan priority's evidence, flagged when it changes after approval; buttons and status) is
left out of the cached body: the view renders it fresh on every request and, where it sits inside
the body, splices it into a marked slot (``slot`` / ``fill_slots``).
"""

import contextlib
import hashlib
import os
import re
import zlib
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import models
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from redis.exceptions import RedisError

# A day: what a frozen body shows never changes, but an organisation's name in it may be corrected
# (rarely); the next day's rendering picks that up.
TIMEOUT = 24 * 60 * 60
_SOURCES = (".py", ".html", ".txt", ".mo", ".svg")
_SLOT = re.compile(r"<!--frozen-slot:([\w.:-]+)-->")
_SKIPPED = {"tests", "node_modules", "migrations", "static", "var", "media", "__pycache__"}


@cache
def code_version() -> str:
    """A digest of the code that renders a page (templates, Python, catalogues), once a process."""
    digest = hashlib.blake2b(digest_size=8)
    base = Path(settings.BASE_DIR)
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(_SOURCES):
                path = Path(folder, name)
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def frozen_key(
    record: models.Model, *, revision: int | str, stamp: datetime | None, role: str
) -> str:
    database = settings.DATABASES["default"]["NAME"]
    moment = stamp.isoformat() if stamp else "-"
    return ":".join(
        [
            "frozen",
            code_version(),
            hashlib.blake2b(str(database).encode(), digest_size=4).hexdigest(),
            record._meta.label_lower,
            str(record.pk),
            str(revision),
            moment,
            get_language() or "-",
            role,
        ]
    )


def frozen_body(
    *, key: str | None, template_name: str, context: Callable[[], Mapping]
) -> SafeString:
    """The rendered ``template_name``: from the cache when ``key`` is given and it is there; else
    rendered with ``context()`` (called only then, so a hit loads nothing) and, with a key, kept.
    ``key`` is None for a record that may still change: rendered every time, never kept."""
    if key is not None:
        body = cached_text(key)
        if body is not None:
            return mark_safe(body)  # safe: our own rendering, escaped when it was made
    body = get_template(template_name).render(dict(context()))
    if key is not None:
        # Compressed: a plan's contents are some 70 KB of HTML, about 8 KB so.
        with contextlib.suppress(RedisError):
            default_cache.set(key, zlib.compress(str(body).encode()), TIMEOUT)
    return mark_safe(body)  # safe: rendered by the template engine, autoescaped


def frozen_bytes(*, key: str, make: Callable[[], bytes]) -> bytes:
    """A frozen record's document (a PDF), from the cache when it is there; else made by
    ``make()`` and kept. The key names the language it is made in, as a body's does."""
    try:
        stored = default_cache.get(key)
    except RedisError:  # Redis unreachable: make it, as without a cache
        stored = None
    if isinstance(stored, bytes):
        return stored
    data = make()
    with contextlib.suppress(RedisError):
        default_cache.set(key, data, TIMEOUT)
    return data


def cached_text(key: str) -> str | None:
    try:
        stored = default_cache.get(key)
    except RedisError:  # Redis unreachable: render, as without a cache
        return None
    if stored is None:
        return None
    try:
        return zlib.decompress(stored).decode()
    except (zlib.error, TypeError):  # not what this code stores: render it again
        return None


def slot(name: str) -> SafeString:
    """A marked place in a cached body for what is rendered on every request."""
    return mark_safe(f"<!--frozen-slot:{name}-->")  # safe: a constant shape, no input


def fill_slots(body: str, fillings: Mapping[str, str]) -> SafeString:
    """``body`` with each slot replaced by its (already escaped) filling, or by nothing."""
    filled = _SLOT.sub(lambda match: str(fillings.get(match.group(1), "")), body)
    return mark_safe(filled)  # safe: both parts were rendered by the template engine
