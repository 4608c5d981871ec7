"""The notices when an applicant withdraws: their own confirmation, and the
coordination office told when the one withdrawing was in a project team (the
team's co-chairs are told by team_member_withdrew, in applications.py), under
one reason. See __init__.py.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from stepchange.notices.registry import reason, register

from ..models import TeamMembership
from . import common

WITHDRAWAL = reason("withdrawal", "Withdrawal")


def _name(eoi):
    return eoi.full_name or eoi.applicant.full_name


@register(
    "participants/email/withdrawal_confirmation",
    reason=WITHDRAWAL,
    audience="To the applicant, when they withdraw their expression of interest.",
    placeholders={
        "name": "The applicant's name (may be empty).",
        "reference": "The expression of interest's reference.",
        "withdrawn_on": "The day they withdrew: {{ withdrawn_on|govuk_date }}.",
        "left_teams": (
            'The project teams they left, e.g. "CP1 as lead, SR1 as deliver" (empty when '
            "they were in none)."
        ),
        "contact_email": common.CONTACT_EMAIL,
        "site_url": common.SITE_URL,
    },
)
def withdrawal_confirmation(eoi, places, *, on):
    """`places` are the TeamMemberships the withdrawal ended (with their project)."""
    return {
        "name": _name(eoi),
        "reference": eoi.reference,
        "withdrawn_on": on,
        "left_teams": _places(places),
        "contact_email": eoi.call.contact_email,
        "site_url": settings.SITE_URL,
    }


@withdrawal_confirmation.preview
def preview_withdrawal_confirmation(eoi):
    return withdrawal_confirmation(eoi, _preview_places(eoi), on=timezone.localdate())


@register(
    "participants/email/member_withdrew_office",
    reason=WITHDRAWAL,
    audience=(
        "To the coordination office (the call's contact address), when a member of a "
        "project team withdraws their expression of interest."
    ),
    placeholders={
        "member": "Who withdrew: their name and organisation.",
        "reference": "Their expression of interest's reference.",
        "withdrawn_on": "The day they withdrew: {{ withdrawn_on|govuk_date }}.",
        "left_teams": 'The project teams they left, e.g. "CP1 as lead, SR1 as deliver".',
        "reason": "The reason they gave for withdrawing (may be empty).",
        "admin_url": "The address of their expression of interest in the admin.",
    },
)
def member_withdrew_office(eoi, places, *, on):
    member = ", ".join(part for part in [_name(eoi), eoi.organisation_name] if part)
    return {
        "member": member or "A member of a project team",
        "reference": eoi.reference,
        "withdrawn_on": on,
        "left_teams": _places(places),
        "reason": eoi.withdrawal_reason,
        "admin_url": settings.SITE_URL
        + reverse("admin:participants_expressionofinterest_change", args=[eoi.pk]),
    }


@member_withdrew_office.preview
def preview_member_withdrew_office(eoi):
    return member_withdrew_office(eoi, _preview_places(eoi), on=timezone.localdate())


def _places(places):
    return ", ".join(
        f"{place.project.code} as {place.get_role_display().lower()}" for place in places
    )


def _preview_places(eoi):
    """A place in the EOI's first-choice project (nothing saved)."""
    interest = eoi.project_interests.select_related("project").order_by("preference").first()
    if interest is None:
        return []
    return [TeamMembership(project=interest.project, member=eoi.applicant, role=interest.role)]
