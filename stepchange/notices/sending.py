"""Sending the outbox: each notice claimed, sent once, retried when the failure is temporary.

A notice is claimed before sending by a conditional UPDATE, so two deliveries
of the same task (late acknowledgement, two schedulers) cannot both send it.
A notice left in "sending" by a worker that died is released after a lease
and sent again by the sweep: the one window where that repeats a message is
between the SMTP server accepting it and our recording that, and every
attempt carries the same Message-ID so that the receiving server can
recognise a repeat. A notice queued with its context (outbox.rendered_at_send)
is rendered by the worker that claimed it, and its words saved on the row
before it is sent, so every attempt sends the same words; one that cannot be
rendered is failed with the reason. The Celery tasks that call this are in
tasks.py.
"""

import contextlib
import datetime
import functools
import logging
import random
import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notice
from .outbox import enqueue, enqueue_many
from .rendering import render_stored

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 30
# Longer than any send can take: a notice claimed this long ago belongs to a
# worker that died.
SENDING_LEASE = datetime.timedelta(minutes=5)
# A notice is normally queued the moment its change commits; the sweep only
# takes those that have waited longer than this, so it does not queue a burst
# a second time while the worker is still working through it.
SWEEP_GRACE = datetime.timedelta(minutes=2)


def _claimable(now):
    return Q(state=Notice.State.PENDING, not_before__lte=now) | Q(
        state=Notice.State.SENDING, claimed_at__lt=now - SENDING_LEASE
    )


def claim(notice_id, now=None):
    """Mark the notice as being sent, if it is due and nobody else has it.

    One conditional UPDATE decides, so of two workers given the same notice
    only one gets it. Returns the claimed notice, or None.
    """
    return Notice.objects.get(pk=notice_id) if _claim_row(notice_id, now) else None


def _claim_loaded(notice):
    """claim() for a notice already read: the same UPDATE, without reading it again."""
    now = timezone.now()
    claimed = _claim_row(notice.pk, now)
    if claimed:
        notice.state, notice.claimed_at = Notice.State.SENDING, now
        notice.attempts += 1
    return claimed


def _claim_row(notice_id, now=None):
    """The claim's UPDATE: the conditions of _claimable(now), for one notice."""
    now = now or timezone.now()
    connection = connections[Notice.objects.db]
    at = connection.ops.adapt_datetimefield_value
    claim_sql, _ = _update_statements(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            claim_sql,
            [
                Notice.State.SENDING.value,
                at(now),
                notice_id,
                Notice.State.PENDING.value,
                at(now),
                Notice.State.SENDING.value,
                at(now - SENDING_LEASE),
            ],
        )
        return cursor.rowcount == 1


def _record_sent(notice):
    connection = connections[Notice.objects.db]
    _, sent_sql = _update_statements(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            sent_sql,
            [
                Notice.State.SENT.value,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                notice.pk,
            ],
        )


@functools.cache
def _update_statements(vendor):
    """The claim's and the record of a sending's UPDATE as SQL, made once a database kind.

    A fan-out runs both for every message; made by the ORM each time they
    cost about 2 ms of CPU a message, more than building and sending it.
    """
    quote = connections[Notice.objects.db].ops.quote_name

    def column(name):
        return quote(Notice._meta.get_field(name).column)

    table = quote(Notice._meta.db_table)
    state, claimed_at = column("state"), column("claimed_at")
    claim_sql = (
        f"UPDATE {table} SET {state} = %s, {claimed_at} = %s, "
        f"{column('attempts')} = {column('attempts')} + 1 "
        f"WHERE {column('id')} = %s AND (({state} = %s AND {column('not_before')} <= %s) "
        f"OR ({state} = %s AND {claimed_at} < %s))"
    )
    sent_sql = (
        f"UPDATE {table} SET {state} = %s, {column('sent_at')} = %s, "
        f"{column('last_error')} = '' WHERE {column('id')} = %s"
    )
    return claim_sql, sent_sql


def is_temporary(error):
    """Worth trying again later: a 4xx reply, or no connection at all."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    # Refused or lost connections and timeouts; other SMTP errors are permanent.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def backoff(attempts):
    """Exponential backoff with full jitter, so that retries do not arrive together."""
    return datetime.timedelta(seconds=random.uniform(0, BACKOFF_BASE_SECONDS * 2 ** (attempts - 1)))


def build_message(notice, connection=None):
    headers = {"Message-ID": notice.message_id, **notice.headers}
    message = EmailMultiAlternatives(
        connection=connection,
        subject=notice.subject,
        body=notice.body_text,
        to=[notice.recipient],
        reply_to=[notice.reply_to] if notice.reply_to else None,
        headers=headers,
    )
    if notice.body_html:
        message.attach_alternative(notice.body_html, "text/html")
    return message


def send(notice_id):
    """Send one notice if it can be claimed; record the outcome.

    Changes the notice's state to sent, to pending with a later not_before
    (temporary error, attempts left) or to failed (permanent error, or the
    last attempt), recording the error. Returns the final state or None when
    the notice was not claimable.
    """
    notice = claim(notice_id)
    if notice is None:
        return None
    if not _render_claimed(notice):
        return notice.state
    connection = get_connection()
    try:
        return _send_claimed(notice, connection)
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def send_many(notice_ids):
    """send() for each of the notices, over one connection to the mail server.

    Each notice is claimed just before it is sent. Its being sent is recorded
    in the same transaction that claims the next one (one commit a message,
    not two: with PostgreSQL's fsync the commits, not the sending, bounded a
    fan-out), so a worker that dies leaves at most one notice in "sending" and
    the rest for the sweep or the task's redelivery. Returns the count of each
    outcome.
    """
    outcomes = {}
    notices = Notice.objects.filter(_claimable(timezone.now()), pk__in=notice_ids).order_by("pk")
    connection = get_connection()
    delivered = None  # sent, not yet recorded
    try:
        for notice in notices:
            with transaction.atomic():
                if delivered is not None:
                    _record_sent(delivered)
                    delivered = None
                claimed = _claim_loaded(notice)
            if not claimed:
                state = "not claimed"
            elif not _render_claimed(notice):
                state = notice.state
            else:
                state = _deliver(notice, connection)
            if state == Notice.State.SENT:
                delivered = notice
            outcomes[state] = outcomes.get(state, 0) + 1
    finally:
        if delivered is not None:
            _record_sent(delivered)
        with contextlib.suppress(Exception):
            connection.close()
    return outcomes


def _render_claimed(notice):
    """Render a claimed notice that awaits it and save its words; True when it can be sent.

    The claim keeps every other worker off the row, so it is rendered once;
    its words are saved before it is sent, so a retry, after a failure or a
    worker's death, sends the same words. A notice that cannot be rendered is
    failed with the reason, keeping its context for "send again".
    """
    if not notice.awaits_rendering:
        return True
    try:
        render_stored(notice)
    except Exception as error:  # a template's or the context's, whatever it is
        notice.state = Notice.State.FAILED
        notice.last_error = f"Not rendered: {type(error).__name__}: {error}"[:2000]
        notice.save(update_fields=["state", "last_error"])
        logger.warning("Notice %s not rendered: %s", notice.pk, notice.last_error, exc_info=True)
        return False
    notice.context = {}
    notice.save(update_fields=["subject", "body_text", "body_html", "context"])
    return True


def _send_claimed(notice, connection):
    state = _deliver(notice, connection)
    if state == Notice.State.SENT:
        _record_sent(notice)
    return state


def _deliver(notice, connection):
    """Hand a claimed notice to the mail server. A failure is recorded here; a
    success is for the caller to record (_record_sent)."""
    try:
        if getattr(connection, "connection", True) is None:
            connection.open()  # kept open for the rest of the batch
        build_message(notice, connection).send()
    except Exception as error:
        with contextlib.suppress(Exception):
            connection.close()  # the next notice starts on a fresh connection
        notice.last_error = f"{type(error).__name__}: {error}"[:2000]
        if is_temporary(error) and notice.attempts < MAX_ATTEMPTS:
            notice.state = Notice.State.PENDING
            notice.not_before = timezone.now() + backoff(notice.attempts)
        else:
            notice.state = Notice.State.FAILED
        notice.save(update_fields=["state", "not_before", "last_error"])
        logger.warning("Notice %s not sent (%s): %s", notice.pk, notice.state, notice.last_error)
        return notice.state
    return Notice.State.SENT


def sweep(now=None):
    """Queue again the notices that should have gone by now, and release those
    whose worker died.

    Runs periodically (beat). Changes notices stuck in "sending" past the
    lease back to pending, then queues pending notices due for longer than
    SWEEP_GRACE (the broker was down, or a retry's time has come). Returns
    the number queued.
    """
    now = now or timezone.now()
    Notice.objects.filter(state=Notice.State.SENDING, claimed_at__lt=now - SENDING_LEASE).update(
        state=Notice.State.PENDING
    )
    due = list(
        Notice.objects.filter(state=Notice.State.PENDING, not_before__lte=now - SWEEP_GRACE)
        .order_by("not_before", "pk")
        .values_list("pk", flat=True)[:5000]
    )
    enqueue_many(due)
    return len(due)


def send_again(notice):
    """Give a failed notice a new attempt (the same notice, not a duplicate)."""
    updated = Notice.objects.filter(pk=notice.pk, state=Notice.State.FAILED).update(
        state=Notice.State.PENDING, not_before=timezone.now(), attempts=0
    )
    if updated:
        transaction.on_commit(lambda: enqueue(notice.pk))
    return bool(updated)
