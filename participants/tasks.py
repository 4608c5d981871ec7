from celery import shared_task

from . import reminders
from .data_protection import retention


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


@shared_task(name="participants.apply_retention_policy")
def apply_retention_policy():
    """Anonymise or delete what has passed its retention period; safe to run twice.

    Returns the counts, which the service also logs."""
    return retention.apply_retention_policy()
