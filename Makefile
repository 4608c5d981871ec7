# The two commands of the README:
#   make run    install, migrate, load the programme and a demonstration call,
#               and serve the portal with a Celery worker and beat (Ctrl-C stops all)
#   make test   the whole test suite on a throwaway PostgreSQL and Redis
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install run test check lint format css clean

install: $(VENV)/.installed node_modules/.installed static/dist/portal.css .env

# Local development settings; the environment wins over them, production has none.
.env:
	printf '# Made by make install for development on this machine; never used in production.\nDEBUG=1\n' > $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

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

test: install
	.ci/with-services $(MAKE) --no-print-directory check

# What `make test` runs once the services are up (DATABASE_URL, CELERY_BROKER_URL set).
check:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache  # dependencies point one way: [tool.importlinter] in pyproject.toml
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

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
