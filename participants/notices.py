"""The notices this app sends: what each one's wording may say, and the one
function that turns the model objects into it.

The callers that queue a notice (services, decisions, reminders) and the
admin's preview (notice_previews) both call these builders, so the preview
shows what is sent. Each returns plain values only (stepchange.
notice_templates.check_context): the wording, which the coordination office
may edit, must never reach a model object, from which it could walk to anyone's
secrets. Imported in the app's ready(), which registers them.
"""

from django.conf import settings
from django.urls import reverse

from stepchange.notice_templates import register

from .models import ExpressionOfInterest, ProjectInterest

SITE_URL = "The portal's address, without a slash at the end."
CONTACT_EMAIL = "The coordination office's contact address for the call."
CLOSES = "When the call closes, a date and time: {{ closes|govuk_datetime }}."
APPLICATION_URL = "The address of the applicant's expression of interest."
UNSUBSCRIBE_URL = "The address that stops reminders like this one (may be empty)."
DAYS = "How many days are left: a number."


def _application_url(eoi):
    return settings.SITE_URL + eoi.get_absolute_url()


@register(
    "participants/email/confirmation",
    "To the applicant, when they send an expression of interest: their reference and answers.",
    {
        "reference": "The expression of interest's reference.",
        "full_name": "The applicant's full name, as they gave it.",
        "job_title": "Their job title.",
        "work_phone": "Their work telephone.",
        "work_email": "Their work email address.",
        "organisation_name": "Their organisation.",
        "sector": "Their organisation's sector (what they wrote, if they chose Other).",
        "organisation_size": "Their organisation's size (may be empty).",
        "website": "Their organisation's website (may be empty).",
        "referee_name": "Their referee's name.",
        "referee_job_title": "Their referee's job title.",
        "referee_email": "Their referee's email address.",
        "hours_per_month": "The hours a month they offer: a number.",
        "projects": (
            "The projects they chose, in order of preference: a list of rows with "
            "preference, code, title, role and experience."
        ),
        "conflicts": (
            "The conflicts of interest they declared: a list of rows with nature, "
            "organisation and details."
        ),
        "application_url": APPLICATION_URL,
        "contact_email": CONTACT_EMAIL,
        "site_url": SITE_URL,
    },
)
def confirmation(eoi):
    """`eoi` with its call, project interests (and their projects) and conflicts loaded."""
    other = eoi.sector == ExpressionOfInterest.Sector.OTHER
    return {
        "reference": eoi.reference,
        "full_name": eoi.full_name,
        "job_title": eoi.job_title,
        "work_phone": eoi.work_phone,
        "work_email": eoi.work_email,
        "organisation_name": eoi.organisation_name,
        "sector": eoi.sector_other if other else eoi.get_sector_display(),
        "organisation_size": (eoi.get_organisation_size_display() if eoi.organisation_size else ""),
        "website": eoi.website,
        "referee_name": eoi.referee_name,
        "referee_job_title": eoi.referee_job_title,
        "referee_email": eoi.referee_email,
        "hours_per_month": eoi.hours_per_month,
        "projects": [
            {
                "preference": interest.preference,
                "code": interest.project.code,
                "title": interest.project.short_title,
                "role": interest.get_role_display(),
                "experience": interest.experience,
            }
            for interest in eoi.project_interests.all()
        ],
        "conflicts": [
            {
                "nature": conflict.get_nature_display(),
                "organisation": conflict.organisation,
                "details": conflict.details,
            }
            for conflict in eoi.conflicts.all()
        ],
        "application_url": _application_url(eoi),
        "contact_email": eoi.call.contact_email,
        "site_url": settings.SITE_URL,
    }


@register(
    "participants/email/referee_request",
    "To the applicant's referee, when the applicant sends an expression of interest.",
    {
        "full_name": "The applicant's full name.",
        "job_title": "The applicant's job title.",
        "organisation_name": "The applicant's organisation.",
        "referee_name": "The referee's name, as the applicant gave it.",
        "link": "The address at which the referee answers.",
        "days": "How many days the link works: a number.",
        "contact_email": CONTACT_EMAIL,
    },
)
def referee_request(eoi, *, link, days):
    return {
        "full_name": eoi.full_name,
        "job_title": eoi.job_title,
        "organisation_name": eoi.organisation_name,
        "referee_name": eoi.referee_name,
        "link": link,
        "days": days,
        "contact_email": eoi.call.contact_email,
    }


@register(
    "participants/email/closing_reminder",
    "To applicants with an unsent draft, on each reminder day before the call closes.",
    {
        "full_name": "The applicant's full name (may be empty).",
        "reference": "The draft's reference.",
        "closes": CLOSES,
        "days": DAYS,
        "application_url": APPLICATION_URL,
        "contact_email": CONTACT_EMAIL,
        "site_url": SITE_URL,
        "unsubscribe_url": UNSUBSCRIBE_URL,
    },
)
def closing_reminder(eoi, *, call, days, unsubscribe_url):
    return {
        "full_name": eoi.full_name,
        "reference": eoi.reference,
        "closes": call.closes,
        "days": days,
        "application_url": _application_url(eoi),
        "contact_email": call.contact_email,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
    }


@register(
    "participants/email/closing_reminder_programme",
    "To people who asked for the programme's dates, on each reminder day before the call closes.",
    {
        "closes": CLOSES,
        "days": DAYS,
        "contact_email": CONTACT_EMAIL,
        "site_url": SITE_URL,
        "unsubscribe_url": UNSUBSCRIBE_URL,
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


@register(
    "participants/email/milestone_reminder",
    "To each milestone's audiences, on each of its reminder days.",
    {
        "milestone_title": "The milestone.",
        "milestone_date": 'Its date: {{ milestone_date|date:"l j F Y" }}.',
        "days": "How many days until it: a number (1 is tomorrow).",
        "contact_email": CONTACT_EMAIL + " Empty when no call is open.",
        "site_url": SITE_URL,
        "unsubscribe_url": UNSUBSCRIBE_URL,
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


@register(
    "participants/email/call_closed",
    "To every applicant when the call closes, with the status of their expression of interest.",
    {
        "full_name": "The applicant's full name (may be empty).",
        "reference": "Their expression of interest's reference.",
        "status": "Its status, e.g. Submitted.",
        "is_draft": "True when they never sent it: {% if is_draft %}…{% endif %}.",
        "closes": "When the call closed: {{ closes|govuk_datetime }}.",
        "application_url": APPLICATION_URL,
        "contact_email": CONTACT_EMAIL,
        "site_url": SITE_URL,
    },
)
def call_closed(eoi, *, call):
    return {
        "full_name": eoi.full_name,
        "reference": eoi.reference,
        "status": eoi.get_status_display(),
        "is_draft": eoi.status == ExpressionOfInterest.Status.DRAFT,
        "closes": call.closes,
        "application_url": _application_url(eoi),
        "contact_email": call.contact_email,
        "site_url": settings.SITE_URL,
    }


@register(
    "participants/email/closing_summary",
    "To the coordination office, and to each co-chair for their workstream, when the call closes.",
    {
        "closes": "When the call closed: {{ closes|govuk_datetime }}.",
        "eoi_count": "How many expressions of interest were sent: a number.",
        "workstream": "The co-chair's workstream; empty in the office's summary of them all.",
        "rows": (
            "Each project: a list of rows with workstream, code, title, and the offers "
            "to lead, develop and deliver, and their total."
        ),
        "no_lead": "The codes of the projects nobody offered to lead: a list.",
        "site_url": SITE_URL,
    },
)
def closing_summary(call, summary, workstream=None):
    """`summary` is participants.reminders.closing_summary(call, workstream)."""
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


@register(
    "participants/email/decision",
    "To the applicant, when the office applies its decisions: the places offered and declined.",
    {
        "name": "The applicant's name.",
        "reference": "Their expression of interest's reference.",
        "accepted": (
            "The places offered: a list of rows with code, title, role and url "
            "(the project's page)."
        ),
        "declined": "The places not offered: a list of rows with code, title, role and url.",
        "application_url": APPLICATION_URL,
        "contact_email": CONTACT_EMAIL,
        "site_url": SITE_URL,
    },
)
def decision(eoi, *, accepted, declined):
    """`accepted` and `declined` are lists of (project, role) pairs, role a ProjectInterest.Role."""

    def place(project, role):
        return {
            "code": project.code,
            "title": project.short_title,
            "role": ProjectInterest.Role(role).label.lower(),
            "url": settings.SITE_URL + project.get_absolute_url(),
        }

    return {
        "name": eoi.full_name or eoi.applicant.full_name or "applicant",
        "reference": eoi.reference,
        "accepted": [place(*pair) for pair in accepted],
        "declined": [place(*pair) for pair in declined],
        "application_url": _application_url(eoi),
        "contact_email": eoi.call.contact_email,
        "site_url": settings.SITE_URL,
    }


@register(
    "participants/email/team_member_withdrew",
    "To each co-chair of a project whose team member withdraws: who left which places.",
    {
        "member": (
            "Who left: their name and organisation, or a phrase that names nobody when "
            "the co-chair declared an interest in their organisation."
        ),
        "withdrawn_on": "The day they withdrew: {{ withdrawn_on|govuk_date }}.",
        "places": 'The places they left: a list of texts such as "CP1, as lead".',
        "workspace_url": "The address of the co-chair's workspace.",
    },
)
def team_member_withdrew(eoi, places, *, withheld, on):
    """`places` are the TeamMemberships ended (with their project); `withheld` when the
    co-chair declared an interest in the member's organisation."""
    member = (
        "A member of the team from an organisation you declared an interest in"
        if withheld
        else ", ".join(
            part
            for part in [eoi.full_name or eoi.applicant.full_name, eoi.organisation_name]
            if part
        )
        or "A member of the team"
    )
    return {
        "member": member,
        "withdrawn_on": on,
        "places": [
            f"{place.project.code}, as {place.get_role_display().lower()}" for place in places
        ],
        "workspace_url": settings.SITE_URL + reverse("workspace:home"),
    }
