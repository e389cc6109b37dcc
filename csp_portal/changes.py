"""Each partnership's change stamp: a token that moves on whenever anything in the partnership
changes, so that a page worked out from a partnership's records can be kept in the cache under a
key holding the stamps of the partnerships it reads, and is never served once one of them moved
(issue 17).

What moves a stamp: every audited change (``audit.services.audit_record`` calls ``changed`` for the
event's partnership: every state change in the service is audited, so every change is seen), and
the few changes that are not audited but that a page shows (a person opening a progress report,
which then is no longer new to them). A stamp moves when the change is made and again when its
transaction commits, so a page worked out meanwhile from the old records is kept under a stamp
nobody asks for again.

A stamp is a random token, not a counter: one lost from Redis (a restart, an eviction) comes back
as a new token, never as a value an older cached page was kept under. Where Redis cannot be
reached, ``stamps`` answers None and the page is worked out afresh, as without a cache.
"""

import contextlib
import hashlib
import secrets
import zlib
from collections.abc import Callable, Collection

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from redis.exceptions import RedisError

from .frozen import cached_text, code_version

# A stamp outlives any page kept under it; pages are kept much shorter (``PAGE_TIMEOUT``).
STAMP_TIMEOUT = 7 * 24 * 60 * 60
# A page kept under the stamps expires after this, whatever happens: a bound on how long a change
# made without an audit event (a mistake) could go unseen.
PAGE_TIMEOUT = 15 * 60


def _key(partnership_id: int) -> str:
    database = hashlib.blake2b(
        str(settings.DATABASES["default"]["NAME"]).encode(), digest_size=4
    ).hexdigest()
    return f"changes:{database}:{partnership_id}"


def changed(partnership_id: int | None) -> None:
    """Move the partnership's stamp on now and again once the current transaction commits.

    Now: a page read later in the same transaction (a redirect's page in a test, which never
    commits) is worked out afresh. Again at the commit: a page worked out by another request in
    between, from the records as they were before the commit, was kept under the stamp of now,
    which nobody asks for after the second move."""
    if partnership_id is None:
        return
    _move(partnership_id)
    transaction.on_commit(lambda: _move(partnership_id))


def _move(partnership_id: int) -> None:
    with contextlib.suppress(RedisError):
        cache.set(_key(partnership_id), secrets.token_hex(8), STAMP_TIMEOUT)


def stamps(partnership_ids: Collection[int]) -> str | None:
    """One token for the current stamps of these partnerships (one round trip to the cache, two
    when one has none yet), or None where the cache cannot be reached."""
    ids = sorted(set(partnership_ids))
    keys = {_key(pk): pk for pk in ids}
    try:
        found = cache.get_many(keys)
        for key in keys.keys() - found.keys():
            # None yet (a partnership untouched since the cache was emptied): give it one. `add`
            # keeps a stamp another process set meanwhile.
            cache.add(key, secrets.token_hex(8), STAMP_TIMEOUT)
            found[key] = cache.get(key)
    except RedisError:
        return None
    if any(value is None for value in found.values()):
        return None
    digest = hashlib.blake2b(digest_size=12)
    for key in sorted(found):
        digest.update(f"{keys[key]}={found[key]};".encode())
    return digest.hexdigest()


def stamped_body(
    *,
    name: str,
    partnership_ids: Collection[int],
    parts: Collection[object],
    render: Callable[[], str],
) -> SafeString:
    """A part of a page worked out from these partnerships' records: kept under their stamps, the
    page's ``name``, the language and ``parts`` (whatever else it depends on: the viewer, the
    day, the page number), else rendered by ``render()`` and kept for ``PAGE_TIMEOUT``. The key
    also names the code (``frozen.code_version``), so a deployment never reads an older rendering.

    ``parts`` must hold everything the body shows that is not in those partnerships' records:
    a body for one person is keyed by that person."""
    stamp = stamps(partnership_ids)
    if stamp is None:
        return mark_safe(render())  # safe: rendered by the template engine, autoescaped
    key = ":".join(
        ["stamped", code_version(), name, stamp, get_language() or "-", *map(str, parts)]
    )
    body = cached_text(key)
    if body is None:
        body = str(render())
        with contextlib.suppress(RedisError):
            cache.set(key, zlib.compress(body.encode()), PAGE_TIMEOUT)
    return mark_safe(body)  # safe: our own rendering, escaped when it was made
