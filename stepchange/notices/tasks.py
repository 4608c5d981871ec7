"""The worker's side of the outbox: the Celery tasks that send notices and sweep.

Their names are what the broker and beat's schedule hold (migration
stepchange/0004), so they stay "stepchange.…" wherever the code lives. The
Celery app finds this module (stepchange/celery.py).
"""

from celery import shared_task

from . import sending


@shared_task(name="stepchange.send_notice")
def send_notice(*, notice_id):
    """Send one outbox notice; safe to run twice (the claim decides).

    The outbox now hands notices over as send_notices; this stays for the
    messages a broker may still hold from before that.
    """
    return sending.send(notice_id)


@shared_task(name="stepchange.send_notices")
def send_notices(*, notice_ids):
    """Send a batch of outbox notices over one connection; safe to run twice."""
    return sending.send_many(notice_ids)


@shared_task(name="stepchange.sweep_outbox")
def sweep_outbox():
    """Queue due notices again (broker was down, retries) and recover stuck ones."""
    return sending.sweep()
