"""Accounts: passwords, allauth (email is the login), two factors and sessions."""

from .environment import SERVICE_NAME, env

AUTH_USER_MODEL = "participants.User"
# Django's and allauth's, reading the signed-in user with their roles and their
# two-factor state in one query (stepchange/auth_backend.py).
AUTHENTICATION_BACKENDS = [
    "stepchange.auth_backend.ModelBackend",
    "stepchange.auth_backend.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the login, and it must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {}  # allauth's defaults; an empty dict keeps them on
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SERVICE_NAME}: "
# allauth's emails go through the outbox (participants/adapters.py).
ACCOUNT_ADAPTER = "participants.adapters.AccountAdapter"
# Signed in, people come back to what they were doing: their applications.
LOGIN_REDIRECT_URL = "participants:applications"
LOGIN_URL = "/accounts/login/"

# Two-factor sign-in (allauth.mfa): an authenticator app, with recovery codes.
# Required of staff and co-chairs (stepchange/two_factor.py); others may opt in.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Step-Change Programme"
# A code read off the app just before its 30 seconds run out still works when
# it arrives in the next (RFC 6238's one step of drift); allauth refuses any
# code a second time. With 0, a code typed at second 28 failed.
MFA_TOTP_TOLERANCE = 1
TWO_FACTOR_SETUP_URL = "mfa_activate_totp"
# allauth.mfa's code boxes and error messages in GOV.UK words (stepchange/mfa_forms.py,
# stepchange/mfa_adapter.py); its pages are templates/mfa/.
MFA_ADAPTER = "stepchange.mfa_adapter.MFAAdapter"
MFA_FORMS = {
    name: f"stepchange.mfa_forms.{form}"
    for name, form in [
        ("authenticate", "AuthenticateForm"),
        ("reauthenticate", "ReauthenticateForm"),
        ("activate_totp", "ActivateTOTPForm"),
    ]
}
# Staff's and co-chairs' sessions: ended after this long idle, and this long in all.
PRIVILEGED_SESSION_IDLE = env.int("PRIVILEGED_SESSION_IDLE", default=30 * 60)
PRIVILEGED_SESSION_LIFETIME = env.int("PRIVILEGED_SESSION_LIFETIME", default=12 * 60 * 60)
# Everyone's sessions end when the browser closes, and after two weeks at most.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions are listed with where and when they began; last activity is not written
# on every request.

# allauth page settings
# One email address per account, changed by confirming the new one: the new
# address replaces the old only when its owner follows the link emailed to it.
ACCOUNT_CHANGE_EMAIL = True
# allauth's forms with GOV.UK labels and error messages (stepchange/account_forms.py).
ACCOUNT_FORMS = {
    name: f"stepchange.account_forms.{form}"
    for name, form in [
        ("login", "LoginForm"),
        ("reset_password", "ResetPasswordForm"),
        ("reset_password_from_key", "ResetPasswordKeyForm"),
        ("change_password", "ChangePasswordForm"),
        ("set_password", "SetPasswordForm"),
        ("add_email", "AddEmailForm"),
        ("reauthenticate", "ReauthenticateForm"),
    ]
}
# Sign-up asks for the full name too: the account's fields are the participants app's.
ACCOUNT_FORMS["signup"] = "participants.forms.names.SignupForm"
