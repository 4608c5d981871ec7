"""Erasing one's own account: the email address typed again, to confirm."""

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from stepchange.plain_text import PlainTextForm

from .base import gds_helper


class EraseAccountForm(PlainTextForm):
    email = forms.EmailField(
        label="Your email address",
        help_text="Type the email address you sign in with, to confirm.",
        error_messages={
            "required": "Enter your email address to confirm that you want to erase your account",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.helper = gds_helper(Field.text("email", field_width=Fluid.TWO_THIRDS), submit=None)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError("Enter the email address you sign in with")
        return email
