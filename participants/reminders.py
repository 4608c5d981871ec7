"""Notices driven by dates: closing reminders, milestone reminders, "the call has closed".

Nothing waits in the broker: each run works out which reminder moment has
come for every open call and queues one notice per applicant for it, keyed by
the closing date, so a second run (or a second scheduler) finds the notices
that exist and a moved closing date makes new keys and cancels the old ones.
"""

import datetime
import functools

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from projects.models import Call, Milestone
from projects.services import LONDON
from stepchange.models import Notice
from stepchange.notices import occurrences
from stepchange.notices.outbox import batched, queue_notice
from workstreams.models import Workstream

from . import notices, preferences
from .models import ExpressionOfInterest, TeamMembership, User
from .summaries import closing_summary


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
@batched()
def queue_closing_reminders(now=None):
    """Queue "you have not sent your expression of interest" where it is due.

    For each open call, cancels pending reminders keyed by a closing date the
    call no longer has, then queues one notice per applicant with a draft for
    the reminder moment that has come. Returns the number of notices created.
    """
    now = now or timezone.now()
    created = 0
    for call in Call.objects.filter(opens__lte=now, closes__gte=now):
        Notice.objects.filter(
            occurrences.closing_date_moved(call.pk, call.closes),
            reason=notices.CLOSING_REMINDER,
            state=Notice.State.PENDING,
        ).update(state=Notice.State.CANCELLED)
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
                occurrences.closing_reminder(call.pk, call.closes, days),
                call,
                "closing_reminder",
                functools.partial(notices.closing_reminder, eoi, call=call, days=days),
            )
        # Stakeholders who asked for the programme's dates and have not started.
        opted_in = User.objects.filter(is_active=True, programme_reminders=True).exclude(
            expressions_of_interest__call=call
        )
        for user in opted_in:
            created += _queue_reminder(
                user,
                "programme",
                occurrences.closing_reminder(call.pk, call.closes, days, programme=True),
                call,
                "closing_reminder_programme",
                functools.partial(notices.closing_reminder_programme, call=call, days=days),
            )
    return created


def _queue_reminder(user, kind, occurrence, call, template, build):
    """Queue one reminder to a user, with its unsubscribe link and headers.

    `build(unsubscribe_url=...)` makes the notice's context.
    """
    _, made = queue_notice(
        key=f"participants/email/{template}",
        recipient=user.email,
        occurrence=occurrence,
        context=build(unsubscribe_url=preferences.unsubscribe_url(user, kind)),
        reply_to=call.contact_email,
        headers=preferences.reminder_headers(user, kind),
    )
    return made


# Milestone reminders.

REMINDER_HOUR = datetime.time(9, 0)
COORDINATION_OFFICE_GROUP = "Coordination office"


def _london_datetime(date, at):
    return datetime.datetime.combine(date, at, tzinfo=LONDON)


def milestone_due_offset(milestone, now):
    """The milestone's reminder whose moment (9am London, k days before) has come
    most recently, while the milestone's day has not passed; or None."""
    if now >= _london_datetime(milestone.date + datetime.timedelta(days=1), datetime.time.min):
        return None
    due = [
        days
        for days in milestone.reminder_offsets()
        if now >= _london_datetime(milestone.date - datetime.timedelta(days=days), REMINDER_HOUR)
    ]
    return min(due) if due else None


def audience_recipients(audience, call):
    """(email, user or None, unsubscribe kind or None) for each person of an audience.

    Co-chairs and the coordination office are reminded because of their role,
    so their reminders carry no unsubscribe link; stakeholders' reminders
    follow their choices and carry one.
    """
    Audience = Milestone.Audience
    sent = ExpressionOfInterest.SENT_STATUSES
    if audience == Audience.CO_CHAIRS:
        users = User.objects.filter(is_active=True).filter(
            Q(business_co_chair_of__isnull=False) | Q(police_co_chair_of__isnull=False)
        )
        return [(user.email, user, None) for user in users.distinct()]
    if audience == Audience.COORDINATION_OFFICE:
        users = User.objects.filter(is_active=True, groups__name=COORDINATION_OFFICE_GROUP)
        people = [(user.email, user, None) for user in users]
        return people + ([(call.contact_email, None, None)] if call else [])
    if audience == Audience.APPLICANTS:
        users = User.objects.filter(
            is_active=True,
            reminders_about_applications=True,
            expressions_of_interest__call=call,
            expressions_of_interest__status__in=sent,
        )
        return [(user.email, user, "applications") for user in users.distinct()]
    if audience == Audience.TEAM_MEMBERS:
        # Members of the teams of the call's projects (or of every project
        # when there is no call), placed there by applied decisions.
        members = TeamMembership.objects.all()
        if call:
            members = members.filter(project__calls=call)
        users = User.objects.filter(
            is_active=True,
            reminders_about_applications=True,
            pk__in=members.values("member"),
        )
        return [(user.email, user, "applications") for user in users]
    if audience == Audience.OPTED_IN:
        users = User.objects.filter(is_active=True, programme_reminders=True)
        return [(user.email, user, "programme") for user in users]
    return []


@transaction.atomic
@batched()
def queue_milestone_reminders(now=None):
    """Queue the milestone reminders that are due, once per person.

    Cancels pending reminders keyed by a date a milestone no longer has, then
    for each milestone whose reminder moment has come, queues one notice per
    person of its audiences. Returns the number of notices created.
    """
    now = now or timezone.now()
    call = Call.objects.current(now)
    created = 0
    upcoming = Milestone.objects.filter(date__gte=(now - datetime.timedelta(days=1)).date())
    for milestone in Milestone.objects.all():
        Notice.objects.filter(
            occurrences.milestone_date_moved(milestone.pk, milestone.date),
            reason=notices.MILESTONE_REMINDER,
            state=Notice.State.PENDING,
        ).update(state=Notice.State.CANCELLED)
    for milestone in upcoming:
        days = milestone_due_offset(milestone, now)
        if days is None:
            continue
        recipients = {}
        for audience in milestone.audiences or []:
            for email, user, kind in audience_recipients(audience, call):
                recipients.setdefault(email.lower(), (user, kind))
        for email, (user, kind) in recipients.items():
            unsubscribe_url, headers = "", {}
            if user is not None and kind is not None:
                unsubscribe_url = preferences.unsubscribe_url(user, kind)
                headers = preferences.reminder_headers(user, kind)
            context = notices.milestone_reminder(
                milestone, days=days, call=call, unsubscribe_url=unsubscribe_url
            )
            _, made = queue_notice(
                key="participants/email/milestone_reminder",
                recipient=email,
                occurrence=occurrences.milestone_reminder(milestone.pk, milestone.date, days),
                context=context,
                reply_to=call.contact_email if call else "",
                headers=headers,
            )
            created += made
    return created


# When a call closes.

CLOSED_NOTICE_WINDOW = datetime.timedelta(days=7)


@transaction.atomic
@batched()
def queue_closing_notices(now=None):
    """When a call has closed, tell everyone once.

    For each call that closed in the last week: "the call has closed" to every
    applicant with their status, a summary to the coordination office, and to
    each workstream's co-chairs a summary of their own workstream. Returns the
    number of notices created.
    """
    now = now or timezone.now()
    created = 0
    for call in Call.objects.filter(closes__lt=now, closes__gte=now - CLOSED_NOTICE_WINDOW):
        for eoi in call.expressions_of_interest.select_related("applicant").exclude(
            status=ExpressionOfInterest.Status.WITHDRAWN
        ):
            created += queue_notice(
                key="participants/email/call_closed",
                recipient=eoi.applicant.email,
                occurrence=occurrences.call_closed(call.pk, call.closes),
                context=notices.call_closed(eoi, call=call),
                reply_to=call.contact_email,
            )[1]
        office = [
            email
            for email, _, _ in audience_recipients(Milestone.Audience.COORDINATION_OFFICE, call)
        ]
        summary = closing_summary(call)
        for email in office:
            created += queue_notice(
                key="participants/email/closing_summary",
                recipient=email,
                occurrence=occurrences.closing_summary(call.pk, call.closes),
                context=notices.closing_summary(call, summary),
            )[1]
        for workstream in Workstream.objects.filter(projects__calls=call).distinct():
            summary = closing_summary(call, workstream)
            for co_chair in [workstream.business_co_chair, workstream.police_co_chair]:
                if co_chair is None or not co_chair.is_active:
                    continue
                created += queue_notice(
                    key="participants/email/closing_summary",
                    recipient=co_chair.email,
                    occurrence=occurrences.closing_summary(call.pk, call.closes, workstream.code),
                    context=notices.closing_summary(call, summary, workstream),
                    reply_to=call.contact_email,
                )[1]
    return created
