"""The form that takes the code emailed before a first authenticator app is added."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from . import two_factor_enrolment
from .plain_text import PlainTextForm


class EmailCodeForm(PlainTextForm):
    code = forms.CharField(
        label="Code from the email",
        help_text=f"The code has {two_factor_enrolment.CODE_DIGITS} numbers, like 012345.",
        error_messages={"required": "Enter the code from the email"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("code", field_width=5, label_size=Size.SMALL),
            Button("confirm", "Continue"),
        )

    def clean_code(self):
        # People copy codes with spaces, or type them in groups of three.
        code = "".join(self.cleaned_data["code"].split())
        digits = two_factor_enrolment.CODE_DIGITS
        if not (code.isascii() and code.isdigit() and len(code) == digits):
            raise forms.ValidationError(f"Enter the {digits} numbers from the email")
        try:
            two_factor_enrolment.confirm(self.request, code)
        except two_factor_enrolment.CodeRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return code
