"""Every notice the portal sends, declared by the app that causes it.

A notice type is declared once, in the `notices.py` of the app whose change
causes it, by decorating its context builder with `register`:

- its key, which names its three template files (`<key>_subject.txt`,
  `<key>.txt`, `<key>.html`) and the office's NoticeTemplate of it;
- its reason, the outbox's label for why it was sent (`reason()`), which with
  the recipient and the occurrence makes a notice unique;
- its audience: who receives it, and when, as the admin describes it;
- its placeholders: the plain values its wording may use (see context.py),
  exactly what the builder returns;
- its preview example (`@<builder>.preview`): the context it is previewed
  with in the admin, made by the same builder from the record the office picks.

The core imports no feature app: each app imports its `notices` module in its
AppConfig.ready(), which fills this registry at start-up. Emails written
elsewhere (allauth's, the two-factor code) declare only their reason.
"""

import functools

from django.core.exceptions import ImproperlyConfigured, ValidationError

from .context import NoticeContextError, check_context

# Reason value -> its label, in the order declared (the admin's filter).
REASONS = {}
# Notice key -> its NoticeType, in the order declared.
TYPES = {}
# Finds the record every preview is made from (see preview_sample).
_sample_finder = None

REASON_MAX_LENGTH = 30  # Notice.reason's column


def reason(value, label):
    """Declare why notices are sent, e.g. reason("decision", "Decision"); returns `value`.

    Several notice types may share one reason (the two closing reminders).
    """
    if len(value) > REASON_MAX_LENGTH:
        raise ImproperlyConfigured(f"The reason {value!r} is longer than {REASON_MAX_LENGTH}.")
    if REASONS.setdefault(value, label) != label:
        raise ImproperlyConfigured(f"The reason {value!r} is declared twice, differently.")
    return value


def reason_label(value):
    """What the admin calls the reason `value`; the value itself if nobody declares it."""
    return REASONS.get(value, value)


def check_reason(value):
    """Raise NoticeContextError unless an app declared the reason `value`."""
    if value not in REASONS:
        raise NoticeContextError(f"{value} is not a declared reason.")


def validate_reason(value):
    """Notice.reason's validator: a reason some app declared."""
    if value not in REASONS:
        raise ValidationError(f"{value} is not a declared reason.", code="invalid_choice")


class NoticeType:
    """One kind of email: called like its builder, it returns the checked context."""

    def __init__(self, key, *, reason, audience, placeholders, builder):
        check_reason(reason)
        self.key = key
        self.reason = reason
        self.audience = audience
        self.placeholders = dict(placeholders)
        self.builder = builder
        self.example = None
        functools.update_wrapper(self, builder)

    def __repr__(self):
        return f"<NoticeType {self.key}>"

    def __call__(self, *args, **kwargs):
        """The builder's context, refused unless it is flat and has exactly the placeholders."""
        context = self.builder(*args, **kwargs)
        check_context(self.key, context, self.placeholders)
        if set(context) != set(self.placeholders):
            raise NoticeContextError(
                f"The builder of {self.key} gave {sorted(context)}, "
                f"but the notice declares {sorted(self.placeholders)}."
            )
        return context

    def preview(self, example):
        """Decorator: `example(sample)` returns the context the admin previews this notice
        with, from the record the office picked (see preview_sample). It must call the
        notice's builder, so that the preview cannot drift from what is sent, and must
        save nothing."""
        self.example = example
        return example

    def preview_context(self, sample):
        return self.example(sample) if self.example else None


def register(key, *, reason, audience, placeholders):
    """Decorator for the context builder of the notice `key`; returns its NoticeType.

    `reason` is a value declared with reason(); `audience` says who receives it
    and when; `placeholders` maps each name its wording may use to what it
    holds, for the admin.
    """

    def decorator(builder):
        notice = NoticeType(
            key, reason=reason, audience=audience, placeholders=placeholders, builder=builder
        )
        TYPES[key] = notice
        return notice

    return decorator


def get(key):
    """The NoticeType of `key`; NoticeContextError if no app registered it."""
    try:
        return TYPES[key]
    except KeyError:
        raise NoticeContextError(f"{key} is not a registered notice.") from None


def placeholders(key):
    """[(name, what it holds)] for the notice `key`, in the order declared."""
    notice = TYPES.get(key)
    return list(notice.placeholders.items()) if notice else []


def preview_context(key, sample):
    """The context to preview `key` with, from `sample`; None if it has no preview."""
    notice = TYPES.get(key)
    return notice.preview_context(sample) if notice else None


# The record previews are made from.


def preview_sample(finder):
    """Declare how the admin finds the record it previews every notice with.

    `finder(reference)` returns the record the office named by its reference,
    or a recent one when `reference` is empty, or None. The record has a
    `reference`; it is handed to each notice's preview example. One app
    declares it (participants: an expression of interest).
    """
    global _sample_finder
    _sample_finder = finder
    return finder


def find_sample(reference):
    """The record to preview with (see preview_sample), or None."""
    return _sample_finder(reference) if _sample_finder else None
