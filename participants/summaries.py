"""Figures about a call's expressions of interest, for the notices that report them."""

from django.db.models import Count

from .models import ExpressionOfInterest, ProjectInterest


def closing_summary(call, workstream=None):
    """Counts of sent EOIs per workstream and project by role, and projects nobody
    offered to lead, for the coordination office or one workstream's co-chairs."""
    interests = ProjectInterest.objects.filter(
        expression_of_interest__call=call,
        expression_of_interest__status__in=ExpressionOfInterest.DECIDED_OR_SENT_STATUSES,
    )
    projects = call.projects.select_related("workstream").order_by("workstream__order", "order")
    if workstream is not None:
        interests = interests.filter(project__workstream=workstream)
        projects = projects.filter(workstream=workstream)
    counts = {
        (row["project"], row["role"]): row["n"]
        for row in interests.values("project", "role").annotate(n=Count("pk"))
    }
    rows = []
    for project in projects:
        by_role = {role: counts.get((project.pk, role), 0) for role in ProjectInterest.Role.values}
        rows.append({"project": project, "by_role": by_role, "total": sum(by_role.values())})
    eois = ExpressionOfInterest.objects.filter(
        call=call, status__in=ExpressionOfInterest.DECIDED_OR_SENT_STATUSES
    )
    if workstream is not None:
        eois = eois.filter(project_interests__project__workstream=workstream).distinct()
    return {
        "rows": rows,
        "eoi_count": eois.count(),
        "no_lead": [row["project"] for row in rows if row["by_role"]["lead"] == 0],
    }
