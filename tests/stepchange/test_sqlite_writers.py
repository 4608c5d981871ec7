"""Under `make run` the web process, the worker and beat write to one SQLite file
at once, and none of them fails with "database is locked".

Each of three processes runs the embedded defaults (SQLite and the filesystem
broker in a var/ of its own, whatever the test command's DATABASE_URL says)
and writes in transactions as its namesake does, each transaction reading
before it writes (as a view does under ATOMIC_REQUESTS); every transaction also
bumps one shared counter by reading it and saving it again.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSACTIONS = 150  # by each process
COUNTER = "stepchange.sweep_outbox"  # a periodic task (migration stepchange/0004)

WRITER = """
import sys, time
from pathlib import Path

import django

django.setup()

from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from stepchange.notices import outbox, sending
from stepchange.models import Heartbeat, Notice
from stepchange.notices.tasks import sweep_outbox

role, count, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])


def bump_the_counter():
    task = PeriodicTask.objects.get(task=COUNTER)
    task.total_run_count += 1
    task.last_run_at = timezone.now()
    task.save(update_fields=["total_run_count", "last_run_at"])


(folder / f"ready-{role}").touch()
while not (folder / "go").exists():
    time.sleep(0.01)
for number in range(count):
    with transaction.atomic():
        bump_the_counter()
        if role == "web":
            # A request that queues an email: the notice, and its task once committed.
            Notice.objects.filter(recipient=f"person{number}@example.org").exists()
            outbox.queue_rendered(
                reason="account",
                recipient=f"person{number}@example.org",
                occurrence=f"test:{number}",
                subject="Subject",
                body_text="Body",
                body_html="<p>Body</p>",
            )
        elif role == "worker":
            # The heartbeat task, and sending whatever the web process has queued.
            Heartbeat.record(f"worker-{number}")
            pending = Notice.objects.filter(state=Notice.State.PENDING).values_list("pk", flat=True)
            sending.send_many(list(pending[:5]))
        else:
            # Beat: its heartbeat, and the sweep's task handed to the broker.
            Heartbeat.record(f"beat-{number}")
            transaction.on_commit(sweep_outbox.delay)
""".replace("COUNTER", repr(COUNTER))


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.1)


def test_the_web_process_the_worker_and_beat_write_to_sqlite_at_once(tmp_path):
    database = tmp_path / "portal.sqlite3"
    var = tmp_path / "var"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "EMAIL_URL", "CELERY_BROKER_URL"}
    }
    environment.update(
        DEBUG="1",  # as `make run`
        DATABASE_URL=f"sqlite:///{database}",
        STEPCHANGE_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="stepchange.settings",
        PYTHONPATH=str(ROOT),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    script = tmp_path / "writer.py"
    script.write_text(WRITER)

    processes = {
        role: subprocess.Popen(
            [sys.executable, str(script), role, str(TRANSACTIONS), str(tmp_path)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("web", "worker", "beat")
    }
    try:
        wait_for(
            lambda: (
                all((tmp_path / f"ready-{role}").exists() for role in processes)
                or any(process.poll() is not None for process in processes.values())
            ),
            timeout=120,
            message="the three processes to start",
        )
        (tmp_path / "go").touch()
        outcomes = {role: process.communicate(timeout=300) for role, process in processes.items()}
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()

    failures = {
        role: stderr for role, (_, stderr) in outcomes.items() if processes[role].returncode != 0
    }
    assert failures == {}
    counts = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from django_celery_beat.models import PeriodicTask\n"
            "from stepchange.models import Heartbeat, Notice\n"
            f"print(PeriodicTask.objects.get(task={COUNTER!r}).total_run_count)\n"
            "print(Notice.objects.count())\n"
            "print(Notice.objects.exclude(state__in=['pending', 'sent']).count())\n"
            "print(Heartbeat.objects.filter(name__startswith='worker-').count())\n"
            "print(Heartbeat.objects.filter(name__startswith='beat-').count())\n",
        ],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()
    # Every transaction of every process landed, and no bump of the counter was lost.
    assert counts == [str(3 * TRANSACTIONS), str(TRANSACTIONS), "0"] + [str(TRANSACTIONS)] * 2
    # The web process's tasks and beat's all reached the filesystem broker.
    assert len(list((var / "broker" / "queue").glob("*.msg"))) == 2 * TRANSACTIONS
