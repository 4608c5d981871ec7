"""Workflows of the expression of interest: starting, saving, sending, withdrawing."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from stepchange.notices import occurrences
from stepchange.notices.outbox import batched, queue_notice

from . import notices
from .models import (
    Amendment,
    ExpressionOfInterest,
    IllegalTransition,
    ProjectInterest,
    TeamMembership,
    ValidationCheck,
    withheld_from,
)
from .sections import SECTIONS, completed_sections

REFEREE_SALT = "participants.referee"
REFEREE_LINK_DAYS = 30
# How often an EOI may be sent (sending again after amending counts), and a
# referee link opened, in an hour: from one network address, and one account.
# Generous for real use; they stop scripts. One address may be a whole office
# behind one gateway, so an address gets far more than an account. Kept in the
# shared cache (Redis in production), so they hold across web processes.
SUBMISSION_LIMITS = {
    "per_address": settings.EOI_SUBMISSIONS_PER_ADDRESS,
    "per_account": settings.EOI_SUBMISSIONS_PER_ACCOUNT,
    "window": datetime.timedelta(hours=1),
}
REFEREE_LINK_LIMITS = {
    "per_address": 300,
    "per_account": 60,
    "window": datetime.timedelta(hours=1),
}


class CallNotOpen(Exception):
    """The call is not accepting new drafts, submissions or changes now."""


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


def _locked(eoi, *related):
    """The EOI re-read under a row lock, refusing changes the call no longer allows.

    Only the EOI's row is locked (`of`): a plain FOR UPDATE would lock the
    joined call's row too, so that every applicant's change and submission
    waited for every other's to commit.
    """
    locked = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("call", *related)
        .get(pk=eoi.pk)
    )
    if not locked.can_be_changed():
        raise CallNotOpen
    return locked


def _record_amendment(eoi, section, before, after):
    """Keep what changed in an EOI that the coordination office already has."""
    if not eoi.is_sent:
        return
    changes = {
        key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)
    }
    if changes:
        Amendment.objects.create(expression_of_interest=eoi, section=section, changes=changes)


def _field_values(eoi, names):
    return {name: _plain(getattr(eoi, name)) for name in names}


def _plain(value):
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)


@transaction.atomic
def save_section(eoi, form, section_slug):
    """Save one question page's answers; on a sent EOI, record the amendment.

    Changes the EOI's fields from the form, and creates an Amendment when the
    EOI has been sent. Raises CallNotOpen after the closing date.
    """
    locked = _locked(eoi)
    names = list(form.Meta.fields)
    extra = ["ieg_member", "cssc_member", "privacy_notice_version"]
    names += [name for name in extra if hasattr(locked, name)]
    before = _field_values(locked, names)
    form.instance = locked
    for name, value in form.cleaned_data.items():
        if name in names:
            setattr(locked, name, value)
    form.save()
    _record_amendment(locked, section_slug, before, _field_values(locked, names))
    return locked


def _interests_snapshot(eoi):
    return {
        interest.project.code: (
            f"{interest.get_role_display()}, preference {interest.preference}: "
            f"{interest.experience}"
        )
        for interest in eoi.project_interests.select_related("project")
    }


@transaction.atomic
def save_projects(eoi, form):
    """Replace the EOI's project interests and hours with the form's.

    Deletes interests no longer chosen (and their mention in conflict
    declarations), updates or creates the rest; records an Amendment on a
    sent EOI. Raises CallNotOpen after the closing date.
    """
    locked = _locked(eoi)
    before = {**_interests_snapshot(locked), "hours a month": locked.hours_per_month}
    chosen = form.interests()
    chosen_ids = [row["project"].pk for row in chosen]
    locked.project_interests.exclude(project_id__in=chosen_ids).delete()
    for conflict in locked.conflicts.all():
        conflict.projects.remove(*conflict.projects.exclude(pk__in=chosen_ids))
    for row in chosen:
        ProjectInterest.objects.update_or_create(
            expression_of_interest=locked,
            project=row["project"],
            defaults={
                "role": row["role"],
                "experience": row["experience"],
                "preference": row["preference"],
            },
        )
    locked.hours_per_month = form.cleaned_data["hours_per_month"]
    locked.save(update_fields=["hours_per_month", "updated_at"])
    after = {**_interests_snapshot(locked), "hours a month": locked.hours_per_month}
    _record_amendment(locked, "projects", before, after)
    return locked


def _conflicts_snapshot(eoi):
    return {
        f"declaration {conflict.pk}": (
            f"{conflict.get_nature_display()}, {conflict.organisation}: {conflict.details}"
        )
        for conflict in eoi.conflicts.all()
    }


@transaction.atomic
def answer_conflicts_question(eoi, has_conflicts):
    """Record "none to declare" (removing any declarations) or "yes, some"."""
    locked = _locked(eoi)
    before = {"none to declare": locked.no_conflicts, **_conflicts_snapshot(locked)}
    locked.no_conflicts = not has_conflicts
    if locked.no_conflicts:
        locked.conflicts.all().delete()
    locked.save(update_fields=["no_conflicts", "updated_at"])
    _record_amendment(
        locked,
        "conflicts",
        before,
        {"none to declare": locked.no_conflicts, **_conflicts_snapshot(locked)},
    )
    return locked


@transaction.atomic
def add_conflict(eoi, form):
    """Create a conflict-of-interest declaration from the form; record it on a sent EOI."""
    locked = _locked(eoi)
    before = _conflicts_snapshot(locked)
    conflict = form.save(commit=False)
    conflict.expression_of_interest = locked
    conflict.save()
    form.save_m2m()
    if locked.no_conflicts is not False:
        locked.no_conflicts = False
        locked.save(update_fields=["no_conflicts", "updated_at"])
    _record_amendment(locked, "conflicts", before, _conflicts_snapshot(locked))
    return conflict


@transaction.atomic
def remove_conflict(eoi, conflict_id):
    """Delete one of the EOI's declarations; record it on a sent EOI."""
    locked = _locked(eoi)
    before = _conflicts_snapshot(locked)
    locked.conflicts.filter(pk=conflict_id).delete()
    _record_amendment(locked, "conflicts", before, _conflicts_snapshot(locked))


@transaction.atomic
def submit(eoi, request=None):
    """Send a complete draft to the coordination office.

    Marks the EOI submitted (refusing anything but a complete draft, from an
    applicant with a verified email, while the call is open) and queues two
    notices in the same transaction: the applicant's confirmation and the
    referee's request to confirm the applicant.
    """
    locked = _locked(eoi, "applicant")
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
    (see end_team_places); and queues, once, a notice to each co-chair of
    those places' workstreams.
    """
    locked = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("applicant", "call")
        .get(pk=eoi.pk)
    )
    locked.mark_withdrawn(reason=reason.strip())
    ended = end_team_places(locked, why=f"Withdrew {locked.reference}")
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


def queue_team_withdrawal_notices(eoi, places):
    """Tell each active co-chair of the places' workstreams, once, that the member
    has left; a co-chair from whom the member is withheld is not told who."""
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
    """Queue the applicant's confirmation and the referee's request for a sent EOI.

    `eoi` is the one submit() has just locked and changed, read with its call
    and applicant; its projects and conflicts, which the emails list, are
    fetched onto it here (two queries).
    """
    prefetch_related_objects(
        [eoi],
        Prefetch("project_interests", queryset=ProjectInterest.objects.select_related("project")),
        "conflicts__projects",
    )
    with batched():  # both emails to a worker in one task
        queue_notice(
            key="participants/email/confirmation",
            recipient=eoi.applicant.email,
            occurrence=occurrences.eoi(eoi.pk),
            context=notices.confirmation(eoi),
            reply_to=eoi.call.contact_email,
        )
        queue_referee_request(eoi)


def referee_link(eoi):
    token = signing.TimestampSigner(salt=REFEREE_SALT).sign_object(
        {"eoi": eoi.pk, "referee": eoi.referee_email.lower()}
    )
    return settings.SITE_URL + reverse("referee:answer", kwargs={"token": token})


def queue_referee_request(eoi, again=False):
    """Queue the email that asks the referee to confirm the applicant.

    One per referee address; `again` makes a new one (a repeated request).
    """
    return queue_notice(
        key="participants/email/referee_request",
        recipient=eoi.referee_email,
        occurrence=occurrences.referee_request(
            eoi.pk, eoi.referee_email, asked_again_at=timezone.now() if again else None
        ),
        context=notices.referee_request(eoi, link=referee_link(eoi), days=REFEREE_LINK_DAYS),
        reply_to=eoi.call.contact_email,
    )


class InvalidRefereeLink(Exception):
    def __init__(self, expired=False):
        self.expired = expired


def eoi_for_referee_token(token):
    """The EOI a referee link is for; raises InvalidRefereeLink if forged, stale or expired."""
    try:
        data = signing.TimestampSigner(salt=REFEREE_SALT).unsign_object(
            token, max_age=REFEREE_LINK_DAYS * 24 * 3600
        )
    except signing.SignatureExpired:
        raise InvalidRefereeLink(expired=True) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidRefereeLink from None
    eoi = ExpressionOfInterest.objects.filter(pk=data.get("eoi")).first()
    # A link stops working when the applicant names someone else.
    if eoi is None or eoi.referee_email.lower() != data.get("referee"):
        raise InvalidRefereeLink
    return eoi


def referee_has_answered(eoi):
    return eoi.validation_checks.filter(
        method=ValidationCheck.Method.REFEREE_CONFIRMED,
        note__startswith=f"Referee {eoi.referee_email.lower()} ",
    ).exists()


class RefereeIsApplicant(Exception):
    """The one answering a referee request is the applicant."""

    def __init__(self, signed_in_as_applicant=False):
        self.signed_in_as_applicant = signed_in_as_applicant


def check_referee_is_not_applicant(eoi, user):
    """Raise RefereeIsApplicant when `user`, who opened the referee's link, is the
    applicant, or when the referee's address is one of the applicant's own."""
    if user.is_authenticated and user.pk == eoi.applicant_id:
        raise RefereeIsApplicant(signed_in_as_applicant=True)
    if eoi.referee_is_applicant():
        raise RefereeIsApplicant


@transaction.atomic
def record_referee_answer(eoi, confirmed, comment="", *, user):
    """Record the referee's answer as a validation check, once per referee.

    Raises RefereeIsApplicant when `user` (the one answering, perhaps
    anonymous) is the applicant or the referee's address is the applicant's,
    and IllegalTransition when the referee has answered already.
    """
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)
    check_referee_is_not_applicant(locked, user)
    if referee_has_answered(locked):
        raise IllegalTransition("This referee has already answered.")
    verdict = "confirmed" if confirmed else "did not confirm"
    note = (
        f"Referee {locked.referee_email.lower()} {verdict} the applicant's identity and employer."
    )
    if comment.strip():
        note += f" Comment: {comment.strip()}"
    return ValidationCheck.objects.create(
        expression_of_interest=locked,
        method=ValidationCheck.Method.REFEREE_CONFIRMED,
        result=ValidationCheck.Result.PASSED if confirmed else ValidationCheck.Result.FAILED,
        note=note,
        recorded_at=timezone.now(),
    )
