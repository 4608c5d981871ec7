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
