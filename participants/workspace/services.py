"""What the co-chairs' workspace reads and changes: figures, applicants,
revisions of project texts, recommendations."""

import difflib
import re

from django.db import transaction
from django.db.models import Count, Prefetch, Q

from participants.models import (
    ConflictOfInterest,
    ExpressionOfInterest,
    ProjectInterest,
    Recommendation,
    TeamMembership,
    ValidationStatus,
)

Role = ProjectInterest.Role


def project_figures(workstream):
    """Each of the workstream's projects with `by_role`, `by_status`, `applicants`,
    `validated_share` (0-100), `open_conflicts` and `lead_offered`, in five queries."""
    projects = list(workstream.projects.order_by("order", "code"))
    interests = ProjectInterest.objects.filter(project__workstream=workstream).shown_to_co_chairs()
    by_role = interests.values_list("project", "role").annotate(n=Count("pk")).order_by()
    by_status = (
        interests.values_list("project", "expression_of_interest__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    validated = (
        interests.with_validation_status()
        .values_list("project")
        .annotate(
            total=Count("pk"),
            validated=Count("pk", filter=Q(validation_status=ValidationStatus.VALIDATED)),
        )
        .order_by()
    )
    open_conflicts = (
        interests.values_list("project")
        .annotate(
            n=Count(
                "expression_of_interest__conflicts",
                filter=Q(expression_of_interest__conflicts__outcome=""),
                distinct=True,
            )
        )
        .order_by()
    )
    roles = {(project, role): n for project, role, n in by_role}
    statuses = {(project, status): n for project, status, n in by_status}
    shares = {project: (total, valid) for project, total, valid in validated}
    conflicts = dict(open_conflicts)
    for project in projects:
        project.by_role = [
            (label, roles.get((project.pk, value), 0)) for value, label in Role.choices
        ]
        project.by_status = [
            (ExpressionOfInterest.Status(status).label, statuses.get((project.pk, status), 0))
            for status in ExpressionOfInterest.DECIDED_OR_SENT_STATUSES
        ]
        total, valid = shares.get(project.pk, (0, 0))
        project.applicants = total
        project.validated_share = round(100 * valid / total) if total else 0
        project.open_conflicts = conflicts.get(project.pk, 0)
        project.lead_offered = roles.get((project.pk, Role.LEAD), 0) > 0
    return projects


def conflict_summary(conflicts):
    """In a word or two, where the applicant's declared conflicts stand."""
    if not conflicts:
        return "None declared"
    outcomes = {conflict.outcome for conflict in conflicts}
    if "" in outcomes:
        return "Awaiting decision"
    for outcome in (ConflictOfInterest.Outcome.EXCLUDED, ConflictOfInterest.Outcome.MANAGED):
        if outcome in outcomes:
            return "Excluded from other projects" if outcome == "excluded" else "Managed"
    return "No conflict"


APPLICANT_FIELDS = [
    "role",
    "experience",
    "project",
    "expression_of_interest__reference",
    "expression_of_interest__full_name",
    "expression_of_interest__organisation_name",
    "expression_of_interest__sector",
    "expression_of_interest__sector_other",
    "expression_of_interest__status",
]


def applicants(project, co_chair, *, role="", status="", validation=""):
    """The project's applicants as its co-chairs see them, filtered.

    Each row is a ProjectInterest with its EOI; describe() adds
    `validation_status`, `conflict_outcome`, the co-chair's own
    `recommendation` (or None); each row has `withheld`: true where the
    co-chair declared an interest in the applicant's organisation
    (participants.models.withheld_from), so that nothing of the applicant may
    be shown. A fixed number of queries whatever the rows.
    """
    rows = (
        ProjectInterest.objects.filter(project=project)
        .shown_to_co_chairs()
        .with_withheld(co_chair)
        .select_related("expression_of_interest")
        .prefetch_related(
            Prefetch(
                "expression_of_interest__conflicts",
                queryset=ConflictOfInterest.objects.only("expression_of_interest", "outcome"),
            ),
            Prefetch(
                "expression_of_interest__recommendations",
                queryset=Recommendation.objects.filter(project=project, co_chair=co_chair),
                to_attr="own_recommendations",
            ),
        )
        .order_by("expression_of_interest__full_name", "pk")
    )
    if role:
        rows = rows.filter(role=role)
    if status:
        rows = rows.filter(expression_of_interest__status=status)
    if validation:
        rows = rows.with_validation_status().filter(validation_status=validation)
    return rows


def applicant_list(project, co_chair, **filters):
    """applicants() with only the columns the list and its CSV show: an EOI's long
    answers are most of its row, and fifty of them cost more than the page."""
    return applicants(project, co_chair, **filters).only(*APPLICANT_FIELDS)


def describe(rows, co_chair):
    """Add the per-row facts the pages and the CSV show to an evaluated page of rows."""
    _add_validation_status(rows)
    for row in rows:
        eoi = row.expression_of_interest
        row.conflict_outcome = conflict_summary(list(eoi.conflicts.all()))
        row.recommendation = next(iter(eoi.own_recommendations), None)
        row.validation_label = ValidationStatus(row.validation_status).label
    return rows


def _add_validation_status(rows):
    """Each row's validation status, from one query for these rows' EOIs only.

    (Annotated on the list's own query, PostgreSQL derives it for every check
    in the table to show fifty rows; rows filtered by it have it already.)
    """
    missing = {
        row.expression_of_interest_id for row in rows if not hasattr(row, "validation_status")
    }
    if not missing:
        return
    statuses = dict(
        ExpressionOfInterest.objects.filter(pk__in=missing)
        .with_validation_status()
        .values_list("pk", "validation_status")
    )
    for row in rows:
        if not hasattr(row, "validation_status"):
            row.validation_status = statuses[row.expression_of_interest_id]


def applicant(project, co_chair, reference):
    """One applicant of the project, as its co-chair may see them; None if they may not."""
    row = (
        applicants(project, co_chair)
        .filter(expression_of_interest__reference=reference, withheld=False)
        .first()
    )
    if row is None:
        return None
    return describe([row], co_chair)[0]


@transaction.atomic
def recommend(project, co_chair, eoi, *, verdict, comment):
    """Record (or change) the co-chair's recommendation; simple-history keeps the earlier ones."""
    recommendation, _ = Recommendation.objects.update_or_create(
        expression_of_interest=eoi,
        project=project,
        co_chair=co_chair,
        defaults={"verdict": verdict, "comment": comment},
    )
    return recommendation


@transaction.atomic
def amend_project(project, author, changes, comment):
    """Save the co-chair's changes to the project's texts as a revision with a comment.

    simple-history records the revision with `author` and the time; nothing is
    saved when nothing changed. Returns whether a revision was made.
    """
    changed = {name: value for name, value in changes.items() if getattr(project, name) != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(project, name, value)
    project._history_user = author
    project._change_reason = comment
    project.save()
    return True


def team(project, co_chair):
    """The project's team by role, lead first, each member with their EOI and
    `withheld` (participants.models.withheld_from) as `co_chair` sees them."""
    members = (
        TeamMembership.objects.filter(project=project)
        .with_withheld(co_chair)
        .select_related("member", "expression_of_interest")
        .order_by("member__full_name", "pk")
    )
    by_role = {value: [] for value in Role.values}
    for membership in members:
        by_role[membership.role].append(membership)
    return [(Role(value).label, by_role[value]) for value in Role.values]


WORD = re.compile(r"\s+|[^\s]+")


def word_diff(before, after):
    """The change from `before` to `after` as (kind, text) pieces: "same", "removed", "added"."""
    old, new = WORD.findall(before or ""), WORD.findall(after or "")
    pieces = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(("same", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(("removed", "".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(("added", "".join(new[b1:b2])))
    return pieces


def revision_difference(project, older, newer):
    """For each text that differs between two revisions: (label, word diff)."""
    differences = []
    for name in project.TEXT_FIELDS:
        before, after = getattr(older, name), getattr(newer, name)
        if before != after:
            label = project._meta.get_field(name).verbose_name
            differences.append((label.capitalize(), word_diff(before, after)))
    return differences
