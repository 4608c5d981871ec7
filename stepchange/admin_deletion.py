"""Deletions the admin refuses: nothing whose deletion reaches the records that
must be kept (an applicant's expression of interest, the decisions on it, the
teams it made).

Features name those records (`keep_records`); the admin site mixes
`RefuseDeletingKeptRecords` into every model admin it registers, so a model
added later is covered without anyone remembering to. An object is refused if
deleting it would cascade into a kept record or be blocked by one, directly or
through the objects that block it (a workstream whose projects have EOIs): the
office archives such objects instead.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.db import router

_kept_models = set()


def keep_records(*models):
    """Declare `models` as records no admin deletion may reach."""
    _kept_models.update(models)


def kept_models():
    return frozenset(_kept_models)


def kept_records_reached(objs, depth=3):
    """The kept records (other than `objs`) that deleting `objs` would delete or be blocked by.

    Follows what blocks the deletion `depth` levels down: a workstream is
    blocked by its projects, and they by their applicants' interests.
    """
    objs = list(objs)
    if not objs or not _kept_models:
        return []
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    roots = set(objs)
    collected = {obj for model_objs in collector.model_objs.values() for obj in model_objs}
    reached = [
        obj for obj in (collected | collector.protected) - roots if obj._meta.model in _kept_models
    ]
    blockers = [obj for obj in collector.protected if obj._meta.model not in _kept_models]
    if not reached and blockers and depth > 1:
        reached = kept_records_reached(blockers, depth - 1)
    return reached


class RefuseDeletingKeptRecords:
    """Mixed into every registered ModelAdmin: no delete page, and no bulk delete,
    for an object whose deletion reaches kept records. A model admin says what to
    do instead in `instead_of_deleting` (not set here: this mixin comes first)."""

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not kept_records_reached([obj]))

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refused = [
            f"{obj} cannot be deleted: expressions of interest, decisions or project "
            f"teams refer to it. {getattr(self, 'instead_of_deleting', '')}".strip()
            for obj in objs
            if kept_records_reached([obj])
        ]
        if refused:
            # Refused whatever the permissions: say why, rather than which are lacking.
            return deleted, counts, set(), [*refused, *protected]
        return deleted, counts, perms_needed, protected


def archive_action(description, done):
    """An admin action archiving the selected (a model with an `archived` flag).

    Each object is saved on its own, so that its history, the page cache and the
    admin's log see it. `done` is the message, with {count}.
    """

    @admin.action(description=description, permissions=["change"])
    def archive_selected(model_admin, request, queryset):
        count = 0
        for obj in queryset.filter(archived=False):
            obj.archived = True
            obj.save(update_fields=["archived"])
            model_admin.log_change(request, obj, "Archived.")
            count += 1
        model_admin.message_user(request, done.format(count=count), messages.SUCCESS)

    return archive_selected
