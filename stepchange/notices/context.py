"""What a notice's context may hold: plain values, never an object.

A notice's wording, which the coordination office may edit, sees only the
placeholders its notice type declares: plain strings, numbers, dates, and lists
of those or of flat rows, made from the model objects by the notice's one
context builder. Never a model instance, a queryset or a method: wording that
can reach an object can walk from it to anyone's password hash, two-factor
secret or session key.
"""

import datetime

from django.utils.safestring import SafeData


class NoticeContextError(ValueError):
    """A notice's context holds something other than plain values, or a
    placeholder its notice does not declare; or the notice is not registered."""


# What a context may hold. Exact types, not isinstance: a subclass of str can
# carry attributes a template would walk, and a marked-safe string would not
# be escaped in the HTML.
SCALARS = frozenset({str, int, bool, type(None), datetime.date, datetime.datetime})


def _scalar(value):
    return type(value) in SCALARS and not isinstance(value, SafeData)


def _row(value):
    return type(value) is dict and all(
        type(name) is str and _scalar(item) for name, item in value.items()
    )


def _flat(value):
    if type(value) in (list, tuple):
        return all(_scalar(item) or _row(item) for item in value)
    return _scalar(value)


def check_context(key, context, declared=None):
    """Raise NoticeContextError unless `context` is a dict of plain values.

    A value may be a str, int, bool, None, date or datetime; a list or tuple
    of those; or a list of rows, dicts of those (a table, such as an EOI's
    projects). With `declared` (the notice's placeholders) the context may
    hold only those names.
    """
    of = f" of {key}" if key else ""
    if type(context) is not dict:
        raise NoticeContextError(f"The context{of} is a {type(context).__name__}, not a dict.")
    for name, value in context.items():
        if type(name) is not str or not _flat(value):
            raise NoticeContextError(
                f"The placeholder {name!r}{of} holds {type(value).__name__}, not a plain "
                "value (a string, number, date, or a list of those or of flat rows)."
            )
    if declared is not None and (undeclared := sorted(set(context) - set(declared))):
        raise NoticeContextError(f"{key} has no placeholder {', '.join(undeclared)}.")


# A context kept on its outbox row (Notice.context) until the worker renders
# it: JSON, with dates and datetimes tagged so that they come back as the same
# types (a template's date filters would not format their ISO strings).
# A table's rows are tagged too, so that no row is ever read as a date.
_DATE, _DATETIME, _ROW = "__date__", "__datetime__", "__row__"


def _stored_value(value):
    if type(value) is datetime.datetime:
        return {_DATETIME: value.isoformat()}
    if type(value) is datetime.date:
        return {_DATE: value.isoformat()}
    if type(value) is dict:
        return {_ROW: {name: _stored_value(item) for name, item in value.items()}}
    if type(value) in (list, tuple):
        return [_stored_value(item) for item in value]
    return value


def _loaded_value(value):
    if type(value) is dict:
        ((tag, inner),) = value.items()
        if tag == _DATETIME:
            return datetime.datetime.fromisoformat(inner)
        if tag == _DATE:
            return datetime.date.fromisoformat(inner)
        return {name: _loaded_value(item) for name, item in inner.items()}
    if type(value) is list:
        return [_loaded_value(item) for item in value]
    return value


def to_stored(key, context, declared=None):
    """`context` checked (check_context) and made JSON-ready for the outbox row."""
    check_context(key, context, declared)
    return {name: _stored_value(value) for name, value in context.items()}


def from_stored(stored):
    """The context to_stored kept, with its dates and datetimes as such again."""
    return {name: _loaded_value(value) for name, value in stored.items()}
