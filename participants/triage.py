"""The coordination office's triage of expressions of interest."""

from django.db import transaction

from .models import ExpressionOfInterest, IllegalTransition


@transaction.atomic
def move(eoi_ids, status, *, by):
    """Move each EOI to `status` where its current status allows it.

    Locks the rows, changes each allowed one and records a StatusChange with
    `by` and the time; leaves the others as they are. Returns the references
    moved and the reasons for those refused.
    """
    moved, refused = [], []
    eois = ExpressionOfInterest.objects.select_for_update().filter(pk__in=eoi_ids).order_by("pk")
    for eoi in eois:
        try:
            eoi.move_to(status, by=by)
        except IllegalTransition as problem:
            refused.append(str(problem))
        else:
            moved.append(eoi.reference)
    return moved, refused


@transaction.atomic
def request_referees_again(eoi_ids):
    """Queue a new referee request for each sent EOI whose referee has not answered.

    Creates one notice per such EOI (with a fresh link); drafts, withdrawn
    EOIs and answered referees are left alone. Returns (queued references,
    reasons for the others).
    """
    from .referees import queue_referee_request, referee_has_answered

    queued, skipped = [], []
    eois = ExpressionOfInterest.objects.filter(pk__in=eoi_ids).select_related("call").order_by("pk")
    for eoi in eois:
        if eoi.status in (ExpressionOfInterest.Status.DRAFT, ExpressionOfInterest.Status.WITHDRAWN):
            skipped.append(
                f"{eoi.reference} is {eoi.get_status_display().lower()}: no request sent."
            )
        elif referee_has_answered(eoi):
            skipped.append(f"{eoi.reference}: the referee has already answered.")
        else:
            queue_referee_request(eoi, again=True)
            queued.append(eoi.reference)
    return queued, skipped
