"""The notices the coordination office may reword, and how its wording is rendered.

Every notice is written in three files, `<key>_subject.txt`, `<key>.txt` and
`<key>.html`, where the key is the `template` the caller gives queue_notice.
The office can save its own wording of a notice in the admin (NoticeTemplate);
while that is active the outbox renders it instead of the files.

A notice's wording sees only the placeholders its notice type declares: plain
strings, numbers, dates, and lists of those or of flat rows (see
`check_context`), made from the model objects by the notice's one context
builder. Never a model instance, a queryset or a method: wording that can
reach an object can walk from it to anyone's password hash, two-factor secret
or session key. The callers that queue a notice and the admin's preview call
the same builder, so what the office previews is what is sent.

The office's wording is rendered by a locked-down engine as well, not the
project's: no loaders, so nothing can read a file ({% include %} and
{% extends %} do not exist), Django's own tags and filters plus the `govuk`
library and nothing else to {% load %}, no {% debug %}, and in the HTML no
|safe or {% autoescape %}, so every placeholder is escaped there; the subject
and the plain text are not escaped. Rendering happens in a savepoint that is
always rolled back.

To add a notice, decorate its context builder with `register(key, ...)` in the
`notices.py` of the app that sends it, imported in the app's ready() (the core
imports no feature app); to let the admin preview it, register a builder of
its preview from a real EOI with `register_preview(key)` (participants/
notice_previews.py), which calls the notice's context builder.
"""

import datetime
import functools
import logging
import re

from django.db import transaction
from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import Lexer, TokenType
from django.template.loader import get_template
from django.utils.safestring import SafeData

from .templatetags import govuk

logger = logging.getLogger(__name__)

# Key -> who receives the notice and when, as the admin describes it.
KNOWN = {}
# Key -> {placeholder: what it holds}, as the admin lists them.
PLACEHOLDERS = {}
# Key -> a function of an ExpressionOfInterest returning the notice's context.
PREVIEWS = {}

PARTS = ("subject", "body_text", "body_html")


class NoticeContextError(ValueError):
    """A notice's context holds something other than plain values, or a
    placeholder its notice does not declare."""


def register(key, description, placeholders):
    """Decorator for the context builder of the notice `key`.

    `placeholders` maps each name the notice's wording may use to what it
    holds, for the admin. The builder turns model objects into the notice's
    context; what it returns is checked (`check_context`) and must have
    exactly the declared names.
    """

    def decorator(builder):
        @functools.wraps(builder)
        def build(*args, **kwargs):
            context = builder(*args, **kwargs)
            check_context(key, context)
            if set(context) != set(placeholders):
                raise NoticeContextError(
                    f"The builder of {key} gave {sorted(context)}, "
                    f"but the notice declares {sorted(placeholders)}."
                )
            return context

        KNOWN[key] = description
        PLACEHOLDERS[key] = dict(placeholders)
        return build

    return decorator


def register_preview(key):
    """Decorator: `builder(eoi)` returns the context `key`'s templates are rendered with."""

    def decorator(builder):
        PREVIEWS[key] = builder
        return builder

    return decorator


def preview_context(key, eoi):
    """The context to preview `key` with, built from a real EOI; None if nobody registered one."""
    builder = PREVIEWS.get(key)
    return builder(eoi) if builder else None


def placeholders(key):
    """[(name, what it holds)] for the notice `key`, in the order declared."""
    return list(PLACEHOLDERS.get(key, {}).items())


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


def check_context(key, context):
    """Raise NoticeContextError unless `context` is a dict of plain values.

    A value may be a str, int, bool, None, date or datetime; a list or tuple
    of those; or a list of rows, dicts of those (a table, such as an EOI's
    projects). A registered notice's context may hold only its declared
    placeholders.
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
    declared = PLACEHOLDERS.get(key)
    if declared is not None and (undeclared := sorted(set(context) - set(declared))):
        raise NoticeContextError(f"{key} has no placeholder {', '.join(undeclared)}.")


def one_line(subject):
    """The subject as one line: an email header cannot hold a line break."""
    return " ".join(subject.split())


# The engine.

REFUSED_TAGS = {"debug"}
REFUSED_IN_HTML = {"autoescape", "safe", "safeseq"}
# Lookups a template may not make: secrets, and methods that change an object
# (the rolled-back savepoint protects the database, not the objects in memory).
REFUSED_NAME = re.compile(
    r"(password|get_session_auth_hash|email_user|verify|mark_\w*|set_\w*|send_\w*)\Z"
)


def _library(*sources, refused=frozenset()):
    library = Library()
    for source in sources:
        library.tags.update({n: t for n, t in source.tags.items() if n not in refused})
        library.filters.update({n: f for n, f in source.filters.items() if n not in refused})
    return library


@functools.cache
def engine(part):
    """The engine for one part: the HTML's refuses what would stop escaping."""
    refused = REFUSED_TAGS | (REFUSED_IN_HTML if part == "body_html" else set())
    locked = Engine(
        loaders=[], libraries={}, builtins=[], autoescape=part == "body_html", debug=False
    )
    # Replaced after construction because Engine always adds its default
    # builtins, among them the loader tags ({% include %}, {% extends %}).
    locked.template_builtins = [
        _library(defaulttags.register, defaultfilters.register, govuk.register, refused=refused)
    ]
    locked.template_libraries = {"govuk": _library(govuk.register, refused=refused)}
    return locked


def _refused_names(source):
    for token in Lexer(source).tokenize():
        if token.token_type not in (TokenType.VAR, TokenType.BLOCK):
            continue
        code = re.sub(r"\"[^\"]*\"|'[^']*'", "", token.contents)
        for name in re.findall(r"[A-Za-z_]\w*", code):
            if REFUSED_NAME.match(name):
                yield name


def compile_part(part, source):
    """The template for one part; raises TemplateSyntaxError for anything refused."""
    names = sorted(set(_refused_names(source)))
    if names:
        raise TemplateSyntaxError(f"These placeholders are not allowed: {', '.join(names)}.")
    return engine(part).from_string(source)


def refusal(part, source):
    """Why `source` cannot be used as `part`, or None when it can."""
    try:
        compile_part(part, source)
    except TemplateSyntaxError as error:
        return f"This template cannot be used: {error}"
    return None


def render(wording, context, key=None):
    """(subject, plain text, HTML) from a dict of the three sources.

    Raises NoticeContextError for a context of anything but plain values (see
    check_context), and whatever the template raises. The subject is one
    line, as an email header must be.
    """
    check_context(key, context)
    templates = {part: compile_part(part, wording[part]) for part in PARTS}
    with transaction.atomic():
        try:
            # Plain str, not the SafeString render returns: shown in a page,
            # as the admin's preview does, it must be escaped like any text.
            rendered = {
                part: str.__str__(template.render(Context(context, autoescape=part == "body_html")))
                for part, template in templates.items()
            }
        finally:
            transaction.set_rollback(True)
    return one_line(rendered["subject"]), rendered["body_text"], rendered["body_html"]


def render_active(key, context):
    """The office's active wording of `key` rendered, or None: no such wording,
    or it failed, which is logged and leaves the files to say it."""
    from .models import NoticeTemplate

    wording = NoticeTemplate.objects.filter(key=key, is_active=True).first()
    if wording is None:
        return None
    try:
        return render(wording.wording(), context, key)
    except Exception:
        logger.warning(
            "The notice template %s cannot be rendered; using the files instead",
            key,
            exc_info=True,
        )
        return None


# The files' wording, for the office to start from.

_AUTOESCAPE_OFF = "{% autoescape off %}"
_END_AUTOESCAPE = "{% endautoescape %}"


def _file_source(name, unwrap=False):
    source = get_template(name).template.source
    # The text files switch escaping off around everything; the office's
    # plain text and subject are never escaped, so the switch is noise.
    if unwrap and source.count(_AUTOESCAPE_OFF) == 1 and source.count(_END_AUTOESCAPE) == 1:
        source = source.replace(_AUTOESCAPE_OFF, "").replace(_END_AUTOESCAPE, "")
    return source


def file_wording(key):
    """The subject, plain text and HTML sources of the files for `key`."""
    return {
        "subject": _file_source(f"{key}_subject.txt", unwrap=True).strip(),
        "body_text": _file_source(f"{key}.txt", unwrap=True),
        "body_html": _file_source(f"{key}.html"),
    }


@transaction.atomic
def copy_from_files(user=None):
    """Create an inactive NoticeTemplate from the files for every known key that has none.

    Never changes an existing one. Returns the number created.
    """
    from .models import NoticeTemplate

    created = 0
    existing = set(NoticeTemplate.objects.filter(key__in=KNOWN).values_list("key", flat=True))
    for key, description in KNOWN.items():
        if key in existing:
            continue
        _, made = NoticeTemplate.objects.get_or_create(
            key=key,
            defaults={
                "description": description,
                "is_active": False,
                "updated_by": user,
                **file_wording(key),
            },
        )
        created += made
    return created
