"""Erasure in Django admin's log (django_admin_log) of what an erased person left there.

Each LogEntry keeps the object's text as it was (`object_repr`: a person's
name, an address, "Financial: Acme Barriers") and a change message naming the
inline rows changed by their text too. They outlive the rows they describe, so
erasure and anonymisation scrub them here.

Scrubbed, not deleted: the entry is the office's record that someone changed
something, and when. Who made the change, when, whether it was an addition,
change or deletion, the kind of object, its id and the names of the fields
changed stay; the object's text and that of every row in the message become
"Erased". (A deleted object's id names nobody once its row is gone.)
"""

import json

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db import models
from django.db.models import Q

ERASED = "Erased"


def _belonging_to(model, pks):
    """[(model, pks)]: these rows and, again and again, the rows that belong to
    them: those whose foreign key deletes with them (on_delete=CASCADE), such
    as an account's EOIs and email addresses, and an EOI's conflicts."""
    found, seen, queue = [], set(), [(model, set(pks))]
    while queue:
        model, pks = queue.pop()
        pks = {pk for pk in pks if (model, pk) not in seen}
        if not pks:
            continue
        seen |= {(model, pk) for pk in pks}
        found.append((model, pks))
        for relation in model._meta.related_objects:
            child = relation.related_model
            if (
                relation.many_to_many
                or relation.on_delete is not models.CASCADE
                # The entries an account wrote go with it (their FK cascades).
                or child is LogEntry
            ):
                continue
            children = child._base_manager.filter(**{f"{relation.field.name}__pk__in": pks})
            queue.append((child, set(children.values_list("pk", flat=True))))
    return found


def _entries_about(found):
    """The LogEntry rows about these rows: the admin logs a proxy model (an
    admin's own view of a model) under the proxy's content type, so theirs count."""
    about = Q(pk__in=[])
    for model, pks in found:
        kinds = [
            m
            for m in apps.get_models()
            if m is model or (m._meta.proxy and m._meta.concrete_model is model)
        ]
        for kind in kinds:
            about |= Q(
                content_type__app_label=kind._meta.app_label,
                content_type__model=kind._meta.model_name,
                object_id__in=[str(pk) for pk in pks],
            )
    return LogEntry.objects.filter(about)


def _scrubbed_message(message):
    """A change message without the text of the rows it names.

    The admin writes JSON: [{"changed": {"name": "conflict of interest",
    "object": "Financial: Acme Barriers", "fields": ["Outcome"]}}]; the kind
    of row and the fields stay. Anything else written there is free text, and
    goes.
    """
    try:
        changes = json.loads(message)
    except json.JSONDecodeError:
        changes = None
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        return ERASED if message else ""
    for change in changes:
        for detail in change.values():
            if isinstance(detail, dict) and "object" in detail:
                detail["object"] = ERASED
    return json.dumps(changes)


def scrub_admin_log(model, pks):
    """Scrub the admin's log entries about these rows and the rows that belong to them.

    Call before the rows are deleted or anonymised (what belongs to them is
    found through them). Replaces each entry's object_repr with "Erased" and
    the rows' text in its change message (see _scrubbed_message); keeps the
    rest. Returns how many entries were scrubbed.
    """
    entries = list(_entries_about(_belonging_to(model, pks)).only("object_repr", "change_message"))
    for entry in entries:
        entry.object_repr = ERASED
        entry.change_message = _scrubbed_message(entry.change_message)
    LogEntry.objects.bulk_update(entries, ["object_repr", "change_message"], batch_size=500)
    return len(entries)
