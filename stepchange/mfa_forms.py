"""allauth.mfa's forms in GOV.UK words: the code boxes of two-factor sign-in.

A code box is as wide as a code (GOV.UK's width-10 input: the app's 6 digits or
a recovery code's 8), offers the code the phone just received
(autocomplete="one-time-code"), and brings up the number keypad
(inputmode="numeric"). Checking the code is allauth's; MFA_FORMS in
stepchange/settings/accounts.py names these classes, and
stepchange.mfa_adapter words the message for a wrong code.
"""

from allauth.mfa.base import forms as base_forms
from allauth.mfa.totp import forms as totp_forms

from .account_forms import GovukWordsMixin

CODE_INPUT = {
    "class": "govuk-input--width-10",
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
}
APP_CODE = ("Code from your authenticator app", "Enter the code from your authenticator app")


class CodeInputMixin(GovukWordsMixin):
    """GOV.UK words for the code field, in a box the width of a code."""

    hint = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.widget.attrs = {**CODE_INPUT}
        code.help_text = self.hint


SIGN_IN_CODE = ("Code", "Enter the code from your authenticator app, or a recovery code")
SIGN_IN_HINT = (
    "Enter the 6-digit code your authenticator app shows now. If you cannot use the app, "
    "enter one of your recovery codes."
)


class AuthenticateForm(CodeInputMixin, base_forms.AuthenticateForm):
    """The code asked for at sign-in, after the password."""

    words = {"code": SIGN_IN_CODE}
    hint = SIGN_IN_HINT


class ReauthenticateForm(CodeInputMixin, base_forms.ReauthenticateForm):
    """The code asked for again: before the admin or the workspace when this session
    signed in without one, and before a change to how you sign in."""

    words = {"code": SIGN_IN_CODE}
    hint = SIGN_IN_HINT


class ActivateTOTPForm(CodeInputMixin, totp_forms.ActivateTOTPForm):
    """The first code from a newly added app: it shows the app is set up."""

    words = {"code": APP_CODE}
    hint = "The app shows a 6-digit code, which changes every 30 seconds."
