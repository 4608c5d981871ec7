"""Data protection (UK GDPR): subject access, erasure, retention and the access log.

- `subject_access(user)`: everything the portal holds about a person, for the
  "Your data" page and its JSON download (Article 15).
- `erase_account(user)`: the right to erasure (Article 17): what the office
  must keep as the record of a decision is anonymised, the rest deleted.
- `apply_retention_policy()`: the RETENTION_* periods in settings, applied
  every night by beat (participants.apply_retention_policy).
- `record_access(request, what)` and `PersonalDataAccessMiddleware`: who
  viewed or exported applicants' personal data, and when.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import formats, timezone
from django.utils.text import capfirst

from projects.models import ProjectQuestion
from stepchange.models import Notice
from stepchange.notices import occurrences

from .addresses import matching, verified_addresses, verified_email_addresses
from .admin_log import scrub_admin_log
from .models import (
    Amendment,
    CoChairInterest,
    ConflictOfInterest,
    ExclusionOverride,
    ExportLog,
    ExpressionOfInterest,
    PersonalDataAccess,
    ProjectInterest,
    Recommendation,
    StatusChange,
    TeamMembership,
    User,
    ValidationCheck,
)

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


# Subject access


@dataclass
class Group:
    """A summary list on the "Your data" page: an optional heading and its rows."""

    heading: str = ""
    level: int = 3
    rows: list = field(default_factory=list)


@dataclass
class Section:
    title: str
    slug: str
    groups: list = field(default_factory=list)
    empty: str = ""


def _display(value):
    if value is None or value == "":
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "None"
    if isinstance(value, dict):
        # An amendment's changes: each answer, before and after.
        return "; ".join(f"{key}: {change}" for key, change in value.items()) or "None"
    return str(value)


def _record(obj, names, extra=None):
    """(data, rows): the named fields of `obj` as JSON values and as summary-list rows.

    Choices are stored values in the data and their labels in the rows;
    `extra` adds (key, label, value) triples after the fields.
    """
    data, rows = {}, []
    for name in names:
        model_field = obj._meta.get_field(name)
        value = getattr(obj, name)
        data[name] = value
        shown = getattr(obj, f"get_{name}_display")() if model_field.choices and value else value
        rows.append({"key": capfirst(model_field.verbose_name), "value": _display(shown)})
    for key, label, value in extra or ():
        data[key] = value
        rows.append({"key": label, "value": _display(value)})
    return data, rows


def _fields(model, leave_out=()):
    """The names of `model`'s own columns, except its id and `leave_out`."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.name != "id" and not f.is_relation and f.name not in leave_out
    ]


def _eois_of(user):
    return (
        ExpressionOfInterest.objects.filter(applicant=user)
        .select_related("call")
        .prefetch_related(
            Prefetch(
                "project_interests", queryset=ProjectInterest.objects.select_related("project")
            ),
            "conflicts__projects",
            "conflicts__excluded_from",
            "amendments",
            "status_changes",
            "decisions__project",
            "validation_checks",
        )
        .order_by("created_at")
    )


def subject_access(user):
    """Everything the portal holds about `user`, as (data, sections).

    `data` is a dict for the JSON download; `sections` the same, as the
    GOV.UK summary lists of the "Your data" page. Reads only; a fixed number
    of queries whatever the number of EOIs.
    """
    data, sections = {"generated_at": timezone.now()}, []
    # Data kept by address is yours only through an address you have verified.
    addresses = verified_addresses(user)

    account, rows = _record(
        user,
        ["email", "full_name", "date_joined", "last_login", "is_active"],
        extra=[("two_factor", "Two-factor sign-in", _has_two_factor(user))],
    )
    data["account"] = account
    sections.append(Section("Your account", "account", [Group(rows=rows)]))

    preferences, rows = _record(user, ["reminders_about_applications", "programme_reminders"])
    data["reminder_preferences"] = preferences
    sections.append(Section("Reminders", "reminders", [Group(rows=rows)]))

    from allauth.account.models import EmailAddress

    # Every address of the account, verified or not: the rows are the account's own.
    entries, groups = [], []
    for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email"):
        entry, rows = _record(address, ["email", "verified", "primary"])
        entries.append(entry)
        groups.append(Group(heading=address.email, rows=rows))
    data["email_addresses"] = entries
    sections.append(Section("Email addresses", "email-addresses", groups, "None."))

    data["sessions"], groups = _sessions(user)
    sections.append(Section("Where you are signed in", "sessions", groups, "None recorded."))

    data["expressions_of_interest"], groups = _expressions_of_interest(user)
    sections.append(Section("Expressions of interest", "expressions-of-interest", groups, "None."))

    memberships, groups = [], []
    for membership in TeamMembership.objects.filter(member=user).select_related(
        "project", "expression_of_interest"
    ):
        eoi = membership.expression_of_interest
        entry, rows = _record(
            membership,
            ["role", "added_at"],
            extra=[
                ("project", "Project", membership.project.code),
                ("expression_of_interest", "Expression of interest", eoi and eoi.reference),
            ],
        )
        memberships.append(entry)
        groups.append(Group(heading=f"Team of {membership.project.code}", rows=rows))
    data["team_memberships"] = memberships
    sections.append(Section("Project teams", "teams", groups, "None."))

    questions, groups = [], []
    for question in _questions_of(user, addresses).select_related("project"):
        entry, rows = _record(
            question,
            ["name", "email", "question", "asked_at", "answered"],
            extra=[("project", "Project", question.project.code)],
        )
        questions.append(entry)
        groups.append(Group(heading=f"About {question.project.code}", rows=rows))
    data["questions_asked"] = questions
    sections.append(Section("Questions you asked", "questions", groups, "None."))

    notices, groups = [], []
    for notice in _notices_to(user, addresses).order_by("created_at"):
        entry, rows = _record(
            notice, ["recipient", "reason", "subject", "state", "created_at", "sent_at"]
        )
        notices.append(entry)
        groups.append(Group(heading=notice.subject, rows=rows))
    data["emails_sent_to_you"] = notices
    sections.append(Section("Emails we sent you", "emails", groups, "None."))

    return data, sections


def _has_two_factor(user):
    if not apps.is_installed("allauth.mfa"):
        return False
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


def _sessions(user):
    if not apps.is_installed("allauth.usersessions"):
        return [], []
    from allauth.usersessions.models import UserSession

    entries, groups = [], []
    for session in UserSession.objects.filter(user=user).order_by("-last_seen_at"):
        entry = {
            "ip": session.ip,
            "user_agent": session.user_agent,
            "created_at": session.created_at,
            "last_seen_at": session.last_seen_at,
        }
        entries.append(entry)
        rows = [
            {"key": "IP address", "value": _display(session.ip)},
            {"key": "Browser", "value": _display(session.user_agent)},
            {"key": "Signed in", "value": _display(session.created_at)},
            {"key": "Last seen", "value": _display(session.last_seen_at)},
        ]
        groups.append(Group(rows=rows))
    return entries, groups


def _expressions_of_interest(user):
    entries, groups = [], []
    for eoi in _eois_of(user):
        entry, rows = _record(eoi, ["reference"], extra=[("call", "Call", eoi.call.title)])
        answers, answer_rows = _record(eoi, _fields(ExpressionOfInterest, leave_out={"reference"}))
        entry.update(answers)
        rows += answer_rows
        groups.append(Group(heading=f"{eoi.reference}: {eoi.call.title}", rows=rows))

        related = [
            ("project_interests", "Project", eoi.project_interests.all()),
            ("conflicts", "Conflict of interest", eoi.conflicts.all()),
            ("amendments", "Amendment", eoi.amendments.all()),
            ("status_changes", "Status change", eoi.status_changes.all()),
            ("decisions", "Decision", eoi.decisions.all()),
            ("validation_checks", "Validation check", eoi.validation_checks.all()),
        ]
        for key, label, objects in related:
            entry[key] = []
            for number, obj in enumerate(objects, start=1):
                item, rows = _related_record(obj)
                entry[key].append(item)
                groups.append(
                    Group(heading=f"{eoi.reference}: {label.lower()} {number}", level=4, rows=rows)
                )
        entries.append(entry)
    return entries, groups


def _related_record(obj):
    """One row related to an EOI, without who in the office recorded it."""
    if isinstance(obj, ProjectInterest):
        return _record(
            obj,
            ["role", "experience", "preference"],
            extra=[("project", "Project", obj.project.code)],
        )
    if isinstance(obj, ConflictOfInterest):
        return _record(
            obj,
            _fields(ConflictOfInterest),
            extra=[
                ("projects", "Projects it touches", [p.code for p in obj.projects.all()]),
                ("excluded_from", "Excluded from", [p.code for p in obj.excluded_from.all()]),
            ],
        )
    if isinstance(obj, ValidationCheck):
        # The office's note stays with the office; the check and its result are yours.
        return _record(obj, ["method", "result", "recorded_at"])
    if isinstance(obj, StatusChange):
        return _record(obj, ["from_status", "to_status", "changed_at"])
    if isinstance(obj, Amendment):
        return _record(obj, ["section", "changes", "changed_at"])
    # A decision
    return _record(
        obj,
        ["outcome", "role", "staged_at", "applied_at"],
        extra=[("project", "Project", obj.project.code)],
    )


def _notices_to(user, addresses):
    """Emails sent to an address `user` has verified, or sent for the account
    itself (a confirmation link to an address it added, by its id)."""
    return Notice.objects.filter(Q(recipient__in=addresses) | occurrences.for_account(user.pk))


def _questions_of(user, addresses):
    """Questions asked signed in as `user`, or from one of its verified `addresses`."""
    return ProjectQuestion.objects.filter(Q(asked_by=user) | matching("email", addresses))


# Erasure and anonymisation


def _placeholder():
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


def _anonymise(eoi, placeholder, *, person):
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
    ValidationCheck.objects.filter(expression_of_interest=eoi).update(note="")
    # A co-chair's comment is about the person; their verdict stays.
    Recommendation.objects.filter(expression_of_interest=eoi).update(comment="")
    ExclusionOverride.objects.filter(expression_of_interest=eoi).update(reason=ERASED)
    StatusChange.objects.filter(expression_of_interest=eoi, changed_by=person).update(
        changed_by=None
    )
    TeamMembership.objects.filter(pk__in=memberships).update(member=placeholder)
    _delete_notices_about(ids)
    _purge_history(eoi_ids=ids, membership_ids=memberships)


def _delete_eois(eois):
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
      notes and co-chairs' comments are erased; status, dates, sector,
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
    placeholder = _placeholder() if kept or memberships else None
    for eoi in kept:
        _anonymise(eoi, placeholder, person=user)
    TeamMembership.objects.filter(pk__in=memberships).update(member=placeholder)

    counts = {
        "anonymised_eois": len(kept),
        "deleted_eois": _delete_eois(eois.exclude(pk__in=[eoi.pk for eoi in kept])),
    }

    questions = _questions_of(user, addresses)
    question_ids = list(questions.values_list("pk", flat=True))
    notices = _notices_to(user, addresses) | Notice.objects.filter(
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


# Retention


def retention_periods():
    """The periods of settings' RETENTION_*, for the privacy notice and the task."""
    return {
        "declined_withdrawn_months": settings.RETENTION_DECLINED_WITHDRAWN_MONTHS,
        "unverified_account_days": settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS,
        "notice_months": settings.RETENTION_NOTICE_MONTHS,
        "project_question_months": settings.RETENTION_PROJECT_QUESTION_MONTHS,
        "access_log_months": settings.RETENTION_ACCESS_LOG_MONTHS,
        "export_log_months": settings.RETENTION_EXPORT_LOG_MONTHS,
    }


def _not_placeholder():
    return ~Q(applicant__email__iendswith=f"@{PLACEHOLDER_DOMAIN}")


def apply_retention_policy(now=None):
    """Apply the retention periods in settings; safe to run twice. Returns counts.

    - Declined EOIs, and EOIs withdrawn after they were sent, of calls that
      closed RETENTION_DECLINED_WITHDRAWN_MONTHS ago or more: anonymised as
      erase_account anonymises (each moved to a placeholder account of its own).
    - Drafts, and EOIs withdrawn before they were sent, of those calls:
      deleted with their history and notices.
    - Accounts that joined RETENTION_UNVERIFIED_ACCOUNT_DAYS ago or more,
      never verified an address and never sent an EOI: erased as
      erase_account erases them. Never staff, members of a group, co-chairs
      or team members.
    - Outbox notices sent, cancelled or failed, queued
      RETENTION_NOTICE_MONTHS ago or more: deleted.
    - Questions about projects asked RETENTION_PROJECT_QUESTION_MONTHS ago
      or more: deleted.
    - Rows of the personal data access log RETENTION_ACCESS_LOG_MONTHS old
      or more, and of the export log RETENTION_EXPORT_LOG_MONTHS old or
      more: deleted.
    """
    now = now or timezone.now()
    counts = {}
    closed_before = now - relativedelta(months=settings.RETENTION_DECLINED_WITHDRAWN_MONTHS)
    of_old_calls = ExpressionOfInterest.objects.filter(call__closes__lte=closed_before)

    with transaction.atomic():
        decided = (
            of_old_calls.filter(_not_placeholder())
            .filter(
                Q(status=Status.DECLINED) | Q(status=Status.WITHDRAWN, submitted_at__isnull=False)
            )
            .select_related("applicant")
            .select_for_update(of=("self",))
        )
        anonymised = 0
        for eoi in decided:
            _anonymise(eoi, _placeholder(), person=eoi.applicant)
            anonymised += 1
        counts["anonymised_eois"] = anonymised
        counts["deleted_eois"] = _delete_eois(
            of_old_calls.filter(
                Q(status=Status.DRAFT) | Q(status=Status.WITHDRAWN, submitted_at__isnull=True)
            )
        )

    joined_before = now - datetime.timedelta(days=settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS)
    unverified = (
        User.objects.filter(date_joined__lte=joined_before, is_staff=False, is_superuser=False)
        .exclude(email__iendswith=f"@{PLACEHOLDER_DOMAIN}")
        .exclude(pk__in=verified_email_addresses().values("user"))
        .exclude(expressions_of_interest__submitted_at__isnull=False)
        .exclude(expressions_of_interest__status__in=ExpressionOfInterest.DECIDED_OR_SENT_STATUSES)
        .exclude(business_co_chair_of__isnull=False)
        .exclude(police_co_chair_of__isnull=False)
        .exclude(team_memberships__isnull=False)
        .exclude(groups__isnull=False)
    )
    erased = 0
    for user in unverified.distinct():
        erase_account(user, at=now)
        erased += 1
    counts["erased_unverified_accounts"] = erased

    with transaction.atomic():
        notices_before = now - relativedelta(months=settings.RETENTION_NOTICE_MONTHS)
        counts["deleted_notices"] = Notice.objects.filter(
            state__in=[Notice.State.SENT, Notice.State.CANCELLED, Notice.State.FAILED],
            created_at__lte=notices_before,
        ).delete()[0]
        asked_before = now - relativedelta(months=settings.RETENTION_PROJECT_QUESTION_MONTHS)
        counts["deleted_questions"] = ProjectQuestion.objects.filter(
            asked_at__lte=asked_before
        ).delete()[0]
        logged_before = now - relativedelta(months=settings.RETENTION_ACCESS_LOG_MONTHS)
        counts["deleted_access_log_rows"] = PersonalDataAccess.objects.filter(
            accessed_at__lte=logged_before
        ).delete()[0]
        exported_before = now - relativedelta(months=settings.RETENTION_EXPORT_LOG_MONTHS)
        counts["deleted_export_log_rows"] = ExportLog.objects.filter(
            exported_at__lte=exported_before
        ).delete()[0]

    logger.info("Retention policy applied: %s", counts)
    return counts


# Access log


def record_access(request, what):
    """Log that the signed-in user saw or exported applicants' personal data.

    `what` describes it without the data ("EOI SC-XXXXX-XXXXX viewed in the
    admin"); the path is kept without its query string, which may hold a
    search for a name.
    """
    user = request.user if request.user.is_authenticated else None
    return PersonalDataAccess.objects.create(user=user, what=what[:300], path=request.path[:500])


def _eoi_in_admin(request, kwargs):
    try:
        reference = (
            ExpressionOfInterest.objects.filter(pk=unquote(kwargs["object_id"]))
            .values_list("reference", flat=True)
            .first()
        )
    except (ValueError, ValidationError):
        reference = None
    return reference or f"#{kwargs['object_id']}"


def _admin_list(request, kwargs):
    filters = sorted({name for name in request.GET if name not in {"p", "o", "all"}})
    return "EOI list viewed in the admin" + (f" (by {', '.join(filters)})" if filters else "")


def _code(kwargs):
    return kwargs["code"].upper()


# resolver view name -> what a successful response showed.
LOGGED_VIEWS = {
    "admin:participants_expressionofinterest_changelist": _admin_list,
    "admin:participants_expressionofinterest_change": lambda request, kwargs: (
        f"EOI {_eoi_in_admin(request, kwargs)} viewed in the admin"
    ),
    "admin:participants_expressionofinterest_history": lambda request, kwargs: (
        f"History of EOI {_eoi_in_admin(request, kwargs)} viewed in the admin"
    ),
    "admin:participants_expressionofinterest_export": lambda request, kwargs: (
        f"EOI list exported from the admin ({kwargs['file_format'].upper()})"
    ),
    "workspace:applicants": lambda request, kwargs: (
        f"Applicants of {_code(kwargs)} viewed in the co-chair workspace"
    ),
    "workspace:applicant": lambda request, kwargs: (
        f"EOI {kwargs['reference'].upper()} viewed in the co-chair workspace "
        f"(applicant of {_code(kwargs)})"
    ),
    "workspace:applicants_csv": lambda request, kwargs: (
        f"Applicants of {_code(kwargs)} exported (CSV)"
    ),
}


class PersonalDataAccessMiddleware:
    """Record every successful view or export of applicants' personal data.

    One row per request (a list of 50 EOIs is one row), for the views in
    LOGGED_VIEWS; failed, refused and redirected requests showed nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        describe = LOGGED_VIEWS.get(match.view_name) if match else None
        user = getattr(request, "user", None)
        if describe and response.status_code == 200 and user and user.is_authenticated:
            record_access(request, describe(request, match.kwargs))
        return response
