from celery import shared_task

from . import reminders


@shared_task(name="participants.queue_closing_reminders")
def queue_closing_reminders():
    """Queue the closing-date reminders that are due; safe to run twice."""
    return reminders.queue_closing_reminders()
