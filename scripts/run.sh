#!/usr/bin/env bash
# Start the web server, a Celery worker and the beat scheduler; stop them all on Ctrl+C.
set -euo pipefail
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
BIN=.venv/bin
# The address links in emails start with, the same for the web server and the worker (which
# sends the reminders): it follows HOST and PORT unless CSP_SITE_URL says otherwise.
export CSP_SITE_URL=${CSP_SITE_URL:-http://$HOST:$PORT}
mkdir -p var/broker/processed var/mail

$BIN/celery -A csp_portal worker --beat --loglevel=warning --concurrency=1 &
worker=$!
trap 'kill -TERM $worker 2>/dev/null; wait $worker 2>/dev/null || true' EXIT INT TERM

cat <<TXT

  CSP Portal is running at http://$HOST:$PORT/
  Sign in with one of the demo logins printed above (password: Demo-password-2026).
  Coordinators and the administrator use two-factor authentication: enter one of their
  printed backup codes when asked for a security code.
  Emails (invitations, password resets) appear in this terminal.

TXT
$BIN/python manage.py runserver "$HOST:$PORT"
