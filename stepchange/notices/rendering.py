"""How a notice's wording is rendered: the files, or the office's wording.

Every notice is written in three files, `<key>_subject.txt`, `<key>.txt` and
`<key>.html`, where the key is the notice type's (registry.py). The office can
save its own wording of a notice in the admin (NoticeTemplate); while that is
active the outbox renders it instead of the files. Either way the context is
checked first (context.py): plain values, and only the notice's placeholders.

The office's wording is rendered by the locked-down engine of engine.py.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import get_template, render_to_string

from . import registry
from .context import check_context, from_stored
from .engine import one_line, render
from .models import NoticeTemplate

logger = logging.getLogger(__name__)


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


def full_subject(subject):
    """The subject as sent: the service's name in front, one line, at most 300 characters."""
    return one_line(f"{settings.SERVICE_NAME}: {subject}")[:300].rstrip()


def render_stored(notice):
    """Render a notice queued with its context (Notice.awaits_rendering) onto it, unsaved.

    The wording in force now (the office's active wording, or the files)
    with the context kept when the notice was queued, checked again as at
    queueing. Raises whatever the rendering raises.
    """
    subject, notice.body_text, notice.body_html = render_wording(
        notice.template_key, from_stored(notice.context)
    )
    notice.subject = full_subject(subject)


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
