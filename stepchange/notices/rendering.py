"""How a notice's wording is rendered: the files, or the office's wording.

Every notice is written in three files, `<key>_subject.txt`, `<key>.txt` and
`<key>.html`, where the key is the notice type's (registry.py). The office can
save its own wording of a notice in the admin (NoticeTemplate); while that is
active the outbox renders it instead of the files. Either way the context is
checked first (context.py): plain values, and only the notice's placeholders.

The office's wording is rendered by a locked-down engine, not the project's:
no loaders, so nothing can read a file ({% include %} and {% extends %} do not
exist), Django's own tags and filters plus the `govuk` library and nothing
else to {% load %}, no {% debug %}, and in the HTML no |safe or
{% autoescape %}, so every placeholder is escaped there; the subject and the
plain text are not escaped. Rendering happens in a savepoint that is always
rolled back.
"""

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
from django.template.loader import get_template, render_to_string

from ..templatetags import govuk
from . import registry
from .context import check_context
from .models import NoticeTemplate

logger = logging.getLogger(__name__)

PARTS = ("subject", "body_text", "body_html")


def render_wording(key, context):
    """(subject, plain text, HTML) of the notice `key`.

    The office's active NoticeTemplate for `key` if there is one and it
    renders; otherwise `<key>_subject.txt`, `<key>.txt` and `<key>.html`, so a
    broken template never stops the change that queues the notice. The
    subject is one line.

    Raises NoticeContextError, whichever wording would be used, unless `key`
    is a registered notice and `context` holds only its placeholders, as plain
    values: wording that could reach a model object could walk from it to
    anyone's secrets.
    """
    notice = registry.get(key)
    check_context(key, context, notice.placeholders)
    rendered = render_active(key, context)
    if rendered is not None:
        return rendered
    return (
        one_line(render_to_string(f"{key}_subject.txt", context)),
        render_to_string(f"{key}.txt", context),
        render_to_string(f"{key}.html", context),
    )


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
    notice = registry.TYPES.get(key)
    check_context(key, context, notice.placeholders if notice else None)
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
    created = 0
    existing = set(
        NoticeTemplate.objects.filter(key__in=registry.TYPES).values_list("key", flat=True)
    )
    for key, notice in registry.TYPES.items():
        if key in existing:
            continue
        _, made = NoticeTemplate.objects.get_or_create(
            key=key,
            defaults={
                "description": notice.audience,
                "is_active": False,
                "updated_by": user,
                **file_wording(key),
            },
        )
        created += made
    return created
