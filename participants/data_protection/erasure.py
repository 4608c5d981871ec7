"""Erasure (UK GDPR Article 17): what the office must keep as the record of a
decision is anonymised, the rest deleted; retention anonymises the same way."""

import logging
import uuid

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from projects.models import ProjectQuestion
from stepchange.models import Notice
from stepchange.notices import occurrences

from ..addresses import verified_addresses
from ..admin_log import scrub_admin_log
from ..models import (
    Amendment,
    CoChairInterest,
    ConflictOfInterest,
    ExclusionOverride,
    ExpressionOfInterest,
    ProjectInterest,
    Recommendation,
    StatusChange,
    TeamMembership,
    User,
    ValidationCheck,
)
from .subject_access import notices_to, questions_of

logger = logging.getLogger(__name__)

ERASED = "Erased"
# Placeholder accounts hold the anonymised records of people who are gone;
# the .invalid top-level domain can never receive mail (RFC 2606).
PLACEHOLDER_DOMAIN = "erased.invalid"

Status = ExpressionOfInterest.Status

# What anonymisation writes over an EOI's answers: everything that names,
# reaches or describes the person. Kept: reference, call, status and dates,
# sector, organisation size, memberships, hours a month, the declarations and
# the privacy notice's version: the record of a decision and its figures.
EOI_ERASED_ANSWERS = {
    "full_name": ERASED,
    "job_title": "",
    "work_phone": "",
    "work_email": "",
    "organisation_name": ERASED,
    "sector_other": "",
    "website": "",
    "referee_name": "",
    "referee_job_title": "",
    "referee_email": "",
    "referee_phone": "",
    "referee_relationship": "",
    "vetting": "",
    "sia_licence_number": "",
    "withdrawal_reason": "",
}

# EOIs that stay as the record of a decision: ever sent to the office.
KEPT_FOR_THE_RECORD = Q(submitted_at__isnull=False) | Q(
    status__in=ExpressionOfInterest.DECIDED_OR_SENT_STATUSES
)


class ErasureRefused(Exception):
    """An account this service does not erase: the coordination office's own staff."""


def new_placeholder_account():
    """A new account that holds anonymised records: inactive, no password, no mail."""
    user = User(
        email=f"erased-{uuid.uuid4().hex}@{PLACEHOLDER_DOMAIN}",
        full_name="Erased applicant",
        is_active=False,
        reminders_about_applications=False,
        programme_reminders=False,
    )
    user.set_unusable_password()
    user.save()
    return user


def _delete_notices_about(eoi_ids):
    """Delete the outbox rows about these EOIs (confirmations, referee requests,
    decisions): their bodies repeat the answers. Returns how many."""
    deleted = 0
    for start in range(0, len(eoi_ids), 500):
        about = occurrences.about_eois(eoi_ids[start : start + 500])
        deleted += Notice.objects.filter(about).delete()[0]
    return deleted


def _purge_history(eoi_ids=(), membership_ids=(), member=None):
    """Delete django-simple-history's copies of these EOIs and the rows about them.

    The history keeps every earlier version of a row, so it holds what
    anonymisation or deletion removed; it goes too.
    """
    deleted = ExpressionOfInterest.history.filter(id__in=eoi_ids).delete()[0]
    conflicts = ConflictOfInterest.history.filter(expression_of_interest_id__in=eoi_ids)
    apps.get_model("participants", "HistoricalConflictOfInterest_excluded_from").objects.filter(
        history__in=conflicts
    ).delete()
    deleted += conflicts.delete()[0]
    for model in (ValidationCheck, Recommendation, ExclusionOverride):
        deleted += model.history.filter(expression_of_interest_id__in=eoi_ids).delete()[0]
    memberships = Q(id__in=membership_ids) | Q(expression_of_interest_id__in=eoi_ids)
    if member is not None:
        memberships |= Q(member_id=member.pk)
    deleted += TeamMembership.history.filter(memberships).delete()[0]
    return deleted


def anonymise_eoi(eoi, placeholder, *, person):
    """Anonymise one kept EOI and what hangs off it; move it and its team places
    to `placeholder`. Updates by query, so that no new history is written.
    The admin's log entries about them are scrubbed (participants.admin_log)."""
    ids = [eoi.pk]
    memberships = list(
        TeamMembership.objects.filter(expression_of_interest=eoi).values_list("pk", flat=True)
    )
    scrub_admin_log(ExpressionOfInterest, ids)
    scrub_admin_log(TeamMembership, memberships)
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(
        applicant=placeholder, **EOI_ERASED_ANSWERS
    )
    ProjectInterest.objects.filter(expression_of_interest=eoi).update(experience=ERASED)
    conflicts = ConflictOfInterest.objects.filter(expression_of_interest=eoi)
    conflicts.update(organisation=ERASED, details=ERASED)
    conflicts.exclude(mitigation="").update(mitigation=ERASED)
    Amendment.objects.filter(expression_of_interest=eoi).update(changes={})
    ValidationCheck.objects.filter(expression_of_interest=eoi).update(note="", referee_email="")
    # A co-chair's comment is about the person; their verdict stays.
    Recommendation.objects.filter(expression_of_interest=eoi).update(comment="")
    ExclusionOverride.objects.filter(expression_of_interest=eoi).update(reason=ERASED)
    StatusChange.objects.filter(expression_of_interest=eoi, changed_by=person).update(
        changed_by=None
    )
    TeamMembership.objects.filter(pk__in=memberships).update(member=placeholder)
    _delete_notices_about(ids)
    _purge_history(eoi_ids=ids, membership_ids=memberships)


def delete_eois(eois):
    """Delete EOIs with everything about them, their notices and their history,
    and scrub the admin's log entries about them."""
    ids = list(eois.values_list("pk", flat=True))
    if not ids:
        return 0
    scrub_admin_log(ExpressionOfInterest, ids)
    _delete_notices_about(ids)
    ExpressionOfInterest.objects.filter(pk__in=ids).delete()
    # Deleting wrote one more historical record each ("-"): purge after.
    _purge_history(eoi_ids=ids)
    return len(ids)


@transaction.atomic
def erase_account(user, at=None):
    """Erase `user`'s account and personal data (UK GDPR Article 17).

    Raises ErasureRefused for staff: the office's own accounts are managed
    in the admin. Otherwise, in one transaction:

    - EOIs ever sent to the office are kept as the record of a decision and
      anonymised: the answers in EOI_ERASED_ANSWERS, every project interest's
      experience, every conflict's organisation, details and mitigation,
      every exclusion override's reason, amendments' changes, validation
      notes (and the referee's address on a check) and co-chairs' comments
      are erased; status, dates, sector,
      projects and roles, decisions, status changes and verdicts stay. Those
      still in play (submitted, under review, shortlisted) are first
      withdrawn, by nobody. They move to a new placeholder account
      ("Erased applicant", inactive, no usable password,
      erased-<uuid>@erased.invalid), one per erasure;
    - their team places move to the placeholder, keeping project and role;
    - drafts (and EOIs withdrawn before they were sent) are deleted;
    - the simple-history records of all those rows are deleted;
    - outbox notices to any address they have verified, sent for the account
      (its confirmation links, by its id) or about any of their EOIs (referee
      requests included), whatever their state, are deleted;
    - questions they asked about projects (signed in, or from an address they
      have verified) are deleted, with the office's notices of them. Rows
      kept by an address they never verified are left alone: that address
      may be anybody's (participants.addresses);
    - as a co-chair: their declared interests are deleted with their
      history; their recommendations stay with no co-chair named, and any
      workstream they co-chair loses them (the FK is SET_NULL);
    - their sessions end; their email addresses, authenticators and the
      user row are deleted (the rows that name them as author in the
      office's records, such as status changes, keep nobody);
    - the admin's log entries about the account, the rows that belong to it
      (EOIs and what hangs off them, addresses, team places...), its
      questions and notices keep who changed what kind of row and when, but
      not the rows' text (participants.admin_log).

    Returns counts of what was anonymised and deleted.
    """
    now = at or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_staff or user.is_superuser:
        raise ErasureRefused("Staff accounts are erased by the coordination office in the admin.")
    addresses = verified_addresses(user)
    # Before anything moves: what belongs to the account is found through it.
    scrubbed = scrub_admin_log(User, [user.pk])
    eois = ExpressionOfInterest.objects.filter(applicant=user)
    kept = list(eois.filter(KEPT_FOR_THE_RECORD).select_for_update())
    all_ids = list(eois.values_list("pk", flat=True))

    for eoi in kept:
        if eoi.status in ExpressionOfInterest.SENT_STATUSES:
            StatusChange.objects.create(
                expression_of_interest=eoi,
                from_status=eoi.status,
                to_status=Status.WITHDRAWN,
                changed_by=None,
                changed_at=now,
            )
            ExpressionOfInterest.objects.filter(pk=eoi.pk).update(
                status=Status.WITHDRAWN, withdrawn_at=now
            )

    memberships = list(TeamMembership.objects.filter(member=user).values_list("pk", flat=True))
    placeholder = new_placeholder_account() if kept or memberships else None
    for eoi in kept:
        anonymise_eoi(eoi, placeholder, person=user)
    TeamMembership.objects.filter(pk__in=memberships).update(member=placeholder)

    counts = {
        "anonymised_eois": len(kept),
        "deleted_eois": delete_eois(eois.exclude(pk__in=[eoi.pk for eoi in kept])),
    }

    questions = questions_of(user, addresses)
    question_ids = list(questions.values_list("pk", flat=True))
    notices = notices_to(user, addresses) | Notice.objects.filter(
        occurrences.about_questions(question_ids)
    )
    scrubbed += scrub_admin_log(ProjectQuestion, question_ids)
    scrubbed += scrub_admin_log(Notice, list(notices.values_list("pk", flat=True)))
    counts["scrubbed_admin_log_entries"] = scrubbed
    counts["deleted_notices"] = notices.delete()[1].get(Notice._meta.label, 0)
    counts["deleted_questions"] = questions.delete()[1].get(ProjectQuestion._meta.label, 0)

    CoChairInterest.objects.filter(co_chair=user).delete()
    CoChairInterest.history.filter(co_chair_id=user.pk).delete()
    _purge_history(eoi_ids=all_ids, membership_ids=memberships, member=user)

    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        for session in UserSession.objects.filter(user=user):
            session.end()
    user.delete()
    logger.info("Account erased: %s", counts)
    return counts
