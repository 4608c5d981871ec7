"""Every GOV.UK input the portal renders is styled, and red when in error.

crispy-forms-gds 2.0.1 gives a widget its GOV.UK class from a list that misses
the URL, telephone, number and date inputs (the organisation's website input
was unstyled), and marks a field in error only for three widget classes by
name: an EmailInput, URLInput or NumberInput in error had no red border, and
a select or textarea got the text input's modifier instead of its own. So:

- settings.CRISPY_CLASS_CONVERTERS completes the list;
- BoundField gives a field in error its component's error modifier, whatever
  the widget, from the GOV.UK class the widget carries; every form has it
  through settings.FORM_RENDERER. Widgets without a GOV.UK class (the admin's,
  radios and checkboxes, which GOV.UK marks on the form group) are left alone.
"""

from django.forms.boundfield import BoundField as DjangoBoundField
from django.forms.renderers import DjangoTemplates

# A GOV.UK component's class and the modifier that gives it the red border.
ERROR_MODIFIERS = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def with_error_modifier(classes):
    """`classes` (a class attribute's value) with the error modifier of the GOV.UK
    component it names, and no other component's."""
    names = classes.split()
    wanted = {ERROR_MODIFIERS[name] for name in names if name in ERROR_MODIFIERS}
    if not wanted:
        return classes
    kept = [name for name in names if name not in ERROR_MODIFIERS.values() or name in wanted]
    return " ".join(kept + sorted(wanted - set(kept)))


class BoundField(DjangoBoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            widget = widget or self.field.widget
            # A class given here replaces the widget's own, so start from the widget's.
            classes = attrs.get("class", widget.attrs.get("class", ""))
            marked = with_error_modifier(classes)
            if marked != classes:
                attrs["class"] = marked
        return attrs


class FormRenderer(DjangoTemplates):
    """Django's renderer, with the BoundField above for every form."""

    bound_field_class = BoundField
