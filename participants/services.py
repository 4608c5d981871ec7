"""Workflows of the expression of interest: starting, saving, sending, withdrawing."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from stepchange.notices import occurrences
from stepchange.notices.outbox import batched, queue_notice, rendered_at_send

from . import notices
from .answers import CallNotOpen, locked_for_change
from .models import (
    ExpressionOfInterest,
    ProjectInterest,
    TeamMembership,
    withheld_from,
)
from .referees import queue_referee_request
from .sections import SECTIONS, completed_sections

# How often an EOI may be sent in an hour (sending again after amending
# counts): from one network address, and one account. Generous for real use;
# they stop scripts. One address may be a whole office
# behind one gateway, so an address gets far more than an account. Kept in the
# shared cache (Redis in production), so they hold across web processes.
SUBMISSION_LIMITS = {
    "per_address": settings.EOI_SUBMISSIONS_PER_ADDRESS,
    "per_account": settings.EOI_SUBMISSIONS_PER_ACCOUNT,
    "window": datetime.timedelta(hours=1),
}


class NotReady(Exception):
    """Something the action needs is missing; the message says what."""


def start_or_continue(user, call):
    """The applicant's EOI for the call, created as a draft if they have none.

    Creates an ExpressionOfInterest when none exists; raises CallNotOpen when
    the call is not open and the applicant has nothing to continue.
    """
    existing = ExpressionOfInterest.objects.filter(applicant=user, call=call).first()
    if existing:
        return existing
    if not call.is_open():
        raise CallNotOpen
    eoi, _ = ExpressionOfInterest.objects.get_or_create(
        applicant=user,
        call=call,
        defaults={"full_name": user.full_name, "work_email": user.email},
    )
    return eoi


@transaction.atomic
def submit(eoi, request=None):
    """Send a complete draft to the coordination office.

    Marks the EOI submitted (refusing anything but a complete draft, from an
    applicant with a verified email, while the call is open) and queues two
    notices in the same transaction: the applicant's confirmation and the
    referee's request to confirm the applicant.
    """
    locked = locked_for_change(eoi, "applicant")
    completed = completed_sections(locked)
    missing = [section.title for section in SECTIONS if section.slug not in completed]
    if missing:
        raise NotReady(f"Complete these sections first: {', '.join(missing)}.")
    if not _email_verified(locked.applicant):
        raise NotReady(
            "Confirm your email address first: follow the link in the email we sent you."
        )
    locked.mark_submitted()
    queue_submission_notices(locked)
    return locked


def _email_verified(user):
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@transaction.atomic
def withdraw(eoi, reason=""):
    """Withdraw the EOI at any time, with an optional reason. Raises IllegalTransition.

    Marks the EOI withdrawn (with a StatusChange); ends the team places its
    acceptance gave, so that the person reads no more in-confidence notes
    (see end_team_places); and queues, once each: the applicant's
    confirmation, and when they were in a team, a notice to each co-chair of
    those places' workstreams and one to the coordination office.
    """
    locked = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("applicant", "call")
        .get(pk=eoi.pk)
    )
    locked.mark_withdrawn(reason=reason.strip())
    ended = end_team_places(locked, why=f"Withdrew {locked.reference}")
    with batched():
        queue_withdrawal_confirmation(locked, ended)
        queue_team_withdrawal_notices(locked, ended)
    return locked


def end_team_places(eoi, *, why):
    """Delete the team places `eoi` gave, returning them (unsaved, with project).

    Deleted, not flagged, so that every reader of a team (the team page, the
    in-confidence notes, the team members' reminders) loses them at once;
    simple-history records each deletion with the applicant as the one who
    made it, its time, and `why`.
    """
    places = list(
        TeamMembership.objects.filter(expression_of_interest=eoi)
        .select_related("project__workstream__business_co_chair")
        .select_related("project__workstream__police_co_chair")
        .order_by("project__code")
    )
    for place in places:
        place._history_user = eoi.applicant
        place._change_reason = why
        place.delete()
    return places


def queue_withdrawal_confirmation(eoi, places):
    """Confirm to the applicant, once, that they withdrew (and which teams they left)."""
    queue_notice(
        key="participants/email/withdrawal_confirmation",
        recipient=eoi.applicant.email,
        occurrence=occurrences.withdrawal(eoi.pk),
        context=notices.withdrawal_confirmation(
            eoi, places, on=timezone.localdate(eoi.withdrawn_at)
        ),
        reply_to=eoi.call.contact_email,
    )


def queue_team_withdrawal_notices(eoi, places):
    """Tell each active co-chair of the places' workstreams, once, that the member
    has left (a co-chair from whom the member is withheld is not told who), and
    the coordination office, at the call's contact address, once."""
    if places and eoi.call.contact_email:
        queue_notice(
            key="participants/email/member_withdrew_office",
            recipient=eoi.call.contact_email,
            occurrence=occurrences.member_withdrawal(eoi.pk),
            context=notices.member_withdrew_office(
                eoi, places, on=timezone.localdate(eoi.withdrawn_at)
            ),
        )
    by_co_chair = {}
    for place in places:
        workstream = place.project.workstream
        for co_chair in (workstream.business_co_chair, workstream.police_co_chair):
            if co_chair is not None and co_chair.is_active:
                by_co_chair.setdefault(co_chair, []).append(place)
    withdrawn_on = timezone.localdate(eoi.withdrawn_at)
    for co_chair, theirs in by_co_chair.items():
        withheld = ExpressionOfInterest.objects.filter(
            withheld_from(co_chair, "organisation_name"), pk=eoi.pk
        ).exists()
        queue_notice(
            key="participants/email/team_member_withdrew",
            recipient=co_chair.email,
            occurrence=occurrences.team_withdrawal(eoi.pk),
            context=notices.team_member_withdrew(eoi, theirs, withheld=withheld, on=withdrawn_on),
            reply_to=eoi.call.contact_email,
        )


# Emails go through the outbox, queued in the transaction of the change.


def queue_submission_notices(eoi):
    """Queue the applicant's confirmation and the referee's request for a sent EOI,
    rendered by the worker that sends them (outbox.rendered_at_send).

    `eoi` is the one submit() has just locked and changed, read with its call
    and applicant; its projects and conflicts, which the emails list, are
    fetched onto it here (two queries).
    """
    prefetch_related_objects(
        [eoi],
        Prefetch("project_interests", queryset=ProjectInterest.objects.select_related("project")),
        "conflicts__projects",
    )
    # Both emails to a worker in one task, which renders them: the applicant's
    # request answers without rendering two emails in text and HTML.
    with batched(), rendered_at_send():
        queue_notice(
            key="participants/email/confirmation",
            recipient=eoi.applicant.email,
            occurrence=occurrences.eoi(eoi.pk),
            context=notices.confirmation(eoi),
            reply_to=eoi.call.contact_email,
        )
        queue_referee_request(eoi)
