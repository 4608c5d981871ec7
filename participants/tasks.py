from celery import shared_task

from . import reminders


@shared_task(name="participants.queue_closing_reminders")
def queue_closing_reminders():
    """Queue the closing-date reminders that are due; safe to run twice."""
    return reminders.queue_closing_reminders()


@shared_task(name="participants.queue_milestone_reminders")
def queue_milestone_reminders():
    """Queue the milestone reminders that are due; safe to run twice."""
    return reminders.queue_milestone_reminders()


@shared_task(name="participants.queue_closing_notices")
def queue_closing_notices():
    """Queue "the call has closed" notices and summaries; safe to run twice."""
    return reminders.queue_closing_notices()
