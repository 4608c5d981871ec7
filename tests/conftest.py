"""The suite's root: the programme loaded once per test database, the real password
hasher for the tests of passwords, one stack for the production tests under xdist,
and the real services (SMTP sink, Celery worker processes)."""

import pytest
from django.conf import settings
from django.test.utils import override_settings

from projects.services import load_programme

pytest_plugins = ["tests.fixtures"]


def _redacted(url):
    """A URL without its password, for the test report's header."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    vendor = database["ENGINE"].rsplit(".", 1)[-1]
    where = (
        f"{database.get('HOST') or 'local socket'}:{database.get('PORT') or ''}"
        if vendor != "sqlite3"
        else str(database["NAME"])
    )
    return [
        f"database: {vendor} at {where}",
        f"celery broker: {_redacted(settings.CELERY_BROKER_URL)}",
        f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}",
    ]


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache, which may be a shared Redis: each
    test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


# First: pytest-xdist's worker reads the xdist_group marks in its own hook of this
# name, so a mark added after it would group nothing (each worker then started its
# own production stack).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        # One production stack, on one xdist worker (with --dist loadgroup), not one a worker.
        if item.get_closest_marker("production"):
            item.add_marker(pytest.mark.xdist_group("production"))
        # The tests of passwords, by their function's name (not a parameter's: the
        # hostile-input tests of the password pages test input, not hashing).
        if "password" in getattr(item, "originalname", item.name):
            item.add_marker(pytest.mark.real_password_hasher)


class LongestFirst:
    """The production group first: one worker's longest unit (a stack, then its tests),
    handed out at the start rather than last, so that the workers end together.
    Last of the hooks, after pytest-django's order (database tests, then
    transactional ones, then the rest, where the production tests fall); they use
    no test database, so running them first changes nothing the order is for."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        items.sort(key=lambda item: not item.get_closest_marker("production"))


def pytest_configure(config):
    config.pluginmanager.register(LongestFirst(), "stepchange-longest-first")


@pytest.fixture(scope="session")
def programme_rows(django_db_setup, django_db_blocker):
    """Every row `manage.py loadprogramme` adds to an empty database (its history and
    the call's projects too), as it adds them: loaded once per test database, in a
    transaction rolled back at once, so that a test sees the programme only if it asks."""
    from django.apps import apps
    from django.db import transaction

    models = [model for model in apps.get_models(include_auto_created=True) if model._meta.managed]
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        load_programme()
        rows = {}
        for model in models:
            added = [row for row in model._base_manager.all() if row.pk not in before[model]]
            if added:
                rows[model] = added
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def loaded_programme(db, programme_rows):
    """The Call to Action's content, as `manage.py loadprogramme` loads it: the same rows,
    written in one insert a table (PostgreSQL checks the foreign keys at the commit)."""
    from django.db import IntegrityError, transaction

    try:
        with transaction.atomic():
            for model, rows in programme_rows.items():
                model._base_manager.bulk_create(rows)
    except IntegrityError:  # a test before this one reset the sequences: load it afresh
        load_programme()


@pytest.fixture(autouse=True)
def real_password_hasher(request):
    """The tests of passwords (marked real_password_hasher; every test whose name says
    password) hash with production's hasher; the others with tests/settings.py's fast one."""
    if not request.node.get_closest_marker("real_password_hasher"):
        yield
        return
    from tests.settings import PASSWORD_HASHERS, PRODUCTION_PASSWORD_HASHERS

    fast = [hasher for hasher in PASSWORD_HASHERS if hasher not in PRODUCTION_PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=[*PRODUCTION_PASSWORD_HASHERS, *fast]):
        yield


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback; Django's email goes to it for the test."""
    from tests.loopback.smtp import SmtpSink

    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


def _database_url():
    """The test database as a URL, for a process outside this one."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("a worker process can only share an on-disk test database (PostgreSQL)")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker_process(transactional_db, tmp_path):
    """Start real `celery worker` processes on the test database and broker.

    Call it with extra environment (EMAIL_URL, say); it returns the process and
    its log file. Every process is stopped at the end of the test.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    started = []

    def start(name="worker", **env):
        log = tmp_path / f"{name}-{len(started)}.log"
        environment = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "0", **env}
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "stepchange",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                f"--hostname={name}-{len(started)}@%h",
            ],
            cwd=root,
            env=environment,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process, log

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(condition, timeout=60, interval=0.2, message="condition"):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


def deliver_outbox():
    """Send every pending notice now, as a worker would, into Django's test mailbox."""
    from stepchange.models import Notice
    from stepchange.notices import sending

    for notice_id in (
        Notice.objects.filter(state=Notice.State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        sending.send(notice_id)
