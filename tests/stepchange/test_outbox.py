"""The outbox sends each notice once, retries what is temporary, recovers what is stuck."""

import datetime

from django.utils import timezone

from stepchange import personal_pages
from stepchange.models import Notice
from stepchange.notices import outbox, sending


def queue(recipient="casey@example.org", occurrence="test:1"):
    notice, _ = outbox.queue_notice(
        recipient=recipient,
        occurrence=occurrence,
        key="participants/email/referee_request",
        context={
            "full_name": "Casey <b>Example</b>",
            "referee_name": "Jo",
            "link": "https://x",
            "days": 30,
        },
    )
    return notice


def test_queueing_twice_makes_one_notice(db):
    first = queue()
    second = queue(recipient=" CASEY@example.org ")

    assert first.pk == second.pk
    assert Notice.objects.count() == 1


def test_placeholders_are_escaped_in_html_only(db):
    notice = queue()

    assert "Casey &lt;b&gt;Example&lt;/b&gt;" in notice.body_html
    assert "Casey <b>Example</b>" in notice.body_text
    assert notice.subject == "Step-Change Programme: can you confirm who Casey <b>Example</b> is?"


def test_a_notice_is_claimed_once(db):
    notice = queue()

    assert sending.claim(notice.pk) is not None
    assert sending.claim(notice.pk) is None


def test_sending_delivers_once_with_a_stable_message_id(db, smtp_sink):
    notice = queue()

    assert sending.send(notice.pk) == Notice.State.SENT
    assert sending.send(notice.pk) is None  # a second delivery of the task sends nothing

    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("sent", 1)
    assert smtp_sink.recipients() == ["casey@example.org"]
    message = smtp_sink.messages[0]["message"]
    assert message["Message-ID"] == notice.message_id
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]


def test_a_temporary_error_is_retried_later_with_backoff(db, smtp_sink):
    notice = queue()
    smtp_sink.refuse_next("451 4.3.0 Try again later")

    assert sending.send(notice.pk) == Notice.State.PENDING
    notice.refresh_from_db()
    assert notice.attempts == 1
    assert "451" in notice.last_error
    assert notice.not_before <= timezone.now() + datetime.timedelta(
        seconds=sending.BACKOFF_BASE_SECONDS
    )
    Notice.objects.filter(pk=notice.pk).update(not_before=timezone.now())

    assert sending.send(notice.pk) == Notice.State.SENT
    assert smtp_sink.recipients() == ["casey@example.org"]


def test_a_permanent_error_stops_at_once(db, smtp_sink):
    notice = queue()
    smtp_sink.refuse_next("550 5.1.1 No such user")

    assert sending.send(notice.pk) == Notice.State.FAILED
    notice.refresh_from_db()
    assert (notice.attempts, notice.state) == (1, "failed")
    assert "550" in notice.last_error
    assert smtp_sink.messages == []


def test_temporary_errors_stop_after_the_limit(db, smtp_sink):
    notice = queue()
    smtp_sink.refuse_next(*["421 4.7.0 Busy"] * sending.MAX_ATTEMPTS)

    for _ in range(sending.MAX_ATTEMPTS):
        Notice.objects.filter(pk=notice.pk).update(not_before=timezone.now())
        state = sending.send(notice.pk)

    assert state == Notice.State.FAILED
    notice.refresh_from_db()
    assert notice.attempts == sending.MAX_ATTEMPTS


def test_no_server_at_all_is_temporary(db, settings):
    from tests.loopback.processes import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    notice = queue()

    assert sending.send(notice.pk) == Notice.State.PENDING
    notice.refresh_from_db()
    assert "ConnectionRefusedError" in notice.last_error


def test_a_notice_stuck_in_sending_is_recovered_by_the_sweep(db, smtp_sink):
    notice = queue()
    sending.claim(notice.pk)  # a worker took it, then died
    Notice.objects.filter(pk=notice.pk).update(
        claimed_at=timezone.now() - sending.SENDING_LEASE - datetime.timedelta(seconds=1)
    )

    sending.sweep(now=timezone.now() + sending.SWEEP_GRACE)

    notice.refresh_from_db()
    assert notice.state == "pending"
    assert sending.send(notice.pk) == Notice.State.SENT
    assert smtp_sink.recipients() == ["casey@example.org"]


def test_a_notice_being_sent_now_is_left_alone(db):
    notice = queue()
    sending.claim(notice.pk)

    sending.sweep()

    notice.refresh_from_db()
    assert notice.state == "sending"
    assert sending.claim(notice.pk) is None


def test_send_again_gives_a_failed_notice_a_new_attempt(db, smtp_sink):
    notice = queue()
    smtp_sink.refuse_next("554 5.7.1 Rejected")
    sending.send(notice.pk)

    assert sending.send_again(notice) is True
    assert sending.send(notice.pk) == Notice.State.SENT
    assert Notice.objects.count() == 1
    assert smtp_sink.recipients() == ["casey@example.org"]
    assert sending.send_again(notice) is False  # only failed notices


def test_admin_outbox_lists_and_sends_failed_notices_again(client, db, smtp_sink):
    from tests.factories import UserFactory, login_with_two_factor

    login_with_two_factor(client, UserFactory(is_staff=True, is_superuser=True))
    failed, sent = queue(occurrence="a"), queue(occurrence="b")
    Notice.objects.filter(pk=failed.pk).update(state="failed", last_error="550 No such user")
    Notice.objects.filter(pk=sent.pk).update(state="sent")

    page = client.get("/admin/stepchange/notice/", {"state__exact": "failed"})
    assert [notice.pk for notice in page.context["cl"].result_list] == [failed.pk]
    assert "550 No such user" in page.content.decode()

    response = client.post(
        "/admin/stepchange/notice/",
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )

    assert "1 notice(s) queued to send again." in response.content.decode()
    assert "1 notice(s) were not failed" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)
    assert Notice.objects.count() == 2


def test_the_sweep_leaves_fresh_notices_to_their_own_task(db):
    fresh = queue()

    assert sending.sweep() == 0
    assert sending.sweep(now=fresh.not_before + sending.SWEEP_GRACE) == 1


def queue_many(count, occurrence="fan-out:1"):
    return [
        queue(recipient=f"person{n:03}@example.org", occurrence=occurrence) for n in range(count)
    ]


def test_a_batch_is_sent_over_one_connection_and_once(db, smtp_sink):
    ids = [notice.pk for notice in queue_many(5)]

    assert sending.send_many(ids) == {"sent": 5}
    assert sending.send_many(ids) == {}  # a second delivery of the task sends nothing

    assert smtp_sink.recipients() == [f"person{n:03}@example.org" for n in range(5)]
    assert smtp_sink.connections() == 1
    assert set(Notice.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert [m["message"]["Message-ID"] for m in smtp_sink.messages] == [
        Notice.objects.get(pk=pk).message_id for pk in ids
    ]


def test_a_refused_message_does_not_stop_the_rest_of_its_batch(db, smtp_sink):
    ids = [notice.pk for notice in queue_many(3)]
    smtp_sink.refuse_next("451 try later")

    assert sending.send_many(ids) == {"pending": 1, "sent": 2}

    refused = Notice.objects.get(pk=ids[0])
    assert (refused.state, refused.attempts) == ("pending", 1)
    assert "451" in refused.last_error
    assert smtp_sink.recipients() == ["person001@example.org", "person002@example.org"]


def test_a_batch_skips_what_another_worker_has(db, smtp_sink):
    ids = [notice.pk for notice in queue_many(3)]
    sending.claim(ids[1])  # another worker is sending it

    assert sending.send_many(ids) == {"sent": 2}
    assert Notice.objects.get(pk=ids[1]).state == "sending"


def test_batched_notices_go_to_the_workers_in_tasks_of_batch_size(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from stepchange.notices.tasks import send_notices

    handed_over = []
    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    monkeypatch.setattr(send_notices, "delay", lambda notice_ids: handed_over.append(notice_ids))

    with django_capture_on_commit_callbacks(execute=True) as callbacks, outbox.batched():
        notices = queue_many(5)
        queue(recipient="person000@example.org", occurrence="fan-out:1")  # queued already

    ids = [notice.pk for notice in notices]
    # One hand-over for the batch (besides the kept pages' drop on commit).
    assert len([callback for callback in callbacks if callback is not personal_pages._bump]) == 1
    assert handed_over == [ids[0:2], ids[2:4], ids[4:5]]


def test_a_notice_outside_a_batch_is_handed_over_on_its_own(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from stepchange.notices.tasks import send_notices

    handed_over = []
    monkeypatch.setattr(send_notices, "delay", lambda notice_ids: handed_over.append(notice_ids))

    with django_capture_on_commit_callbacks(execute=True):
        first, second = queue_many(2)

    assert handed_over == [[first.pk], [second.pk]]


def test_a_rolled_back_batch_hands_nothing_over(transactional_db, monkeypatch):
    from django.db import transaction

    from stepchange.notices.tasks import send_notices

    handed_over = []
    monkeypatch.setattr(send_notices, "delay", lambda notice_ids: handed_over.append(notice_ids))

    class Abandon(Exception):
        pass

    try:
        with transaction.atomic(), outbox.batched():
            queue_many(3)
            raise Abandon
    except Abandon:
        pass

    assert handed_over == []
    assert not Notice.objects.exists()
