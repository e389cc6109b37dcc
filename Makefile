# CSP Portal. Two commands matter: `make run` and `make test`. Both work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# Tests run on PostgreSQL and Redis; these are the test machines' local services.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/csp_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# The S3-compatible store (moto's server mode) that scripts/services.sh starts for the S3 tests.
TEST_S3_ENDPOINT_URL ?= http://127.0.0.1:5107
# pytest-xdist: three test processes (each has its own test database and Redis database); the
# 25 slowest tests are listed at the end. Measured on two cores with 2,804 tests: three processes
# 1,115 s, one per core ("auto") 1,195 s, as the browser journeys wait on Chromium and the live
# server. Each module goes whole to one process (loadscope), so a module's shared records
# (tests/conftest.py module_data) are built once, not once in each process: 3,664 tests in 676 s
# against 700 s with the default scheduling. tests/conftest.py gives every test an id of its own,
# as loadscope schedules by id (it dropped 16 of Schemathesis's tests, which shared one).
# Modules go out in the order tests/conftest.py gives them (--no-loadscope-reorder): the long ones
# first. xdist's own order, by number of tests, leaves the few-test browser journeys (a minute
# each) and the single long drills for last, and a process that is down to two tests takes the
# next module at once, so the run ended with one process still on two journeys while the others
# had finished: replaying the 7 December run's own test times, 1,446 s of the slowest process
# against 1,350 s in the long-first order (the run itself took 1,458 s).
# 7 December 2026, afternoon, quiet machine: 4,152 tests in 833 s (915 s before the browser
# journeys' session sign-in, axe's init script and the shared module worlds; 910 s that morning
# for 4,093 tests). Later, with the issue-17 work: 4,183 tests in 825 s. Still over the 600 s
# aim: the closing notes of those days say where it goes.
TEST_WORKERS ?= 3
TEST_DIST ?= loadscope
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist $(TEST_DIST) --no-loadscope-reorder --maxprocesses 4 \
	--durations=25
# Compiled bytecode (and pytest's rewritten test modules) kept between runs, in var/, even where
# the environment sets PYTHONDONTWRITEBYTECODE (as the image does): otherwise every test process
# compiles the project and rewrites the test modules afresh, about 8 s of CPU each.
TEST_BYTECODE = PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache

.PHONY: run test test-fast install install-test services system-packages lint check-deploy assets messages

# The packages go in with uv (into the same venv, at the versions constraints.txt pins): on a fresh
# clone it installed everything in 12 s where pip took 73 s (7 December 2026).
$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(BIN)/uv: $(BIN)/activate
	$(BIN)/pip install --quiet uv

install: $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e .

install-test: $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[test]'

## make run: install, migrate, load the demo data, start web + worker + scheduler.
run: install messages
	@mkdir -p var/broker/processed var/mail
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@bash scripts/run.sh $(HOST) $(PORT)

## make test: everything CI checks, on PostgreSQL and Redis, browsers included.
test: system-packages install-test services
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory check-deploy
	@$(MAKE) --no-print-directory messages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	CSP_TEST_S3_ENDPOINT_URL=$(TEST_S3_ENDPOINT_URL) $(TEST_BYTECODE) \
		$(BIN)/pytest --create-db $(PYTEST_PARALLEL) $(PYTEST_ARGS)

## make test-fast: the inner loop, everything but the browser and real-worker tests, on the test
## databases of the last run (after a new migration, add PYTEST_ARGS=--create-db).
test-fast: install-test services messages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	CSP_TEST_S3_ENDPOINT_URL=$(TEST_S3_ENDPOINT_URL) $(TEST_BYTECODE) \
		$(BIN)/pytest $(PYTEST_PARALLEL) -m "not browser and not real_worker" $(PYTEST_ARGS)

## The compiled Welsh catalogue (locale/*/LC_MESSAGES/django.mo, not committed), from the .po.
## Needs GNU gettext's msgfmt (scripts/system-packages.sh installs it).
## Without msgfmt (a fresh machine, make run) the pages stay in English, with a warning.
messages:
	@if command -v msgfmt >/dev/null; then \
		$(BIN)/python manage.py compilemessages -v 0 --ignore='.venv' --ignore='frontend' --ignore='var'; \
	else echo "msgfmt not found (Debian: apt-get install gettext): Welsh is not compiled." >&2; fi

system-packages:
	@bash scripts/system-packages.sh

services:
	@bash scripts/services.sh

check-deploy:
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$(openssl rand -hex 40) \
	DJANGO_ALLOWED_HOSTS=csp-portal.example DATABASE_URL=$(TEST_DATABASE_URL) \
	REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python manage.py check --deploy --fail-level WARNING

## Rebuild the committed GOV.UK Frontend assets (needs Node; not needed to run the app).
assets:
	cd frontend && npm ci && npm run build
