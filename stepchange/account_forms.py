"""allauth's account forms in GOV.UK words.

Labels in sentence case, and messages for an empty or malformed field that say
what to do, as the GOV.UK error message component asks. The forms' behaviour
is allauth's own; ACCOUNT_FORMS in stepchange/settings/accounts.py names these classes.
"""

from allauth.account import forms as allauth_forms
from django import forms
from django.core import validators

from .plain_text import PlainTextMixin

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = f"Your email address must be {EMAIL_MAX_LENGTH} characters or fewer"


class GovukWordsMixin(PlainTextMixin):
    """Relabel fields and reword their errors after allauth has built them.

    words maps a field's name to its label and the message when it is left
    empty (None for a field that may be left empty).
    """

    words: dict[str, tuple[str, str | None]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, required) in self.words.items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.label = label
            if required:
                field.error_messages["required"] = required
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = EMAIL_FORMAT
                # allauth's email fields take any length; the address is kept (and
                # the outbox's notices addressed) in a column of 254 characters.
                field.max_length = EMAIL_MAX_LENGTH
                field.validators.append(validators.MaxLengthValidator(EMAIL_MAX_LENGTH))
                field.error_messages["max_length"] = EMAIL_TOO_LONG


class LoginForm(GovukWordsMixin, allauth_forms.LoginForm):
    words = {
        "login": ("Email address", "Enter your email address"),
        "password": ("Password", "Enter your password"),
        "remember": ("Remember me on this device", None),
    }


class SignupForm(GovukWordsMixin, allauth_forms.SignupForm):
    words = {
        "email": ("Email address", "Enter your email address"),
        "password1": ("Create a password", "Enter a password"),
        "password2": ("Confirm your password", "Enter your password again"),
    }


class ResetPasswordForm(GovukWordsMixin, allauth_forms.ResetPasswordForm):
    words = {"email": ("Email address", "Enter your email address")}


class ResetPasswordKeyForm(GovukWordsMixin, allauth_forms.ResetPasswordKeyForm):
    words = {
        "password1": ("New password", "Enter a new password"),
        "password2": ("Confirm your new password", "Enter your new password again"),
    }


class ChangePasswordForm(GovukWordsMixin, allauth_forms.ChangePasswordForm):
    words = {
        "oldpassword": ("Current password", "Enter your current password"),
        "password1": ("New password", "Enter a new password"),
        "password2": ("Confirm your new password", "Enter your new password again"),
    }


class SetPasswordForm(GovukWordsMixin, allauth_forms.SetPasswordForm):
    words = {
        "password1": ("Password", "Enter a password"),
        "password2": ("Confirm your password", "Enter your password again"),
    }


class AddEmailForm(GovukWordsMixin, allauth_forms.AddEmailForm):
    words = {"email": ("New email address", "Enter your new email address")}


class ReauthenticateForm(GovukWordsMixin, allauth_forms.ReauthenticateForm):
    words = {"password": ("Password", "Enter your password")}
