"""The suite's root: the programme loaded once per test database, the real password
hasher for the tests of passwords, one stack for the production tests under xdist,
and the real services (SMTP sink, Celery worker processes)."""

import pytest
from django.conf import settings
from django.test.utils import override_settings
from pytest_django.plugin import blocking_manager_key

from projects.services import load_programme


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


def pytest_collection_modifyitems(items):
    for item in items:
        # One production stack, on one xdist worker (with --dist loadgroup), not one a worker.
        if item.get_closest_marker("production"):
            item.add_marker(pytest.mark.xdist_group("production"))
        if "password" in item.name:
            item.add_marker(pytest.mark.real_password_hasher)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The Call to Action's content, loaded once into each test database as
    `manage.py loadprogramme` loads it; each test's transaction rolls back its changes."""
    with django_db_blocker.unblock():
        load_programme()


@pytest.fixture
def loaded_programme(db):
    """The Call to Action's content (loaded once per test database: django_db_setup)."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test on a transactional database (a live server's, a worker process's) ends by
    emptying every table: put the programme back for the tests after it."""
    yield
    transactional = {"transactional_db", "live_server"} & set(item.fixturenames)
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        transactional = True
    if transactional and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
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
    from loopback.smtp import SmtpSink

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
    from stepchange import outbox
    from stepchange.models import Notice

    for notice_id in (
        Notice.objects.filter(state=Notice.State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        outbox.send(notice_id)
