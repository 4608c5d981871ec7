"""The locked-down template engine that renders the office's wording of a notice.

The office's wording is rendered by a locked-down engine, not the project's:
no loaders, so nothing can read a file ({% include %} and {% extends %} do not
exist), Django's own tags and filters plus the `govuk` library and nothing
else to {% load %}, no {% debug %}, and in the HTML no |safe or
{% autoescape %}, so every placeholder is escaped there; the subject and the
plain text are not escaped. Rendering happens in a savepoint that is always
rolled back.
"""

import functools
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

from ..templatetags import govuk
from . import registry
from .context import check_context

PARTS = ("subject", "body_text", "body_html")


def one_line(subject):
    """The subject as one line: an email header cannot hold a line break."""
    return " ".join(subject.split())


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


# Compiled once a wording, not once a notice: a decision round or a closing notice
# renders the same few wordings for every recipient, and parsing is most of the
# cost. A Template is rendered with its own Context each time, so sharing it is
# safe (Django's cached template loader does the same); a refused source raises
# each time, as exceptions are not cached.
@functools.lru_cache(maxsize=256)
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
