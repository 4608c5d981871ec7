"""The admin's preview of a notice's wording, rendered against a real record.

The record is found by the app that declared how (registry.preview_sample:
participants, an expression of interest); each notice's context is made from
it by the notice's own preview example, which calls the builder its sender
uses, so what the office previews is what is sent. Nothing is saved.
"""

from django.conf import settings

from . import engine, registry


def preview(key, wording, reference=""):
    """What the preview page shows of `wording` (the three parts) as the notice `key`.

    A dict with the record used ("eoi") and the reference to show, and
    either the rendered subject, body_text and body_html, or an error.
    """
    sample = registry.find_sample(reference)
    shown = {"eoi": sample, "reference": sample.reference if sample else reference}
    if sample is None:
        error = (
            f"There is no expression of interest {reference}."
            if reference
            else "There is no expression of interest to preview with yet."
        )
        return {**shown, "error": error}
    values = registry.preview_context(key, sample)
    if values is None:
        return {**shown, "error": f"There is no preview for {key}."}
    try:
        subject, body_text, body_html = engine.render(wording, values, key)
    except Exception as error:  # whatever the office's template raises
        return {**shown, "error": f"This wording cannot be rendered: {error}"}
    return {
        **shown,
        "subject": f"{settings.SERVICE_NAME}: {subject}",
        "body_text": body_text,
        "body_html": body_html,
    }
