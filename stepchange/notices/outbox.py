"""The outbox: every email the portal sends is queued here, then sent once (sending.py).

Queue a notice inside the transaction of the change that causes it; once that
commits, a Celery task (tasks.py) sends it. A notice is unique by (reason,
recipient, occurrence), so queueing it twice finds the one that exists.

Fan-outs (a closing-date notice to every applicant) queue their notices
inside `batched()`: the notices go to the workers in tasks of BATCH_SIZE, and
a worker sends a task's notices over one SMTP connection, still claiming and
recording each notice on its own.
"""

import contextlib
import contextvars
import functools
import logging

from django.db import connections, transaction

from ..celery import app as celery_app
from . import registry
from .context import to_stored
from .models import Notice
from .rendering import full_subject, one_line, render_wording

logger = logging.getLogger(__name__)

# Notices handed to a worker in one task: one broker message and one SMTP
# connection for this many, few enough that a batch is not a long wait.
BATCH_SIZE = 100

# The ids of the notices queued inside `batched()`, or None outside it.
_batch = contextvars.ContextVar("outbox_batch", default=None)
# True inside `rendered_at_send()`.
_at_send = contextvars.ContextVar("outbox_rendered_at_send", default=False)


def queue_notice(*, key, recipient, occurrence, context, reply_to="", headers=None):
    """Create the notice `key` for (its reason, recipient, occurrence) unless it exists.

    `key` is a registered notice type (registry.py), whose declaration gives
    the reason; `occurrence` comes from occurrences.py. Renders the subject,
    plain text and HTML with `context` now, so the notice says what was true
    when it was caused (see rendering.render_wording); inside
    `rendered_at_send()` it keeps the context, checked the same way, on the
    row instead, for the worker to render. Call it inside the transaction of
    the change that causes it: the notice is saved with that change or not at
    all, and its sending is queued once the change commits.
    Returns the notice and whether it was created.
    """
    notice_type = registry.get(key)
    if _at_send.get():
        return _queue(
            Notice(
                reason=notice_type.reason,
                recipient=recipient,
                occurrence=occurrence,
                subject="",
                body_text="",
                body_html="",
                template_key=key,
                context=to_stored(key, context, notice_type.placeholders),
                reply_to=reply_to,
                headers=headers or {},
            )
        )
    subject, body_text, body_html = render_wording(key, context)
    return queue_rendered(
        reason=notice_type.reason,
        recipient=recipient,
        occurrence=occurrence,
        subject=full_subject(subject),
        body_text=body_text,
        body_html=body_html,
        reply_to=reply_to,
        headers=headers,
    )


def queue_rendered(
    *, reason, recipient, occurrence, subject, body_text, body_html, reply_to="", headers=None
):
    """queue_notice for an email whose wording is already written (allauth's, the
    two-factor code's): `reason` is one its sender declared (registry.reason)."""
    registry.check_reason(reason)
    return _queue(
        Notice(
            reason=reason,
            recipient=recipient,
            occurrence=occurrence,
            subject=one_line(subject)[:300].rstrip(),
            body_text=body_text,
            body_html=body_html,
            reply_to=reply_to,
            headers=headers or {},
        )
    )


def _queue(notice):
    notice.recipient = notice.recipient.strip().lower()
    created = _insert_unless_queued(notice)
    if not created:
        notice = Notice.objects.get(
            reason=notice.reason, recipient=notice.recipient, occurrence=notice.occurrence
        )
    elif (batch := _batch.get()) is not None:
        batch.append(notice.pk)
    else:
        transaction.on_commit(lambda: enqueue(notice.pk))
    return notice, created


@contextlib.contextmanager
def rendered_at_send():
    """Queue the notices of this block with their context, rendered by the worker.

    For a request that should answer without rendering its emails (sending
    an EOI): each notice keeps its type and checked plain context on its
    row, and the worker that claims it renders it with the wording in force
    then and saves the words before sending them (sending.py), so a retry
    sends the same words and the outbox shows them.
    """
    token = _at_send.set(True)
    try:
        yield
    finally:
        _at_send.reset(token)


def _insert_unless_queued(notice):
    """Insert the notice unless (reason, recipient, occurrence) is queued already.

    One INSERT ... ON CONFLICT DO NOTHING (PostgreSQL and SQLite), not
    get_or_create's four statements: a fan-out inserts thousands, and a
    duplicate needs no savepoint. Sets notice.pk and returns True when it was
    inserted.
    """
    connection = connections[Notice.objects.db]
    sql, fields = _insert_statement(connection.vendor)
    values = [
        field.get_db_prep_save(field.pre_save(notice, add=True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    notice.pk = row[0]
    notice._state.adding = False
    notice._state.db = Notice.objects.db
    return True


@functools.cache
def _insert_statement(vendor):
    """The SQL of _insert_unless_queued and the fields it sets, made once a database kind."""
    quote = connections[Notice.objects.db].ops.quote_name
    fields = [field for field in Notice._meta.concrete_fields if not field.primary_key]
    key = [Notice._meta.get_field(name).column for name in ("reason", "recipient", "occurrence")]
    sql = (
        f"INSERT INTO {quote(Notice._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({', '.join(quote(column) for column in key)}) DO NOTHING "
        f"RETURNING {quote(Notice._meta.pk.column)}"
    )
    return sql, fields


@contextlib.contextmanager
def batched():
    """Hand the notices queued inside this block to the workers together.

    Use it inside the transaction of a fan-out: when that commits, the
    notices go to the broker in tasks of BATCH_SIZE instead of one task each.
    """
    if _batch.get() is not None:  # already batching: the outer block hands them over
        yield
        return
    ids = []
    token = _batch.set(ids)
    try:
        yield
    finally:
        _batch.reset(token)
    if ids:
        transaction.on_commit(lambda: enqueue_many(ids))


def enqueue(notice_id):
    """Hand the notice to a worker. If the broker is down, the sweep sends it later."""
    enqueue_many([notice_id])


def enqueue_many(notice_ids):
    """Hand the notices to the workers, BATCH_SIZE to a task."""
    # By its registered name: the task module imports the sending side, which
    # queues through this one, so importing it here would make a circle.
    send_notices = celery_app.tasks["stepchange.send_notices"]
    for start in range(0, len(notice_ids), BATCH_SIZE):
        try:
            send_notices.delay(notice_ids=notice_ids[start : start + BATCH_SIZE])
        except Exception:  # the broker's own errors vary by transport
            logger.warning(
                "Broker unavailable; %s notices wait for the sweep", len(notice_ids) - start
            )
            return
