"""A real Celery worker process takes tasks from the configured broker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from stepchange.models import Heartbeat
from stepchange.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    """The test database as a URL, for a process outside this one."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("a worker process can only share an on-disk test database (PostgreSQL)")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    environment = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "0"}
    log = (tmp_path / "worker.log").open("w")
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
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.mark.services
def test_worker_runs_a_task_sent_through_the_broker(worker, tmp_path):
    heartbeat.delay(name="test-worker")

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Heartbeat.objects.filter(name="test-worker").exists():
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        time.sleep(0.2)

    assert Heartbeat.objects.filter(name="test-worker").exists(), (
        tmp_path / "worker.log"
    ).read_text()
    assert settings.CELERY_BROKER_URL.split(":")[0] in {"redis", "filesystem"}
