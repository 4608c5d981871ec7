"""The notices driven by dates: reminders before a call closes and before each
milestone, and when the call has closed, the notice to each applicant and the
summaries. See __init__.py.
"""

from django.conf import settings
from django.utils import timezone

from projects.models import Milestone
from stepchange.notices.registry import reason, register

from ..models import ExpressionOfInterest, ProjectInterest
from ..summaries import closing_summary as summarise
from . import common

MILESTONE_REMINDER = reason("milestone_reminder", "Milestone reminder")
CLOSING_REMINDER = reason("closing_reminder", "Closing-date reminder")
CALL_CLOSED = reason("call_closed", "Call closed")
CLOSING_SUMMARY = reason("closing_summary", "Closing summary")


@register(
    "participants/email/closing_reminder",
    reason=CLOSING_REMINDER,
    audience="To applicants with an unsent draft, on each reminder day before the call closes.",
    placeholders={
        "full_name": "The applicant's full name (may be empty).",
        "reference": "The draft's reference.",
        "closes": common.CLOSES,
        "days": common.DAYS,
        "application_url": common.APPLICATION_URL,
        "contact_email": common.CONTACT_EMAIL,
        "site_url": common.SITE_URL,
        "unsubscribe_url": common.UNSUBSCRIBE_URL,
    },
)
def closing_reminder(eoi, *, call, days, unsubscribe_url):
    return {
        "full_name": eoi.full_name,
        "reference": eoi.reference,
        "closes": call.closes,
        "days": days,
        "application_url": common.application_url(eoi),
        "contact_email": call.contact_email,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
    }


@closing_reminder.preview
def preview_closing_reminder(eoi):
    return closing_reminder(
        eoi,
        call=eoi.call,
        days=common.reminder_days(eoi.call),
        unsubscribe_url=common.preview_unsubscribe_url(),
    )


@register(
    "participants/email/closing_reminder_programme",
    reason=CLOSING_REMINDER,
    audience=(
        "To people who asked for the programme's dates, on each reminder day "
        "before the call closes."
    ),
    placeholders={
        "closes": common.CLOSES,
        "days": common.DAYS,
        "contact_email": common.CONTACT_EMAIL,
        "site_url": common.SITE_URL,
        "unsubscribe_url": common.UNSUBSCRIBE_URL,
    },
)
def closing_reminder_programme(*, call, days, unsubscribe_url):
    return {
        "closes": call.closes,
        "days": days,
        "contact_email": call.contact_email,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
    }


@closing_reminder_programme.preview
def preview_closing_reminder_programme(eoi):
    return closing_reminder_programme(
        call=eoi.call,
        days=common.reminder_days(eoi.call),
        unsubscribe_url=common.preview_unsubscribe_url(),
    )


@register(
    "participants/email/milestone_reminder",
    reason=MILESTONE_REMINDER,
    audience="To each milestone's audiences, on each of its reminder days.",
    placeholders={
        "milestone_title": "The milestone.",
        "milestone_date": 'Its date: {{ milestone_date|date:"l j F Y" }}.',
        "days": "How many days until it: a number (1 is tomorrow).",
        "contact_email": common.CONTACT_EMAIL + " Empty when no call is open.",
        "site_url": common.SITE_URL,
        "unsubscribe_url": common.UNSUBSCRIBE_URL,
    },
)
def milestone_reminder(milestone, *, days, call, unsubscribe_url=""):
    return {
        "milestone_title": milestone.title,
        "milestone_date": milestone.date,
        "days": days,
        "contact_email": call.contact_email if call else "",
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
    }


@milestone_reminder.preview
def preview_milestone_reminder(eoi):
    """The next milestone (or the last, if none is to come), as a 7-day reminder."""
    today = timezone.localdate()
    milestone = (
        Milestone.objects.filter(date__gte=today).order_by("date").first()
        or Milestone.objects.order_by("-date").first()
        or Milestone(date=today, title="A milestone of the programme")
    )
    return milestone_reminder(
        milestone, days=7, call=eoi.call, unsubscribe_url=common.preview_unsubscribe_url()
    )


@register(
    "participants/email/call_closed",
    reason=CALL_CLOSED,
    audience=(
        "To every applicant when the call closes, with the status of their expression of interest."
    ),
    placeholders={
        "full_name": "The applicant's full name (may be empty).",
        "reference": "Their expression of interest's reference.",
        "status": "Its status, e.g. Submitted.",
        "is_draft": "True when they never sent it: {% if is_draft %}…{% endif %}.",
        "closes": "When the call closed: {{ closes|govuk_datetime }}.",
        "application_url": common.APPLICATION_URL,
        "contact_email": common.CONTACT_EMAIL,
        "site_url": common.SITE_URL,
    },
)
def call_closed(eoi, *, call):
    return {
        "full_name": eoi.full_name,
        "reference": eoi.reference,
        "status": eoi.get_status_display(),
        "is_draft": eoi.status == ExpressionOfInterest.Status.DRAFT,
        "closes": call.closes,
        "application_url": common.application_url(eoi),
        "contact_email": call.contact_email,
        "site_url": settings.SITE_URL,
    }


@call_closed.preview
def preview_call_closed(eoi):
    return call_closed(eoi, call=eoi.call)


@register(
    "participants/email/closing_summary",
    reason=CLOSING_SUMMARY,
    audience=(
        "To the coordination office, and to each co-chair for their "
        "workstream, when the call closes."
    ),
    placeholders={
        "closes": "When the call closed: {{ closes|govuk_datetime }}.",
        "eoi_count": "How many expressions of interest were sent: a number.",
        "workstream": "The co-chair's workstream; empty in the office's summary of them all.",
        "rows": (
            "Each project: a list of rows with workstream, code, title, and the offers "
            "to lead, develop and deliver, and their total."
        ),
        "no_lead": "The codes of the projects nobody offered to lead: a list.",
        "site_url": common.SITE_URL,
    },
)
def closing_summary(call, summary, workstream=None):
    """`summary` is participants.summaries.closing_summary(call, workstream)."""
    return {
        "closes": call.closes,
        "eoi_count": summary["eoi_count"],
        "workstream": workstream.name if workstream else "",
        "rows": [
            {
                "workstream": row["project"].workstream.name,
                "code": row["project"].code,
                "title": row["project"].short_title,
                **{role: row["by_role"][role] for role in ProjectInterest.Role.values},
                "total": row["total"],
            }
            for row in summary["rows"]
        ],
        "no_lead": [project.code for project in summary["no_lead"]],
        "site_url": settings.SITE_URL,
    }


@closing_summary.preview
def preview_closing_summary(eoi):
    """The coordination office's summary of the EOI's call, as it stands now."""
    return closing_summary(eoi.call, summarise(eoi.call))
