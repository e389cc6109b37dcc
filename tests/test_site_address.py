"""Every email links to one address, CSP_SITE_URL: `make run PORT=8101` gives it to the web
server and the worker alike, and when debugging without it the address follows PORT."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRINT_SITE_URL = (
    "import django; django.setup(); from django.conf import settings; print(settings.CSP_SITE_URL)"
)


def _site_url(**env: str) -> str:
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in {"CSP_SITE_URL", "PORT", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS"}
    }
    done = subprocess.run(
        [sys.executable, "-c", PRINT_SITE_URL],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "csp_portal.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"PORT": "8101", "CSP_SITE_URL": "http://localhost:8101"}, "http://localhost:8101"),
        (
            {
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": "x" * 50,
                "DJANGO_ALLOWED_HOSTS": "csp-portal.example,www.csp-portal.example",
                "PORT": "8101",
            },
            "https://csp-portal.example",
        ),
    ],
    ids=["debug", "debug-port", "explicit", "deployed"],
)
def test_the_site_address_follows_the_environment(env, expected):
    assert _site_url(**env) == expected


def test_make_run_gives_the_web_server_and_the_worker_the_same_address(tmp_path):
    """scripts/run.sh with stand-ins for Celery and Django that write down what they were given."""
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "celery").write_text('#!/bin/sh\necho "$CSP_SITE_URL" > worker.txt\nexec sleep 30\n')
    # The web server waits for the worker's note; the script stops the worker when it ends.
    (bin_dir / "python").write_text(
        "#!/bin/sh\n"
        "for _ in $(seq 100); do [ -s worker.txt ] && break; sleep 0.05; done\n"
        'echo "$CSP_SITE_URL $*" > web.txt\n'
    )
    for stand_in in bin_dir.iterdir():
        stand_in.chmod(0o755)
    env = {name: value for name, value in os.environ.items() if name != "CSP_SITE_URL"}

    subprocess.run(
        ["bash", str(ROOT / "scripts" / "run.sh"), "127.0.0.1", "8101"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=True,
        timeout=30,
    )

    assert (tmp_path / "worker.txt").read_text().strip() == "http://127.0.0.1:8101"
    web = (tmp_path / "web.txt").read_text().split()
    assert web == ["http://127.0.0.1:8101", "manage.py", "runserver", "127.0.0.1:8101"]
