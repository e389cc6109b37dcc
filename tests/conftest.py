import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from importlib import import_module
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.contrib import auth
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.test import Client, override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.middleware import SESSION_SAVED_KEY
from partnerships.models import Role

from .factories import PartnershipFactory, member
from .object_store import each_storage, s3_bucket, s3_endpoint  # noqa: F401 (fixtures)

T = TypeVar("T")
REDIS_DATABASES = 16  # Redis's default number of databases


def pytest_configure(config):
    """Under pytest-xdist (make test) each worker has a test database of its own (pytest-django
    names it test_<name>_gw<n>) and a Redis database of its own, the n-th after REDIS_URL's: a
    Celery worker puts back the unacknowledged tasks of every queue in its database, so the real
    workers of two test processes sharing one would take each other's tasks."""
    # The test databases are thrown away: a commit need not wait for the disk (the browser
    # journeys and real-worker tests commit thousands of times). Nothing else changes.
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
        _empty_tables_by_delete()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and django_settings.REDIS_URL:
        url = urlsplit(django_settings.REDIS_URL)
        database = (int(url.path.strip("/") or 0) + int(worker[2:])) % REDIS_DATABASES
        redis_url = urlunsplit(url._replace(path=f"/{database}"))
        django_settings.REDIS_URL = django_settings.CELERY_BROKER_URL = redis_url


# Written back by the flush's post_migrate signal, exactly as they were (see below).
KEPT_BY_THE_FLUSH = {"django_content_type", "auth_permission"}


def _empty_tables_by_delete() -> None:
    """After each test that commits (``transactional_db``: the browser journeys, the live
    servers, the real workers, the backup drill) Django empties every table with one TRUNCATE of
    all of them; PostgreSQL gives each of the hundred-odd tables new files for that, about a
    second a test, for tables holding a few rows. DELETE empties them in milliseconds, to the
    same end: the foreign keys are deferred to the commit, when every table is empty, and the
    project has no triggers. The tables are locked first, as TRUNCATE locks them, so that a
    request the live server is still answering finishes before (or waits until after) the
    emptying, never in the middle of it. A flush that resets sequences or cascades is left to
    TRUNCATE.

    The content types and permissions are kept: the flush would write every one of them back
    at once (its post_migrate signal), row by row, several times the cost of the emptying, and
    nothing in the project makes or changes them otherwise."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # The names are the models' own tables, quoted.
        names = [self.quote_name(table) for table in tables if table not in KEPT_BY_THE_FLUSH]
        lock = f"LOCK TABLE {', '.join(names)} IN ACCESS EXCLUSIVE MODE;"
        return [" ".join([lock, *(f"DELETE FROM {name};" for name in names)])]  # noqa: S608

    DatabaseOperations.sql_flush = sql_flush


MIGRATED = "migrated"  # the comment a template database gets once every migration has run


def _schema_digest() -> str:
    """What the migrated database is a function of: every migration file (the project's and the
    libraries'), the project's code (a data migration imports it: reviews.review_types) and
    Django's version. Twelve hex digits of their SHA-256, part of the template database's name."""
    from django import get_version
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    # Named by module or by path in the checkout, never by absolute path: CI's clone is
    # elsewhere, with a virtualenv of its own.
    files = {
        migration.__module__: Path(sys.modules[migration.__module__].__file__)
        for migration in loader.disk_migrations.values()
    }
    base = Path(django_settings.BASE_DIR)
    skipped = {
        ".git",
        "tests",
        ".venv",
        "var",
        "frontend",
        "node_modules",
        "static",
        "locale",
        "docs",
    }
    for folder, subfolders, names in os.walk(base):
        if Path(folder) == base:
            subfolders[:] = [name for name in subfolders if name not in skipped]
        for name in names:
            if name.endswith(".py"):
                path = Path(folder, name)
                files[str(path.relative_to(base))] = path
    digest = hashlib.sha256(get_version().encode())
    for name, path in sorted(files.items()):
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _migrated(connection, name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s"
            " AND shobj_description(oid, 'pg_database') = %s",
            [name, MIGRATED],
        )
        return cursor.fetchone() is not None


def _drop_other_templates(connection, prefix: str) -> None:
    """Templates of code that has since changed: never used again."""
    with connection._nodb_cursor() as cursor:
        pattern = prefix.replace("_", r"\_") + "%"
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [pattern])
        for (name,) in cursor.fetchall():
            with suppress(DatabaseError):
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """The test database, as pytest-django makes it, except under pytest-xdist with
    --create-db (make test): there the first process to get here migrates one template database
    for the run, and every process copies it (CREATE DATABASE ... TEMPLATE), rather than each
    running every migration itself at the same time on two cores.

    The template is named by what its schema and data are a function of (``_schema_digest``)
    and kept: the next run of the same code (CI after the session's last run, on the same
    machine) copies it rather than migrating again, half a minute of the start in which the
    other processes could only wait. Any change to a migration or to the project's code makes
    a new one; the test databases themselves are made afresh every run, as --create-db says."""
    from django.test.utils import setup_databases, teardown_databases

    run = getattr(request.config, "workerinput", {}).get("testrunuid")
    if not (run and django_db_createdb and django_db_use_migrations):
        with django_db_blocker.unblock():
            made = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                keepdb=django_db_keepdb and not django_db_createdb,
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(made, verbosity=request.config.option.verbose)
        return

    from django.db import connection

    own = connection.creation._get_test_db_name()
    prefix = re.sub(r"_gw\d+$", "", own) + "_template"
    template = f"{prefix}_{_schema_digest()}"
    lock_path = Path(tempfile.gettempdir()) / f"{prefix}.lock"
    with django_db_blocker.unblock(), lock_path.open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process at a time: migrate once, copy in turn
        lock.seek(0)
        if lock.read() != run:
            if not _migrated(connection, template):
                _drop_other_templates(connection, prefix)
                connection.settings_dict["TEST"]["NAME"] = template
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                connection.close()
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"COMMENT ON DATABASE \"{template}\" IS '{MIGRATED}'")
            lock.seek(0)
            lock.truncate()
            lock.write(run)
            lock.flush()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{own}"')
            cursor.execute(f'CREATE DATABASE "{own}" TEMPLATE "{template}"')
    connection.close()
    connection.settings_dict["TEST"]["NAME"] = own
    connection.settings_dict["NAME"] = django_settings.DATABASES["default"]["NAME"] = own
    yield


def pytest_collection_modifyitems(items):
    """The long modules first, each module's tests still together and in order (module-scoped
    fixtures are built once per module).

    Every test gets an id of its own: Schemathesis names its tests by operation
    (``test_x[GET /api/v1/actions/]``) but gives them all the function's id, and pytest-xdist's
    ``--dist loadscope`` (make test) schedules by id, so it would run one of them and drop the
    rest without a word. A duplicate left after that fails the run."""
    seen: set[str] = set()
    for item in items:
        if not item.nodeid.endswith(item.name):
            item._id = item.parent.id.child(item.name)  # pytest 9 keeps a node's id here
        assert item.nodeid not in seen, f"two tests share the id {item.nodeid}"
        seen.add(item.nodeid)

    def rank(marker: str) -> set[str]:
        return {item.module.__name__ for item in items if item.get_closest_marker(marker)}

    # The single long tests (``slow``) first, then the browser journeys, then the rest, largest
    # module first: the isolation walk's thousand tests go to one process whole under loadscope,
    # and started last they alone would be the run's final minutes. make test keeps this order
    # (--no-loadscope-reorder), so that the run ends on short modules (the Makefile says why).
    slow, browser = rank("slow"), rank("browser")
    sizes = Counter(item.module.__name__ for item in items)

    def order(item) -> tuple[int, int]:
        module = item.module.__name__
        if module in slow:
            return (0, 0)
        if module in browser:
            return (1, 0)
        return (2, -sizes[module])

    items.sort(key=order)


@pytest.fixture(autouse=True)
def _celery_runs_tasks_in_process():
    """Tasks run at once, in the test's process; tests/test_worker.py uses a real worker."""
    from csp_portal.celery import app

    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = False, False


def pytest_sessionstart(session):
    """The Welsh catalogue compiled when its .po is newer than its .mo (make test compiles it
    first; this is for pytest run on its own). Once, before any test process starts."""
    if hasattr(session.config, "workerinput") or shutil.which("msgfmt") is None:
        return
    po = Path(django_settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


def _test_settings(media_root: Path) -> dict:
    return {
        "MEDIA_ROOT": media_root,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Each test process its own cache in memory, emptied before each test (_fast_tests): the
        # test databases of two processes hold different rows under the same keys.
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        "STORAGES": {
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture
def media_root(tmp_path) -> Path:
    """Where the test's uploads and documents go: its own folder, unless its module shares
    records (and their files) through ``module_data``."""
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends back in the default language: a request in Welsh (the cookie, a person's
    preference) leaves its thread in Welsh, as Django's LocaleMiddleware does, and the next test
    of the process would otherwise read Welsh from a service it calls directly."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_tests(settings, media_root):
    for name, value in _test_settings(media_root).items():
        setattr(settings, name, value)
    cache.clear()


class ModuleData:
    """Builds records once for a whole test module; see the ``module_data`` fixture."""

    def __init__(self, django_db_blocker, media_root: Path):
        self._django_db_blocker = django_db_blocker
        self.media_root = media_root

    def build(self, make: Callable[[], T]) -> T:
        with (
            self._django_db_blocker.unblock(),
            override_settings(**_test_settings(self.media_root)),
        ):
            return make()


@pytest.fixture(scope="module")
def module_data(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[ModuleData]:
    """A transaction that lasts the module, for records that many of its tests read: a
    module-scoped fixture builds them once with ``module_data.build(make)``, each test runs in
    a savepoint of the transaction (rolled back after it, as ever), and the whole is rolled
    back after the module, so no other module's test sees them. The walks build their
    partnerships this way rather than once per test (the pattern of pytest-django#1145;
    pytest-django has no module-scoped ``db``). A module that uses it overrides ``media_root``
    with ``module_data.media_root``, so that its tests find the files of those records, and
    has no ``transactional_db`` test (its commits and flush cannot happen inside the module's
    transaction)."""
    shared = ModuleData(django_db_blocker, tmp_path_factory.mktemp("module-media"))
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    yield shared
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def signed_in_session(user, *, verified: bool = True) -> str:
    """The key of a new session such as a real sign-in leaves for ``user``; ``verified`` also
    passes two-factor, as after a real code.

    It holds the user, their backend and password hash, the device that passed, and the time the
    session row was written, so that the first request need not write it again
    (accounts.middleware.IdleTimeoutMiddleware writes it once a minute), written in one go:
    ``Client.force_login`` would also run the sign-in signals (the lockout's access log,
    last_login) and write the session three times, in every one of the suite's thousands of
    sign-ins. tests/accounts, and the browser journeys about signing in, go through the real
    pages."""
    session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    session[auth.SESSION_KEY] = str(user.pk)
    session[auth.BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
    if verified:
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_SAVED_KEY] = int(time.time())
    session.save()
    return session.session_key


def signed_in(user, *, verified: bool = True) -> Client:
    """A client signed in as ``user`` (see ``signed_in_session``)."""
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = signed_in_session(user, verified=verified)
    return client


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Trafford", slug="trafford")


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory(name="Cardiff", slug="cardiff")


@pytest.fixture
def coordinator(partnership):
    return member(partnership, Role.COORDINATOR, email="coordinator@example.org")


@pytest.fixture
def coordinator_client(coordinator):
    return signed_in(coordinator)
