"""Measure the key pages on the real server against the data-free layout page (issue 17).

Starts gunicorn as production runs it (``csp_portal/gunicorn.py``, production settings: DEBUG off, a
throw-away secret key) on a free port, in benchmark mode (``CSP_BENCHMARK``: only that opens the
layout view), against the database in DATABASE_URL (seed it first: ``manage.py seed_national``).
It signs the people in through the real sign-in and two-factor pages, then, in rounds, measures
every page and the layout page in a shuffled order (so a machine shared with other work slows them
alike): requests per second over four concurrent connections, and p50/p95 latency over one. A
page's score is the median over the rounds of its throughput divided by the layout page's in the
same round; the target is 40%. p50 and p95 are over every round's one-connection requests; the
p95/p50 column is the median over the rounds of each round's own ratio (the target is at most 3),
so that a machine whose other work rises or falls between rounds does not pass for a slow tail.
Queries per page are counted in this process with Django's test client, signed in as the same
person.

To add a page, add one line to ``PAGES``: a label, who asks (a key of ``PEOPLE``) and the path
(``{slug}`` and ``{plan}`` are the coordinator's partnership and its plan in force).
"""

import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from demo.national import NATIONAL_PASSWORD, login_email
from partnerships.models import Partnership
from plans.models import PartnershipPlan, PlanStatus

TARGET = 0.40
LONDON, MANCHESTER = "E23000001", "E23000005"  # police force areas: 32 and 10 partnerships


@dataclass(frozen=True)
class Page:
    label: str
    person: str | None  # a key of PEOPLE; None: signed out
    path: str


LAYOUT = Page("empty page (layout only)", "coordinator", "/benchmark/layout/")
PAGES = [
    Page("Your work (coordinator)", "coordinator", "/"),
    Page("Your work (analyst, 32 CSPs)", "analyst_london", "/"),
    Page("plan page", "coordinator", "/p/{slug}/plans/{plan}/"),
    Page("progress dashboard", "coordinator", "/p/{slug}/plans/{plan}/progress/"),
    Page("Requests to you (analyst, 32 CSPs)", "analyst_london", "/my-requests/"),
    Page("Your actions (analyst, 32 CSPs)", "analyst_london", "/my-actions/"),
    Page("Reports (scrutiny)", "scrutiny", "/p/{slug}/reports/"),
    Page("PCC force area (10 CSPs)", "pcc_manchester", "/pcc/"),
    Page("PCC force area (London, 32 CSPs)", "pcc_london", "/pcc/"),
    Page("API plans (analyst, 10 CSPs)", "analyst_manchester", "/api/v1/plans/"),
    Page("API plans (analyst, 32 CSPs)", "analyst_london", "/api/v1/plans/"),
    Page("public plans", None, "/plans/"),
    Page("public plan summary", None, "/plans/{slug}/"),
]


def people(slug: str) -> dict[str, str]:
    return {
        "coordinator": login_email("coordinator", slug),
        "scrutiny": login_email("scrutiny", slug),
        "analyst_london": login_email("analyst", LONDON.lower()),
        "analyst_manchester": login_email("analyst", MANCHESTER.lower()),
        "pcc_london": login_email("pcc", LONDON.lower()),
        "pcc_manchester": login_email("pcc", MANCHESTER.lower()),
    }


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument(
            "--seconds", type=float, default=2.0, help="Each page's four-connection run."
        )
        parser.add_argument("--latency-requests", type=int, default=20)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--only", default="", help="Only pages whose label contains this.")

    def handle(self, *args, rounds, seconds, latency_requests, workers, only, **options):
        partnership = (
            Partnership.objects.filter(police_force_area__code=MANCHESTER).order_by("name").first()
        )
        if partnership is None:
            raise CommandError("No national data here: run `manage.py seed_national` first.")
        plan = PartnershipPlan.objects.filter(
            partnership=partnership, status=PlanStatus.PUBLISHED
        ).first()
        context = {"slug": partnership.slug, "plan": plan.pk if plan else 0}
        who = people(partnership.slug)
        pages = [p for p in PAGES if only.lower() in p.label.lower()]
        port = _free_port()
        var_dir = tempfile.TemporaryDirectory(prefix="benchmark-pages-")
        server = _start_server(port, workers, var_dir.name)
        try:
            _wait_for(port)
            sessions = {
                key: _sign_in(port, email)
                for key, email in who.items()
                if key in {p.person for p in [LAYOUT, *pages]}
            }
            sessions[None] = {}
            for page in [LAYOUT, *pages]:  # warm up, and check each answers 200
                status, _body = _get(port, page.path.format(**context), sessions[page.person])
                if status != 200:
                    raise CommandError(f"{page.label}: {page.path} answered {status}")
            results = self._measure(
                port, pages, sessions, context, rounds, seconds, latency_requests
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            var_dir.cleanup()
        queries = {page: _query_count(page, who, context) for page in [LAYOUT, *pages]}
        self._report(pages, results, queries)

    def _measure(self, port, pages, sessions, context, rounds, seconds, latency_requests):
        rng = random.Random(17)  # noqa: S311 - an order, not a secret
        rps: dict[Page, list[float]] = {page: [] for page in [LAYOUT, *pages]}
        ratios: dict[Page, list[float]] = {page: [] for page in pages}
        latencies: dict[Page, list[float]] = {page: [] for page in [LAYOUT, *pages]}
        spreads: dict[Page, list[float]] = {page: [] for page in [LAYOUT, *pages]}
        for number in range(rounds):
            order = [LAYOUT, *pages]
            rng.shuffle(order)
            this_round = {}
            for page in order:
                path, cookies = page.path.format(**context), sessions[page.person]
                this_round[page] = _throughput(port, path, cookies, seconds, connections=4)
                measured = _latencies(port, path, cookies, latency_requests)
                latencies[page] += measured
                spreads[page].append(_p95(measured) / statistics.median(measured))
            for page in order:
                rps[page].append(this_round[page])
                if page is not LAYOUT:
                    ratios[page].append(this_round[page] / this_round[LAYOUT])
            self.stderr.write(f"round {number + 1} of {rounds} done")
        return {
            "rps": {page: statistics.median(values) for page, values in rps.items()},
            "ratio": {page: statistics.median(values) for page, values in ratios.items()},
            "latency": latencies,
            "spread": {page: statistics.median(values) for page, values in spreads.items()},
        }

    def _report(self, pages, results, queries):
        header = (
            f"{'page':<40} {'rps (4)':>8} {'share':>6} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p95/p50':>7} {'queries':>7}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        passing = 0
        for page in [LAYOUT, *pages]:
            values = results["latency"][page]
            p50 = statistics.median(values) * 1000
            p95 = _p95(values) * 1000
            share = 1.0 if page is LAYOUT else results["ratio"][page]
            if page is not LAYOUT and share >= TARGET:
                passing += 1
            self.stdout.write(
                f"{page.label[:40]:<40} {results['rps'][page]:8.1f} {share:6.0%} {p50:7.1f} "
                f"{p95:7.1f} {results['spread'][page]:7.1f} {queries[page]:7d}"
            )
        self.stdout.write(f"pages: {passing} of {len(pages)} at or above 40% of the empty page")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


# The server -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(port: int, workers: int, var_dir: str) -> subprocess.Popen:
    """gunicorn under production settings, its static files collected first as a deployment
    does (into a directory of the benchmark's own)."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_hex(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CSP_BENCHMARK": "true",
        "CSP_VAR_DIR": var_dir,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    base = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=base,
        env=env,
        check=True,
    )
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "csp_portal.wsgi:application",
            "--config",
            "python:csp_portal.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=base,
        env=env,
    )


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body = _get(port, "/accessibility/", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise CommandError("gunicorn did not start within 60 s")


# The client (http.client: one new connection a request, as gunicorn's sync workers close each) ---


def _request(port, method, path, cookies, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    # Production sits behind TLS: say so, as the proxy would, so no redirect and secure cookies.
    sent = {
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "Accept-Language": "en",
        **(headers or {}),
    }
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    data = response.read()
    for header in response.msg.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or morsel.value == "":
                cookies.pop(name, None)
            else:
                cookies[name] = morsel.value
    conn.close()
    return response.status, response.getheader("Location"), data


def _get(port, path, cookies):
    status, _location, data = _request(port, "GET", path, dict(cookies))
    return status, data


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""


def _post_form(port, path, cookies, fields):
    _status, _location, page = _request(port, "GET", path, cookies)
    parser = _Inputs()
    parser.feed(page.decode())
    origin = f"https://127.0.0.1:{port}"
    return _request(
        port,
        "POST",
        path,
        cookies,
        body=urlencode({**parser.values, **fields}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + path,
        },
    )


def _sign_in(port: int, email: str) -> dict[str, str]:
    """Sign in through the real pages; a person with an authenticator gives its current code."""
    cookies: dict[str, str] = {}
    status, location, _ = _post_form(
        port, "/account/sign-in/", cookies, {"username": email, "password": NATIONAL_PASSWORD}
    )
    if status != 302:
        raise CommandError(f"could not sign {email} in (HTTP {status})")
    status, location, _ = _request(port, "GET", "/", cookies)
    if location and "/two-factor/" in location and "set-up" not in location:
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        status, location, _ = _post_form(
            port, "/account/two-factor/", cookies, {"token": f"{totp.token():06d}"}
        )
        if status != 302:
            raise CommandError(f"{email}: two-factor verification failed (HTTP {status})")
    return cookies


def _latencies(port, path, cookies, count) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        _get(port, path, cookies)
        times.append(time.perf_counter() - started)
    return times


def _throughput(port, path, cookies, seconds, connections) -> float:
    done = [0] * connections
    stop = time.perf_counter() + seconds

    def run(index):
        while time.perf_counter() < stop:
            _get(port, path, cookies)
            done[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


# Queries per page, counted in this process ------------------------------------------------------


def _query_count(page: Page, who: dict[str, str], context: dict) -> int:
    with override_settings(CSP_BENCHMARK=True, ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
        client = Client()
        if page.person is not None:
            user = User.objects.get(email=who[page.person])
            client.force_login(user)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is not None:
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
        path = page.path.format(**context)
        client.get(path)  # the first request of a session does more than the next ones
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"{page.label}: {response.status_code} in process")
        return len(queries)
