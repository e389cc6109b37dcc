#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1, starting them when installed but stopped.
set -euo pipefail

wait_for() {  # name, check command
  for _ in $(seq 1 30); do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$1 did not start." >&2
  return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    echo "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  else
    echo "PostgreSQL is not installed or not reachable on 127.0.0.1:5432." >&2
    exit 1
  fi
  wait_for PostgreSQL "pg_isready -h 127.0.0.1 -p 5432 -q"
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  if command -v redis-server >/dev/null; then
    echo "Starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
  else
    echo "Redis is not installed or not reachable on 127.0.0.1:6379." >&2
    exit 1
  fi
  wait_for Redis "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"
fi

# The development database the test database is named after (pytest creates test_csp_portal).
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'csp_portal'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres csp_portal

# The S3-compatible object store the tests of the S3 path use: moto's server mode (`moto[server]`
# in the test extras), in memory, on CSP_TEST_S3_PORT. Each test makes a bucket of its own.
S3_PORT="${CSP_TEST_S3_PORT:-5107}"
if ! curl -fsS -o /dev/null "http://127.0.0.1:${S3_PORT}/moto-api/" 2>/dev/null; then
  MOTO="$(dirname "$0")/../.venv/bin/moto_server"
  if [ -x "$MOTO" ]; then
    echo "Starting the test object store (moto) on port ${S3_PORT}"
    mkdir -p var
    nohup "$MOTO" -H 127.0.0.1 -p "$S3_PORT" >var/moto.log 2>&1 &
    wait_for "The test object store" "curl -fsS -o /dev/null http://127.0.0.1:${S3_PORT}/moto-api/"
  else
    echo "moto is not installed yet (make install-test); the S3 tests start their own." >&2
  fi
fi
