"""Two-factor sign-in, checked per session: one answer for every gate.

An account's authenticator app says nothing about the session in hand: a
session signed in with the password before the app was added (elsewhere, by
anyone) never gave a code. So every gate in front of other people's personal
data asks `passed_two_factor(request)`, which reads what allauth recorded of
this session's own sign-in: the admin and the workspace (with their exports)
below, the in-confidence notes on a project's public page
(projects/views.py), and allauth's pages that show or remove a second factor.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.conf import settings
from django.contrib import messages
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from . import onward, two_factor_enrolment
from .roles import forget_two_factor, has_two_factor, is_privileged

# The areas where other people's personal data is seen, exports included.
PROTECTED_PREFIXES = ("/admin/", "/workspace/")
# allauth's pages that show, replace or remove a second factor: a session that did
# not pass one could otherwise read the recovery codes after typing the password.
GUARDED_PAGES = {
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes",
}
# What a person still has to do before a gate lets them through.
SET_UP, ENTER_CODE = "set_up", "enter_code"


def passed_two_factor(request):
    """Whether this session itself passed a second factor.

    True once the session gave a code from the authenticator app (or a recovery
    code) at sign-in, on allauth's "confirm it is you" page, or when it added
    the app (see `_count_the_new_app`): each leaves an "mfa" record in the
    session, kept for the user who signed in and dropped at sign-out.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def missing_second_factor(request):
    """None if the account has an authenticator app and this session passed a second
    factor; else what the person must do: SET_UP an app (also after removing theirs),
    or ENTER_CODE from the one they have."""
    if not has_two_factor(request.user):
        return SET_UP
    return None if passed_two_factor(request) else ENTER_CODE


def second_factor_url(missing, next_url):
    """Where a person goes to do what `missing` says, coming back to `next_url`."""
    # allauth's activation page (a first app needs an emailed code first, below) or
    # its page that asks for a code; each hands `next` on (stepchange/onward.py).
    page = settings.TWO_FACTOR_SETUP_URL if missing == SET_UP else "mfa_reauthenticate"
    return onward.with_next(reverse(page), next_url)


class RequireTwoFactorMiddleware:
    """Let only sessions that passed a second factor into the admin and the workspace
    (staff and co-chairs), and into the pages of a second factor; ask for an emailed
    code before anyone adds a first authenticator app."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PROTECTED_PREFIXES) and is_privileged(request.user):
            missing = missing_second_factor(request)
            if missing == SET_UP:
                messages.warning(
                    request,
                    "Set up two-factor sign-in with an authenticator app before you continue: "
                    "your role lets you see other people's personal data.",
                )
                return redirect(second_factor_url(missing, request.get_full_path()))
            if missing == ENTER_CODE:
                return self._ask_for_a_code(
                    request, "this part of the service shows other people's personal data"
                )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        name = request.resolver_match.view_name
        if name in GUARDED_PAGES and missing_second_factor(request) == ENTER_CODE:
            return self._ask_for_a_code(request, "this page changes or shows how you sign in")
        if name == settings.TWO_FACTOR_SETUP_URL and two_factor_enrolment.needs_email_code(request):
            return redirect(
                onward.with_next(reverse("two_factor_email_code"), onward.next_url(request))
            )
        return None

    @staticmethod
    def _ask_for_a_code(request, why):
        messages.warning(
            request,
            "Enter a code from your authenticator app to continue: you signed in "
            f"without one this time, and {why}.",
        )
        return redirect(second_factor_url(ENTER_CODE, request.get_full_path()))


@receiver(authenticator_added)
def _count_the_new_app(sender, request, user, authenticator, **kwargs):
    """Adding the app took a code from it, after the password and (for a first app)
    a code emailed to the account: the session has passed a second factor."""
    forget_two_factor(user)
    if request is not None:
        forget_two_factor(request.user)
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
    )
    two_factor_enrolment.forget(request)


@receiver(authenticator_removed)
def _forget_the_removed_app(sender, request, user, **kwargs):
    """The user read at the start of the request may say they still have the app."""
    forget_two_factor(user)
    if request is not None:
        forget_two_factor(request.user)
