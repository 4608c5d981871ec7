"""Saving a draft's answers: each section, the projects, the conflicts of
interest; on an EOI already sent, each change is kept as an Amendment.

The EOI's steps (participants.sections) save through these; services.submit
reads the steps to refuse an incomplete EOI, so these live apart from it.
"""

from django.db import transaction

from .models import Amendment, ExpressionOfInterest, ProjectInterest


class CallNotOpen(Exception):
    """The call is not accepting new drafts, submissions or changes now."""


def locked_for_change(eoi, *related):
    """The EOI re-read under a row lock, refusing changes the call no longer allows.

    Only the EOI's row is locked (`of`): a plain FOR UPDATE would lock the
    joined call's row too, so that every applicant's change and submission
    waited for every other's to commit.
    """
    locked = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("call", *related)
        .get(pk=eoi.pk)
    )
    if not locked.can_be_changed():
        raise CallNotOpen
    return locked


def _record_amendment(eoi, section, before, after):
    """Keep what changed in an EOI that the coordination office already has."""
    if not eoi.is_sent:
        return
    changes = {
        key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)
    }
    if changes:
        Amendment.objects.create(expression_of_interest=eoi, section=section, changes=changes)


def _field_values(eoi, names):
    return {name: _plain(getattr(eoi, name)) for name in names}


def _plain(value):
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)


@transaction.atomic
def save_section(eoi, form, section_slug):
    """Save one question page's answers; on a sent EOI, record the amendment.

    Changes the EOI's fields from the form, and creates an Amendment when the
    EOI has been sent. Raises CallNotOpen after the closing date.
    """
    locked = locked_for_change(eoi)
    names = list(form.Meta.fields)
    extra = ["ieg_member", "cssc_member", "privacy_notice_version"]
    names += [name for name in extra if hasattr(locked, name)]
    before = _field_values(locked, names)
    form.instance = locked
    for name, value in form.cleaned_data.items():
        if name in names:
            setattr(locked, name, value)
    form.save()
    _record_amendment(locked, section_slug, before, _field_values(locked, names))
    return locked


def _interests_snapshot(eoi):
    return {
        interest.project.code: (
            f"{interest.get_role_display()}, preference {interest.preference}: "
            f"{interest.experience}"
        )
        for interest in eoi.project_interests.select_related("project")
    }


@transaction.atomic
def save_projects(eoi, form):
    """Replace the EOI's project interests and hours with the form's.

    Deletes interests no longer chosen (and their mention in conflict
    declarations), updates or creates the rest; records an Amendment on a
    sent EOI. Raises CallNotOpen after the closing date.
    """
    locked = locked_for_change(eoi)
    before = {**_interests_snapshot(locked), "hours a month": locked.hours_per_month}
    chosen = form.interests()
    chosen_ids = [row["project"].pk for row in chosen]
    locked.project_interests.exclude(project_id__in=chosen_ids).delete()
    for conflict in locked.conflicts.all():
        conflict.projects.remove(*conflict.projects.exclude(pk__in=chosen_ids))
    for row in chosen:
        ProjectInterest.objects.update_or_create(
            expression_of_interest=locked,
            project=row["project"],
            defaults={
                "role": row["role"],
                "experience": row["experience"],
                "preference": row["preference"],
            },
        )
    locked.hours_per_month = form.cleaned_data["hours_per_month"]
    locked.save(update_fields=["hours_per_month", "updated_at"])
    after = {**_interests_snapshot(locked), "hours a month": locked.hours_per_month}
    _record_amendment(locked, "projects", before, after)
    return locked


def _conflicts_snapshot(eoi):
    return {
        f"declaration {conflict.pk}": (
            f"{conflict.get_nature_display()}, {conflict.organisation}: {conflict.details}"
        )
        for conflict in eoi.conflicts.all()
    }


@transaction.atomic
def answer_conflicts_question(eoi, has_conflicts):
    """Record "none to declare" (removing any declarations) or "yes, some"."""
    locked = locked_for_change(eoi)
    before = {"none to declare": locked.no_conflicts, **_conflicts_snapshot(locked)}
    locked.no_conflicts = not has_conflicts
    if locked.no_conflicts:
        locked.conflicts.all().delete()
    locked.save(update_fields=["no_conflicts", "updated_at"])
    _record_amendment(
        locked,
        "conflicts",
        before,
        {"none to declare": locked.no_conflicts, **_conflicts_snapshot(locked)},
    )
    return locked


@transaction.atomic
def add_conflict(eoi, form):
    """Create a conflict-of-interest declaration from the form; record it on a sent EOI."""
    locked = locked_for_change(eoi)
    before = _conflicts_snapshot(locked)
    conflict = form.save(commit=False)
    conflict.expression_of_interest = locked
    conflict.save()
    form.save_m2m()
    if locked.no_conflicts is not False:
        locked.no_conflicts = False
        locked.save(update_fields=["no_conflicts", "updated_at"])
    _record_amendment(locked, "conflicts", before, _conflicts_snapshot(locked))
    return conflict


@transaction.atomic
def remove_conflict(eoi, conflict_id):
    """Delete one of the EOI's declarations; record it on a sent EOI."""
    locked = locked_for_change(eoi)
    before = _conflicts_snapshot(locked)
    locked.conflicts.filter(pk=conflict_id).delete()
    _record_amendment(locked, "conflicts", before, _conflicts_snapshot(locked))
