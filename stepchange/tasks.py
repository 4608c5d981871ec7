from celery import shared_task

from .models import Heartbeat


@shared_task(name="stepchange.heartbeat")
def heartbeat(*, name="worker"):
    """Record that a worker ran a task; beat schedules it every minute.

    The outbox's tasks are in stepchange/notices/tasks.py.
    """
    Heartbeat.record(name)
