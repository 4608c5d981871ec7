from celery import shared_task

from . import outbox
from .models import Heartbeat


@shared_task(name="stepchange.heartbeat")
def heartbeat(*, name="worker"):
    """Record that a worker ran a task; beat schedules it every minute."""
    Heartbeat.record(name)


@shared_task(name="stepchange.send_notice")
def send_notice(*, notice_id):
    """Send one outbox notice; safe to run twice (the claim decides).

    The outbox now hands notices over as send_notices; this stays for the
    messages a broker may still hold from before that.
    """
    return outbox.send(notice_id)


@shared_task(name="stepchange.send_notices")
def send_notices(*, notice_ids):
    """Send a batch of outbox notices over one connection; safe to run twice."""
    return outbox.send_many(notice_ids)


@shared_task(name="stepchange.sweep_outbox")
def sweep_outbox():
    """Queue due notices again (broker was down, retries) and recover stuck ones."""
    return outbox.sweep()
