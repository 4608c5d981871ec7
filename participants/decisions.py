"""The coordination office's decisions: one per project an applicant offered,
staged, then applied together.

Staging records what the office intends for one project (accept, with a role;
decline; or "not yet", which removes a staged decision) and can be changed
until applied. Applying takes every staged decision of an EOI at once: each
accept places the applicant in the project's team, and the applicant gets one
email answering every project decided in it and naming those still open. The
office may apply again later for the projects left: each application is its
own email. When every project offered is decided the EOI becomes accepted (any
accept) or declined (see ExpressionOfInterest.mark_decided).
"""

from django.db import transaction
from django.utils import timezone

from stepchange.notices import occurrences
from stepchange.notices.outbox import batched, queue_notice

from . import notices
from .models import (
    ConflictOfInterest,
    Decision,
    ExpressionOfInterest,
    IllegalTransition,
    ProjectInterest,
    TeamMembership,
)

Status = ExpressionOfInterest.Status

# Staged as the outcome, "not yet" removes the project's staged decision: a
# project with no applied decision is one the applicant is still waiting on.
NOT_YET = "not_yet"
STAGING_CHOICES = [*Decision.Outcome.choices, (NOT_YET, "Not decided yet")]


class DecisionRefused(Exception):
    """A decision the rules do not allow, with the reason in words the office can act on."""


def is_excluded(eoi, project):
    """Whether a conflict outcome keeps `eoi`'s applicant out of `project` (and no override)."""
    interests = ProjectInterest.objects.filter(expression_of_interest=eoi, project=project)
    return interests.exists() and not interests.placeable().exists()


def conflicts_awaiting(eoi, project):
    """The applicant's declared conflicts that touch `project` and the office has not decided."""
    return ConflictOfInterest.objects.filter(
        expression_of_interest=eoi, projects=project, outcome=""
    ).order_by("declared_at", "pk")


def check(eoi, project, outcome):
    """Raise DecisionRefused unless `outcome` may be staged (or applied) for `eoi` and `project`."""
    if eoi.status != Status.SHORTLISTED:
        raise DecisionRefused(
            f"{eoi.reference} is {eoi.get_status_display().lower()}: only shortlisted "
            "expressions of interest are decided."
        )
    if not eoi.project_interests.filter(project=project).exists():
        raise DecisionRefused(f"{eoi.reference} did not offer to join {project.code}.")
    if outcome != Decision.Outcome.ACCEPT:
        return
    awaiting = list(conflicts_awaiting(eoi, project))
    if awaiting:
        named = ", ".join(conflict.organisation for conflict in awaiting)
        raise DecisionRefused(
            f"{eoi.reference} cannot be accepted into {project.code} while a conflict of "
            f"interest touching it awaits a decision ({named}): decide the conflict's outcome "
            "on the expression of interest's page first, then stage the accept."
        )
    if is_excluded(eoi, project):
        raise DecisionRefused(
            f"{eoi.reference} is excluded from {project.code} by a conflict of interest: "
            "record an exclusion override, with its reason, to place them."
        )


def stage(eoi, project, outcome, *, by, role=""):
    """Stage (or restage) the decision on `eoi` for `project`; refuses an applied one.

    `outcome` NOT_YET removes a staged decision (returns None).
    """
    if outcome != NOT_YET:
        check(eoi, project, outcome)
    decision = Decision.objects.filter(expression_of_interest=eoi, project=project).first()
    if decision and decision.is_applied:
        raise DecisionRefused(f"{eoi.reference}'s decision on {project.code} is already applied.")
    if outcome == NOT_YET:
        if decision:
            decision.delete()
        return None
    decision = decision or Decision(expression_of_interest=eoi, project=project)
    decision.outcome = outcome
    decision.role = role if outcome == Decision.Outcome.ACCEPT else ""
    decision.staged_by = by
    decision.staged_at = timezone.now()
    decision.save()
    return decision


@transaction.atomic
def stage_many(eoi_ids, project, outcome, *, by, role=""):
    """Stage the same decision on `project` for each EOI; returns (staged refs, refusals)."""
    staged, refused = [], []
    for eoi in ExpressionOfInterest.objects.filter(pk__in=eoi_ids).order_by("pk"):
        try:
            stage(eoi, project, outcome, by=by, role=role)
        except DecisionRefused as problem:
            refused.append(str(problem))
        else:
            staged.append(eoi.reference)
    return staged, refused


def apply(eoi_ids, *, by):
    """Apply every staged decision of each EOI, each EOI on its own.

    An EOI whose decisions cannot all be applied (a conflict not decided or an
    exclusion decided after staging, a status that moved) keeps them staged
    and is reported; the others go ahead. Returns (applied references, refusals).
    """
    applied, refused = [], []
    with batched():
        for pk in sorted(eoi_ids):
            try:
                with transaction.atomic():
                    reference = _apply_one(pk, by=by)
            except (DecisionRefused, IllegalTransition) as problem:
                refused.append(str(problem))
            else:
                if reference:
                    applied.append(reference)
    return applied, refused


def _apply_one(pk, *, by):
    eoi = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("applicant", "call")
        .get(pk=pk)
    )
    decisions = list(eoi.decisions.staged().select_related("project").order_by("project__code"))
    if not decisions:
        return None
    offered = {interest.project_id: interest.role for interest in eoi.project_interests.all()}
    for decision in decisions:
        check(eoi, decision.project, decision.outcome)
    # Which application of decisions to this EOI this is: its email's occurrence.
    rounds = eoi.decisions.applied().values("applied_at").distinct().count()
    now = timezone.now()
    for decision in decisions:
        if decision.outcome == Decision.Outcome.ACCEPT:
            TeamMembership.objects.get_or_create(
                project=decision.project,
                member=eoi.applicant,
                defaults={
                    "role": decision.role or offered[decision.project_id],
                    "expression_of_interest": eoi,
                    "added_by": by,
                    "added_at": now,
                },
            )
    Decision.objects.filter(pk__in=[d.pk for d in decisions]).update(applied_by=by, applied_at=now)
    still_open = list(eoi.undecided_interests().select_related("project").order_by("preference"))
    if not still_open:
        eoi.mark_decided(by=by, at=now)
    _queue_decision_notice(eoi, decisions, offered, still_open, number=rounds + 1)
    return eoi.reference


def _queue_decision_notice(eoi, decisions, offered, still_open, *, number):
    def places(outcome):
        return [
            (d.project, d.role or offered[d.project_id]) for d in decisions if d.outcome == outcome
        ]

    queue_notice(
        key="participants/email/decision",
        recipient=eoi.applicant.email,
        occurrence=occurrences.decision(eoi.pk, number),
        context=notices.decision(
            eoi,
            accepted=places(Decision.Outcome.ACCEPT),
            declined=places(Decision.Outcome.DECLINE),
            not_yet=[(interest.project, interest.role) for interest in still_open],
        ),
        reply_to=eoi.call.contact_email,
    )


# What the applicant sees of the decisions: one outcome a project.


def project_outcomes(eoi):
    """Each project `eoi` offered, in order of preference, with its outcome.

    Rows of (interest, outcome, role label), outcome "accepted", "declined" or
    "not_yet". Reads `eoi.project_interests` (with project) and `eoi.decisions`
    through their prefetch when the caller made one.
    """
    applied = {d.project_id: d for d in eoi.decisions.all() if d.is_applied}
    rows = []
    for interest in eoi.project_interests.all():
        decision = applied.get(interest.project_id)
        if decision and decision.outcome == Decision.Outcome.ACCEPT:
            role = ProjectInterest.Role(decision.role or interest.role).label.lower()
            rows.append((interest, "accepted", role))
        elif decision or eoi.status == Status.DECLINED:
            rows.append((interest, "declined", ""))
        else:
            rows.append((interest, "not_yet", ""))
    return rows
