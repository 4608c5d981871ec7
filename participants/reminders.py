"""Closing-date reminders, computed from the database each time beat runs.

Nothing waits in the broker: each run works out which reminder moment has
come for every open call and queues one notice per applicant for it, keyed by
the closing date, so a second run (or a second scheduler) finds the notices
that exist and a moved closing date makes new keys and cancels the old ones.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from projects.models import Call
from stepchange.models import Notice
from stepchange.outbox import queue_notice

from . import preferences
from .models import ExpressionOfInterest, User


def _closing_key(call):
    return f"call:{call.pk}:closes:{call.closes:%Y%m%dT%H%M%S}"


def due_offset(call, now):
    """The reminder (days before closing) whose moment has come most recently, or None."""
    if not call.is_open(now):
        return None
    due = [
        days
        for days in call.reminder_offsets()
        if now >= call.closes - datetime.timedelta(days=days)
    ]
    return min(due) if due else None


@transaction.atomic
def queue_closing_reminders(now=None):
    """Queue "you have not sent your expression of interest" where it is due.

    For each open call, cancels pending reminders keyed by a closing date the
    call no longer has, then queues one notice per applicant with a draft for
    the reminder moment that has come. Returns the number of notices created.
    """
    now = now or timezone.now()
    created = 0
    for call in Call.objects.filter(opens__lte=now, closes__gte=now):
        key = _closing_key(call)
        Notice.objects.filter(
            reason=Notice.Reason.CLOSING_REMINDER,
            occurrence__startswith=f"call:{call.pk}:closes:",
            state=Notice.State.PENDING,
        ).exclude(occurrence__startswith=f"{key}:").update(state=Notice.State.CANCELLED)
        days = due_offset(call, now)
        if days is None:
            continue
        drafts = ExpressionOfInterest.objects.filter(
            call=call,
            status=ExpressionOfInterest.Status.DRAFT,
            applicant__is_active=True,
            applicant__reminders_about_applications=True,
        ).select_related("applicant")
        for eoi in drafts:
            created += _queue_reminder(
                eoi.applicant,
                "applications",
                f"{key}:{days}d",
                "closing_reminder",
                {"eoi": eoi, "call": call, "days": days},
            )
        # Stakeholders who asked for the programme's dates and have not started.
        opted_in = User.objects.filter(is_active=True, programme_reminders=True).exclude(
            expressions_of_interest__call=call
        )
        for user in opted_in:
            created += _queue_reminder(
                user,
                "programme",
                f"{key}:{days}d:programme",
                "closing_reminder_programme",
                {"call": call, "days": days},
            )
    return created


def _queue_reminder(user, kind, occurrence, template, context):
    """Queue one reminder to a user, with its unsubscribe link and headers."""
    _, made = queue_notice(
        reason=Notice.Reason.CLOSING_REMINDER,
        recipient=user.email,
        occurrence=occurrence,
        template=f"participants/email/{template}",
        context={
            **context,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": preferences.unsubscribe_url(user, kind),
        },
        reply_to=context["call"].contact_email,
        headers=preferences.reminder_headers(user, kind),
    )
    return made
