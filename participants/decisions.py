"""The coordination office's decisions: staged per EOI and project, applied together.

Staging records what the office intends and can be changed until applied.
Applying takes every staged decision of an EOI at once: each accept places
the applicant in the project's team, the EOI moves to accepted (or declined
when nothing was accepted), and the applicant gets one email saying all of
it. An EOI is decided once, so it gets one decision email, never two.
"""

from django.db import transaction
from django.utils import timezone

from stepchange.notices import occurrences
from stepchange.notices.outbox import batched, queue_notice

from . import notices
from .models import (
    Decision,
    ExpressionOfInterest,
    IllegalTransition,
    ProjectInterest,
    TeamMembership,
)

Status = ExpressionOfInterest.Status


class DecisionRefused(Exception):
    """A decision the rules do not allow, with the reason in words the office can act on."""


def is_excluded(eoi, project):
    """Whether a conflict outcome keeps `eoi`'s applicant out of `project` (and no override)."""
    interests = ProjectInterest.objects.filter(expression_of_interest=eoi, project=project)
    return interests.exists() and not interests.placeable().exists()


def check(eoi, project, outcome):
    """Raise DecisionRefused unless `outcome` may be staged for `eoi` and `project`."""
    if eoi.status != Status.SHORTLISTED:
        raise DecisionRefused(
            f"{eoi.reference} is {eoi.get_status_display().lower()}: only shortlisted "
            "expressions of interest are decided."
        )
    if not eoi.project_interests.filter(project=project).exists():
        raise DecisionRefused(f"{eoi.reference} did not offer to join {project.code}.")
    if outcome == Decision.Outcome.ACCEPT and is_excluded(eoi, project):
        raise DecisionRefused(
            f"{eoi.reference} is excluded from {project.code} by a conflict of interest: "
            "record an exclusion override, with its reason, to place them."
        )


def stage(eoi, project, outcome, *, by, role=""):
    """Stage (or restage) the decision on `eoi` for `project`; refuses an applied one."""
    check(eoi, project, outcome)
    decision = Decision.objects.filter(expression_of_interest=eoi, project=project).first()
    if decision and decision.is_applied:
        raise DecisionRefused(f"{eoi.reference}'s decision on {project.code} is already applied.")
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

    An EOI whose decisions cannot all be applied (an exclusion decided after
    staging, a status that moved) keeps them staged and is reported; the
    others go ahead. Returns (applied references, refusals).
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
    decisions = list(
        eoi.decisions.filter(applied_at__isnull=True)
        .select_related("project")
        .order_by("project__code")
    )
    if not decisions:
        return None
    offered = {interest.project_id: interest.role for interest in eoi.project_interests.all()}
    for decision in decisions:
        check(eoi, decision.project, decision.outcome)
    accepts = [d for d in decisions if d.outcome == Decision.Outcome.ACCEPT]
    now = timezone.now()
    eoi.move_to(Status.ACCEPTED if accepts else Status.DECLINED, by=by, at=now)
    for decision in accepts:
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
    _queue_decision_notice(eoi, decisions, offered)
    return eoi.reference


def _queue_decision_notice(eoi, decisions, offered):
    def places(outcome):
        return [
            (d.project, d.role or offered[d.project_id]) for d in decisions if d.outcome == outcome
        ]

    queue_notice(
        key="participants/email/decision",
        recipient=eoi.applicant.email,
        occurrence=occurrences.eoi(eoi.pk),
        context=notices.decision(
            eoi,
            accepted=places(Decision.Outcome.ACCEPT),
            declined=places(Decision.Outcome.DECLINE),
        ),
        reply_to=eoi.call.contact_email,
    )
