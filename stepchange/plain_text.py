"""Typed text refuses control characters; a one-line field refuses line breaks too.

A name with a CR/LF in it was once accepted, and then failed the referee's
email for good (a header cannot hold a line break). So every text field a
person can type into refuses, with a GOV.UK error message naming the field:

- a one-line field (a text, email, URL or telephone input): the C0 controls
  (tab, CR and LF among them), DEL, the C1 controls, and Unicode's line and
  paragraph separators (U+2028, U+2029);
- a textarea: the same, except the tab, CR and LF a paragraph holds, and the
  two separators.

NUL is among them, so this replaces Django's own "Null characters are not
allowed". Passwords are left alone: they are hashed, never shown or sent.

Every form of the portal inherits PlainTextMixin (through PlainTextForm or
PlainTextModelForm, or beside another base); the admin's forms get the same
validator through stepchange.admin_site. tests/stepchange/test_plain_text.py
walks every form class and every admin form, so a new one is covered or fails.
"""

import re

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.forms.utils import pretty_name
from django.utils.text import capfirst

CODE = "control_characters"
ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class NoControlCharacters(RegexValidator):
    """Refuses control characters, and on a one-line field line breaks too."""

    def __init__(self, message, *, multiline=False):
        self.multiline = multiline
        super().__init__(
            MULTI_LINE if multiline else ONE_LINE, message, code=CODE, inverse_match=True
        )


def has_control_characters(value, *, multiline=False):
    """Whether `value` holds what the validator refuses."""
    return bool((MULTI_LINE if multiline else ONE_LINE).search(value))


def is_typed_text(field):
    """A field a person types text into: a CharField (email, URL and slug fields
    are CharFields too) other than a password."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


def message(what, *, multiline=False):
    refused = "control characters" if multiline else "line breaks or control characters"
    return f"{what} must not contain {refused}"


def guard_field(field, what):
    """Give one text field the validator (once), in place of Django's NUL check."""
    if not is_typed_text(field) or any(
        isinstance(validator, NoControlCharacters) for validator in field.validators
    ):
        return field
    multiline = isinstance(field.widget, forms.Textarea)
    text = field.error_messages.get(CODE) or message(what, multiline=multiline)
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, ProhibitNullCharactersValidator)
    ]
    field.validators.append(NoControlCharacters(text, multiline=multiline))
    return field


def _what(form, name, field):
    """The field's name for its message: its label, or for a label that asks a
    question, the model field's name ("Which sector?" is "Other sector")."""
    label = str(field.label or pretty_name(name)).removesuffix(" (optional)").strip()
    if not label.endswith("?"):
        return label
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except (AttributeError, FieldDoesNotExist):
        return label


def guard(form):
    """Give every text field of a form instance the validator."""
    for name, field in form.fields.items():
        guard_field(field, _what(form, name, field))


class PlainTextMixin:
    """A form whose text fields refuse control characters (see the module's docstring).

    The fields are guarded when the form is cleaned, so fields a form adds in
    its own __init__ are guarded too; a field whose value holds control
    characters shows that one message, not the format errors that follow from it.
    """

    def full_clean(self):
        guard(self)
        super().full_clean()
        for errors in self._errors.values():
            refused = [error for error in errors.as_data() if error.code == CODE]
            if refused and len(refused) < len(errors):
                errors.data = refused


class PlainTextForm(PlainTextMixin, forms.Form):
    pass


class PlainTextModelForm(PlainTextMixin, forms.ModelForm):
    pass
