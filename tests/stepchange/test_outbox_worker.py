"""The outbox with a real worker process, the real broker and an SMTP server on loopback."""

import pytest
from celery import current_app

from stepchange.models import Heartbeat, Notice
from stepchange.notices import outbox, sending
from stepchange.tasks import heartbeat
from tests.answers import ANSWERS, section_url
from tests.conftest import wait_for
from tests.factories import UserFactory

pytestmark = pytest.mark.services


@pytest.fixture
def sent_eoi(client, loaded_programme, transactional_db):
    """A complete EOI, ready to send, for an applicant signed in on `client`."""
    from participants.models import ExpressionOfInterest
    from projects.services import open_demonstration_call

    open_demonstration_call()
    applicant = UserFactory(email="alex@example.org", stakeholder=True)
    client.force_login(applicant)
    client.get("/applications/express-interest/")
    eoi = ExpressionOfInterest.objects.get(applicant=applicant)
    for section, data in ANSWERS.items():
        assert client.post(section_url(eoi, section), data).status_code == 302
    return eoi


def test_submitted_eoi_emails_arrive_once_each(client, sent_eoi, smtp_sink, worker_process):
    _, log = worker_process(EMAIL_URL=smtp_sink.url)

    response = client.post(f"/applications/{sent_eoi.reference}/check-your-answers/")

    assert response.status_code == 302
    wait_for(lambda: len(smtp_sink.messages) >= 2, message=f"two emails; worker log:\n{log}")
    sending.sweep(now=sweep_time())  # queueing everything again must not send anything again
    wait_for(lambda: not Notice.objects.exclude(state="sent").exists(), message="all sent")
    assert smtp_sink.recipients() == ["alex@example.org", "robin@example.org"]
    assert len(set(smtp_sink.message_ids())) == 2


def test_broker_down_during_submission_loses_nothing(client, sent_eoi, smtp_sink, worker_process):
    from tests.loopback.processes import free_port

    app = current_app._get_current_object()
    working_broker = app.conf.broker_url

    def use_broker(url):
        # Celery builds its connection pools from broker_url on first use.
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    use_broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        response = client.post(f"/applications/{sent_eoi.reference}/check-your-answers/")
    finally:
        use_broker(working_broker)

    assert response.status_code == 302
    sent_eoi.refresh_from_db()
    assert sent_eoi.status == "submitted"
    assert list(Notice.objects.values_list("state", flat=True)) == ["pending", "pending"]

    worker_process(EMAIL_URL=smtp_sink.url)
    assert (
        sending.sweep(now=sweep_time()) == 2
    )  # what beat does every minute once the broker is back
    wait_for(lambda: len(smtp_sink.messages) >= 2, message="the emails after the broker returned")
    wait_for(lambda: not Notice.objects.exclude(state="sent").exists(), message="all sent")
    assert smtp_sink.recipients() == ["alex@example.org", "robin@example.org"]


def queue_batch(count, batched=False):
    import contextlib

    from django.db import transaction

    with transaction.atomic(), outbox.batched() if batched else contextlib.nullcontext():
        for number in range(count):
            outbox.queue_notice(
                recipient=f"person{number:03}@example.org",
                occurrence="call:1:closed",
                key="participants/email/referee_request",
                context={"full_name": "A", "referee_name": "B", "link": "x", "days": 1},
            )


@pytest.mark.parametrize("batched", [False, True], ids=["a task each", "one batched task"])
def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(smtp_sink, worker_process, batched):
    import datetime
    import signal
    import time

    from django.utils import timezone

    smtp_sink.handler.hold = 0.4
    worker, _ = worker_process(EMAIL_URL=smtp_sink.url)
    queue_batch(20, batched=batched)
    wait_for(lambda: len(smtp_sink.messages) >= 5, interval=0.01, message="the batch to start")
    # Kill it mid-send: while the server holds the next message. (Killed in the
    # instant between the server's "250" and our recording it, a worker would
    # send that one message again: SMTP itself cannot close that window; the
    # repeat would carry the same Message-ID.)
    time.sleep(0.2)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    delivered_before_restart = len(smtp_sink.messages)
    assert 5 <= delivered_before_restart < 20
    smtp_sink.handler.hold = 0  # the kill is done: the rest need not wait
    # The dead worker's claim runs out (the lease), as it would in five minutes.
    Notice.objects.filter(state="sending").update(
        claimed_at=timezone.now() - sending.SENDING_LEASE - datetime.timedelta(seconds=1)
    )
    worker_process(name="restarted", EMAIL_URL=smtp_sink.url)
    sending.sweep(now=sweep_time())

    wait_for(lambda: len(smtp_sink.messages) >= 20, timeout=90, message="every notice")
    wait_for(lambda: not Notice.objects.exclude(state="sent").exists(), message="all marked sent")
    assert smtp_sink.recipients() == [f"person{number:03}@example.org" for number in range(20)]


def test_an_smtp_outage_then_recovery_delivers_everything_once(smtp_sink, worker_process):
    from django.utils import timezone

    smtp_sink.stop()  # the mail server is down
    worker_process(EMAIL_URL=smtp_sink.url)
    queue_batch(10)
    wait_for(
        lambda: Notice.objects.filter(state="pending", attempts=1).count() == 10,
        message="every notice to fail once",
    )
    assert "ConnectionRefusedError" in Notice.objects.first().last_error

    smtp_sink.start()  # back, on the same port
    Notice.objects.update(not_before=timezone.now())  # their backoff has passed
    sending.sweep(now=sweep_time())

    wait_for(lambda: len(smtp_sink.messages) >= 10, message="delivery after recovery")
    wait_for(lambda: not Notice.objects.exclude(state="sent").exists(), message="all marked sent")
    assert smtp_sink.recipients() == [f"person{number:03}@example.org" for number in range(10)]


def test_due_reminders_arrive_once_even_when_two_schedulers_fire(
    smtp_sink, worker_process, loaded_programme
):
    import datetime
    import threading

    from django.db import connection

    from participants.models import ExpressionOfInterest
    from participants.reminders import queue_closing_reminders
    from projects.services import open_demonstration_call

    call = open_demonstration_call()
    for number in range(8):
        applicant = UserFactory(email=f"draft{number}@example.org", stakeholder=True)
        ExpressionOfInterest.objects.create(applicant=applicant, call=call)
    worker_process(EMAIL_URL=smtp_sink.url)
    when = call.closes - datetime.timedelta(days=7)

    def scheduler():
        try:
            queue_closing_reminders(now=when)
        finally:
            connection.close()

    schedulers = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in schedulers:
        thread.start()
    for thread in schedulers:
        thread.join()
    queue_closing_reminders(now=when)  # and once more, later

    wait_for(lambda: len(smtp_sink.messages) >= 8, message="the reminders")
    wait_for(lambda: not Notice.objects.exclude(state="sent").exists(), message="all sent")
    assert smtp_sink.recipients() == [f"draft{number}@example.org" for number in range(8)]
    assert Notice.objects.count() == 8


def test_a_moved_closing_date_sends_nothing_at_the_old_date(
    smtp_sink, worker_process, loaded_programme
):
    import datetime

    from participants.models import ExpressionOfInterest
    from participants.reminders import queue_closing_reminders
    from projects.models import Call
    from projects.services import open_demonstration_call

    call = open_demonstration_call()
    ExpressionOfInterest.objects.create(
        applicant=UserFactory(email="late@example.org", stakeholder=True), call=call
    )
    old_moment = call.closes - datetime.timedelta(days=7)
    # The 7-day reminder is queued (its task waits in Redis: no worker yet)...
    assert queue_closing_reminders(now=old_moment) == 1
    # ...then the closing date moves three weeks later before it is sent.
    Call.objects.filter(pk=call.pk).update(closes=call.closes + datetime.timedelta(days=21))
    assert queue_closing_reminders(now=old_moment + datetime.timedelta(minutes=15)) == 0
    worker_process(EMAIL_URL=smtp_sink.url)
    sending.sweep(now=sweep_time())
    # The worker takes tasks in order, one at a time: once this one has run,
    # everything queued before it has been tried.
    heartbeat.delay(name="after-the-queue")

    wait_for(lambda: Heartbeat.objects.filter(name="after-the-queue").exists(), message="the queue")
    assert smtp_sink.messages == []
    assert list(Notice.objects.values_list("state", flat=True)) == ["cancelled"]


def sweep_time():
    """A sweep's moment once every notice queued so far has waited its grace."""
    from django.utils import timezone

    return timezone.now() + sending.SWEEP_GRACE
