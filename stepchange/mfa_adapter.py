"""allauth.mfa's error messages in GOV.UK words (MFA_ADAPTER in
stepchange/settings/accounts.py): say what went wrong and what to do."""

from allauth.mfa.adapter import DefaultMFAAdapter


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": ("You cannot add an email address while two-factor sign-in is set up"),
        "cannot_delete_authenticator": "You cannot remove your authenticator app",
        "cannot_generate_recovery_codes": (
            "Set up an authenticator app before you get recovery codes"
        ),
        "incorrect_code": "The code is not right. Check the code and try again",
        "unverified_email": ("Confirm your email address before you set up two-factor sign-in"),
    }
