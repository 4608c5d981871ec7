"""A real Celery worker process takes tasks from the configured broker."""

import pytest
from django.conf import settings

from stepchange.models import Heartbeat
from stepchange.tasks import heartbeat
from tests.conftest import wait_for


@pytest.mark.services
def test_worker_runs_a_task_sent_through_the_broker(worker_process):
    worker, log = worker_process()

    heartbeat.delay(name="test-worker")

    wait_for(lambda: Heartbeat.objects.filter(name="test-worker").exists(), message="the heartbeat")
    assert worker.poll() is None, log.read_text()
    assert settings.CELERY_BROKER_URL.split(":")[0] in {"redis", "filesystem"}


def test_periodic_tasks_are_in_the_database_for_the_admin(db):
    from django_celery_beat.models import PeriodicTask

    tasks = dict(PeriodicTask.objects.values_list("task", "interval__every"))
    assert tasks == {
        "stepchange.heartbeat": 60,
        "stepchange.sweep_outbox": 60,
        "participants.queue_closing_reminders": 900,
        "participants.queue_milestone_reminders": 900,
        "participants.queue_closing_notices": 300,
        "participants.apply_retention_policy": None,  # nightly, on a crontab
    }
    assert not getattr(settings, "CELERY_BEAT_SCHEDULE", None)  # nothing overwrites them
