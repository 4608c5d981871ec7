"""Django form fields as GOV.UK Design System components.

The allauth element templates (templates/allauth/elements/) render allauth's
forms with these: each field as a GOV.UK input or checkbox with its hint and
inline error, and the form's errors as the GOV.UK error summary's links.
"""

from django import forms, template
from django.utils.safestring import mark_safe

register = template.Library()

# The GOV.UK class of each kind of control; an input in error adds "--error".
CONTROL_CLASSES = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
}


def _kind(bound_field):
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


def _hint(help_text):
    # Django's password help is a bare <ul>: give it GOV.UK's bullet list.
    text = str(help_text or "").strip()
    return mark_safe(text.replace("<ul>", '<ul class="govuk-list govuk-list--bullet govuk-hint">'))


@register.simple_tag
def govuk_field(bound_field):
    """A form field's parts, for a GOV.UK form group.

    kind: "input", "textarea", "select", "checkbox" or "hidden"; control: the
    widget, with the GOV.UK class, no placeholder (GOV.UK forms use labels and
    hints, never placeholders) and aria-describedby naming the hint and the
    error message; hint, hint_id, errors and error_id for the markup around it.
    """
    kind = _kind(bound_field)
    hint = _hint(bound_field.help_text)
    field_id = bound_field.auto_id
    hint_id = f"{field_id}-hint" if hint else ""
    error_id = f"{field_id}-error" if bound_field.errors else ""
    if kind == "hidden":
        return {"kind": kind, "control": bound_field.as_widget()}

    css = CONTROL_CLASSES[kind]
    if bound_field.errors and kind != "checkbox":
        css += f" {css}--error"
    widget = bound_field.field.widget
    # A form may add GOV.UK modifiers of its own, such as a code box's width class.
    if widget.attrs.get("class"):
        css += f" {widget.attrs['class']}"
    attrs = bound_field.build_widget_attrs({"class": css}, widget)
    # Set after Django's own, which would name a help text id even for an
    # empty hint (allauth's password help is a template that we empty).
    attrs["aria-describedby"] = " ".join(filter(None, [hint_id, error_id])) or False
    attrs["placeholder"] = False
    if getattr(widget, "input_type", None) == "email" or widget.attrs.get("type") == "email":
        attrs["spellcheck"] = "false"
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound_field.auto_id
    control = widget.render(
        name=bound_field.html_name,
        value=bound_field.value(),
        attrs=attrs,
        renderer=bound_field.form.renderer,
    )
    return {
        "kind": kind,
        "id": bound_field.id_for_label,
        "control": control,
        "hint": hint,
        "hint_id": hint_id,
        "errors": bound_field.errors,
        "error_id": error_id,
    }


@register.simple_tag
def govuk_error_links(form):
    """The error summary's (anchor, message) pairs for a bound form, in page order.

    A field's errors link to the field. The form's own errors (such as a
    wrong email and password pair) link to its first field, so that following
    the link puts the cursor back into the form.
    """
    if not isinstance(form, forms.BaseForm) or not form.is_bound or not form.errors:
        return []
    fields = form.visible_fields()
    first = fields[0].id_for_label if fields else ""
    links = [(first, error) for error in form.non_field_errors()]
    for hidden in form.hidden_fields():
        links += [(first, error) for error in hidden.errors]
    for bound_field in fields:
        links += [(bound_field.id_for_label, error) for error in bound_field.errors]
    return links
