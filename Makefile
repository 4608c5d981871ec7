# The two commands of the README:
#   make run    install, migrate, load the programme and a demonstration call,
#               and serve the portal with a Celery worker and beat (Ctrl-C stops all)
#   make test   the whole test suite on a throwaway PostgreSQL and Redis (tests/loopback/)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install run test check lint format css clean

install: $(VENV)/.installed node_modules/.installed static/dist/portal.css .env

# Local development settings; the environment wins over them, production has none.
.env:
	printf '# Made by make install for development on this machine; never used in production.\nDEBUG=1\n' > $@

# requirements.lock pins every package, with hashes, as CI tested them; after a change
# to pyproject.toml's dependencies: make lock, then commit both.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

.PHONY: lock
lock:
	$(VENV)/bin/pip-compile --quiet --extra test --strip-extras --generate-hashes --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/dist/portal.css: static/scss/portal.scss node_modules/.installed
	npm run --silent build:css

css: node_modules/.installed
	npm run --silent build:css

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py loadprogramme --demonstration
	DEBUG=1 $(PY) manage.py createdemouser
	DEBUG=1 $(PY) manage.py demodata --if-empty
	DEBUG=1 $(PY) manage.py runportal

# The settings a test run uses; production values never come from here.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key-not-for-production ALLOWED_HOSTS=localhost,127.0.0.1,testserver SECURE_SSL_REDIRECT=0 \
  STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

# Prints how long it took, wall clock and CPU (the suite's processes, not the servers').
test: install
	@TIMEFORMAT='make test took %0lR (CPU: %0lU user, %0lS system)'; \
	time .ci/with-services $(MAKE) --no-print-directory check

# pytest-xdist: one process a core and one more, as a third of the suite's time is
# waiting on other processes (Chromium, Celery workers, the production stack), time
# another test can use the core for; --dist loadgroup keeps the production tests on
# one worker, with one stack (tests/conftest.py). pyproject.toml adds --durations=15.
XDIST := -n $(shell echo $$(( $$(nproc) + 1 ))) --dist loadgroup

# What `make test` runs once the services are up (DATABASE_URL, CELERY_BROKER_URL set).
check:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache  # dependencies point one way: [tool.importlinter] in pyproject.toml
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules static/dist var

# Benchmarks of the production stack on loopback (bench/, README "Benchmarks"); not tests.
# make bench BENCH_ARGS=--quick for a smoke check.
.PHONY: bench
bench: install
	.venv/bin/python bench/run.py $(BENCH_ARGS)
