"""The notices about an expression of interest: the confirmation to its
applicant, the request to its referee, the office's decision, and the co-chairs
told that a team member left. See __init__.py.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from stepchange.notices.registry import reason, register

from ..models import ExpressionOfInterest, ProjectInterest, TeamMembership, ValidationCheck
from . import common

EOI_CONFIRMATION = reason("eoi_confirmation", "Expression of interest received")
REFEREE_REQUEST = reason("referee_request", "Referee request")
DECISION = reason("decision", "Decision")
TEAM_CHANGE = reason("team_change", "Team change")


@register(
    "participants/email/confirmation",
    reason=EOI_CONFIRMATION,
    audience=(
        "To the applicant, when they send an expression of interest: their reference and answers."
    ),
    placeholders={
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
        "application_url": common.APPLICATION_URL,
        "contact_email": common.CONTACT_EMAIL,
        "site_url": common.SITE_URL,
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
        "application_url": common.application_url(eoi),
        "contact_email": eoi.call.contact_email,
        "site_url": settings.SITE_URL,
    }


@confirmation.preview
def preview_confirmation(eoi):
    return confirmation(common.with_answers(eoi))


@register(
    "participants/email/referee_request",
    reason=REFEREE_REQUEST,
    audience="To the applicant's referee, when the applicant sends an expression of interest.",
    placeholders={
        "full_name": "The applicant's full name.",
        "job_title": "The applicant's job title.",
        "organisation_name": "The applicant's organisation.",
        "referee_name": "The referee's name, as the applicant gave it.",
        "link": "The address at which the referee answers.",
        "days": "How many days the link works: a number.",
        "contact_email": common.CONTACT_EMAIL,
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


@referee_request.preview
def preview_referee_request(eoi):
    link = settings.SITE_URL + reverse("referee:answer", kwargs={"token": common.PREVIEW_TOKEN})
    return referee_request(eoi, link=link, days=ValidationCheck.REFEREE_LINK_DAYS)


@register(
    "participants/email/decision",
    reason=DECISION,
    audience=(
        "To the applicant, each time the office applies decisions on their projects: "
        "the places offered and declined in it, and the projects not decided yet."
    ),
    placeholders={
        "name": "The applicant's name.",
        "reference": "Their expression of interest's reference.",
        "accepted": (
            "The places offered: a list of rows with code, title, role and url "
            "(the project's page)."
        ),
        "declined": "The places not offered: a list of rows with code, title, role and url.",
        "not_yet": (
            "The projects they offered that are not decided yet (may be empty): a list of "
            "rows with code, title, role and url."
        ),
        "application_url": common.APPLICATION_URL,
        "contact_email": common.CONTACT_EMAIL,
        "site_url": common.SITE_URL,
    },
)
def decision(eoi, *, accepted, declined, not_yet=()):
    """`accepted`, `declined` (decided in this application) and `not_yet` (still open)
    are lists of (project, role) pairs, role a ProjectInterest.Role."""

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
        "not_yet": [place(*pair) for pair in not_yet],
        "application_url": common.application_url(eoi),
        "contact_email": eoi.call.contact_email,
        "site_url": settings.SITE_URL,
    }


@decision.preview
def preview_decision(eoi):
    """A place in the EOI's first-choice project, the second declined, any others not
    decided yet (nothing saved)."""
    offers = [
        (interest.project, interest.role)
        for interest in eoi.project_interests.select_related("project").order_by("preference")
    ]
    return decision(eoi, accepted=offers[:1], declined=offers[1:2], not_yet=offers[2:])


@register(
    "participants/email/team_member_withdrew",
    reason=TEAM_CHANGE,
    audience="To each co-chair of a project whose team member withdraws: who left which places.",
    placeholders={
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


@team_member_withdrew.preview
def preview_team_member_withdrew(eoi):
    """The EOI's applicant leaving the team of their first-choice project (nothing saved)."""
    interest = (
        eoi.project_interests.select_related("project__workstream").order_by("preference").first()
    )
    places = (
        [TeamMembership(project=interest.project, member=eoi.applicant, role=interest.role)]
        if interest
        else []
    )
    return team_member_withdrew(eoi, places, withheld=False, on=timezone.localdate())
