"""Subject access (UK GDPR Article 15): everything the portal holds about a
person, for the "Your data" page and its JSON download."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Prefetch, Q
from django.utils import formats, timezone
from django.utils.text import capfirst

from projects.models import ProjectQuestion
from stepchange.models import Notice
from stepchange.notices import occurrences

from ..addresses import matching, verified_addresses
from ..models import (
    Amendment,
    ConflictOfInterest,
    ExpressionOfInterest,
    ProjectInterest,
    StatusChange,
    TeamMembership,
    ValidationCheck,
)


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
        ["email", "full_name", "organisation", "date_joined", "last_login", "is_active"],
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
    for question in questions_of(user, addresses).select_related("project"):
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
    for notice in notices_to(user, addresses).order_by("created_at"):
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


def notices_to(user, addresses):
    """Emails sent to an address `user` has verified, or sent for the account
    itself (a confirmation link to an address it added, by its id)."""
    return Notice.objects.filter(Q(recipient__in=addresses) | occurrences.for_account(user.pk))


def questions_of(user, addresses):
    """Questions asked signed in as `user`, or from one of its verified `addresses`."""
    return ProjectQuestion.objects.filter(Q(asked_by=user) | matching("email", addresses))
