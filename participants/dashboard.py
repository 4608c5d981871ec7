"""The programme dashboard's figures, for one call.

Every figure comes from one aggregate query (`values(...).annotate(Count(...))`),
so the dashboard costs the same number of queries whatever the number of
expressions of interest. Only sent or decided EOIs are counted, except by
status, which shows every status including drafts and withdrawals.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import ExpressionOfInterest, ProjectInterest, ValidationStatus

LONDON = ZoneInfo("Europe/London")

EOI = ExpressionOfInterest
ROLES = list(ProjectInterest.Role)
# The three sectors whose balance the programme is built on.
TRIPARTITE = [EOI.Sector.POLICING, EOI.Sector.GOVERNMENT, EOI.Sector.PRIVATE]
NO_LEAD = "No offer to lead"


@dataclass(frozen=True)
class Row:
    """One line of a chart and of its table: a label, a count per series, and
    the share of the whole where a percentage means something."""

    key: object
    label: str
    values: tuple[int, ...]
    share: int | None = None
    note: str = ""
    detail: str = ""

    @property
    def total(self):
        return sum(self.values)


def percent(part, whole):
    """`part` as a whole-number percentage of `whole`; 0 of nothing is 0%."""
    return round(100 * part / whole) if whole else 0


def sent_eois(call):
    """The call's EOIs that count: sent or decided, never drafts or withdrawn."""
    return EOI.objects.filter(call=call, status__in=EOI.DECIDED_OR_SENT_STATUSES).order_by()


def sent_interests(call):
    return ProjectInterest.objects.filter(
        expression_of_interest__call=call,
        expression_of_interest__status__in=EOI.DECIDED_OR_SENT_STATUSES,
    ).order_by()


def call_projects(call):
    """The call's projects with their workstreams, in the programme's order (one query)."""
    return list(call.projects.select_related("workstream"))


def _workstreams(projects):
    """The workstreams of `projects`, each once, in the programme's order."""
    seen = {project.workstream_id: project.workstream for project in projects}
    return sorted(seen.values(), key=lambda workstream: (workstream.order, workstream.code))


def roles_by_workstream(call, projects):
    """How many EOIs offer each role in each workstream's projects.

    An EOI offering to lead two projects of one workstream counts once there.
    """
    counts = {
        (row["project__workstream"], row["role"]): row["eois"]
        for row in sent_interests(call)
        .values("project__workstream", "role")
        .annotate(eois=Count("expression_of_interest", distinct=True))
    }
    return [
        Row(
            key=workstream,
            label=workstream.name,
            values=tuple(counts.get((workstream.pk, role), 0) for role in ROLES),
        )
        for workstream in _workstreams(projects)
    ]


def roles_by_project(call, projects):
    """How many EOIs offer each role in each of the call's projects, every project
    listed; a project nobody offers to lead is noted so."""
    counts = {
        (row["project"], row["role"]): row["eois"]
        for row in sent_interests(call).values("project", "role").annotate(eois=Count("pk"))
    }
    rows = []
    for project in projects:
        values = tuple(counts.get((project.pk, role), 0) for role in ROLES)
        rows.append(
            Row(
                key=project,
                label=project.code,
                values=values,
                note="" if values[ROLES.index(ProjectInterest.Role.LEAD)] else NO_LEAD,
                detail=project.short_title,
            )
        )
    return rows


def _rows(choices, counts):
    """A row for each (value, label) of `choices`, with its count and share of all."""
    whole = sum(counts.values())
    return [
        Row(
            key=value,
            label=label,
            values=(counts.get(value, 0),),
            share=percent(counts.get(value, 0), whole),
        )
        for value, label in choices
    ]


def by_sector(call):
    """Sent EOIs by their organisation's sector, a blank answer as "Not given"."""
    counts = dict(sent_eois(call).values_list("sector").annotate(eois=Count("pk")))
    return _rows([*EOI.Sector.choices, ("", "Not given")], counts)


def tripartite_balance(sector_rows):
    """Policing, government and the private sector, each as a share of the three."""
    rows = [row for row in sector_rows if row.key in TRIPARTITE]
    whole = sum(row.total for row in rows)
    return [
        Row(key=row.key, label=row.label, values=row.values, share=percent(row.total, whole))
        for row in rows
    ]


def by_status(call):
    """All the call's EOIs, drafts and withdrawals too, in the order of the statuses."""
    counts = dict(
        EOI.objects.filter(call=call).order_by().values_list("status").annotate(eois=Count("pk"))
    )
    return _rows(EOI.Status.choices, counts)


def validation_progress(call):
    """Sent EOIs by validation status: validated, pending, failed."""
    counts = dict(
        sent_eois(call)
        .with_validation_status()
        .values_list("validation_status")
        .annotate(eois=Count("pk"))
    )
    return _rows(ValidationStatus.choices, counts)


def submission_days(call, today=None):
    """The London dates from the call's opening to its closing, or to `today` if earlier."""
    today = today or timezone.localdate(timezone=LONDON)
    first = timezone.localdate(call.opens, timezone=LONDON)
    last = min(timezone.localdate(call.closes, timezone=LONDON), today)
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def submissions_per_day(call, today=None):
    """Sent EOIs by the London date they were first sent, every day listed, none too."""
    counts = dict(
        sent_eois(call)
        .filter(submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=LONDON))
        .values_list("day")
        .annotate(eois=Count("pk"))
    )
    return [
        Row(key=day, label=f"{day:%a} {day.day} {day:%b %Y}", values=(counts.get(day, 0),))
        for day in submission_days(call, today)
    ]


def programme_figures(call, today=None):
    """Every figure of the dashboard for `call`: one query each, seven in all."""
    projects = call_projects(call)
    sectors = by_sector(call)
    validation = validation_progress(call)
    per_project = roles_by_project(call, projects)
    return {
        "workstreams": roles_by_workstream(call, projects),
        "projects": per_project,
        "without_lead": sum(1 for row in per_project if row.note == NO_LEAD),
        "sectors": sectors,
        "tripartite": tripartite_balance(sectors),
        "statuses": by_status(call),
        "validation": validation,
        "sent": sum(row.total for row in sectors),
        "validated": next(row for row in validation if row.key == ValidationStatus.VALIDATED),
        "days": submissions_per_day(call, today),
    }
