"""A code emailed to the account before its first authenticator app is added.

Without it, whoever has the password alone could add their own app first and
then pass every two-factor gate as the account's owner. So allauth's
activation page (stepchange/two_factor.py sends people here) is reached only
by a session that typed a code sent to one of the account's verified
addresses in the last CONFIRMATION_SECONDS.

The code lives in the session that asked for it, as a keyed hash, and is
good for CODE_SECONDS and MAX_ATTEMPTS tries; an account is sent at most
CODES_PER_HOUR codes (counted in the cache, across sessions), so at most
MAX_ATTEMPTS * CODES_PER_HOUR guesses an hour at a million codes.
"""

import datetime
import secrets
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare, salted_hmac

from . import ratelimit
from .notices import occurrences
from .notices.outbox import queue_rendered
from .notices.registry import reason
from .roles import has_two_factor

SESSION_KEY = "two_factor_enrolment"
CODE_DIGITS = 6
CODE_SECONDS = 10 * 60
MAX_ATTEMPTS = 5
CODES_PER_HOUR = 5
# From typing the code to adding the app: time to install one.
CONFIRMATION_SECONDS = 30 * 60
TEMPLATE = "stepchange/email/two_factor_code"
# The code's email is written here, not by a notice type: only its reason is declared.
TWO_FACTOR_ENROLMENT = reason("two_factor_enrolment", "Code to set up two-factor sign-in")


class CodeRefused(Exception):
    """The code typed is not the one sent, or no longer good; the message says which."""


def _state(request):
    state = request.session.get(SESSION_KEY)
    # Kept for the user who asked: a sign-in as someone else in this browser starts again.
    if not isinstance(state, dict) or state.get("user") != str(request.user.pk):
        return {}
    return state


def _digest(user, code):
    return salted_hmac(SESSION_KEY, f"{user.pk}:{code}").hexdigest()


def email_confirmed(request):
    """Whether this session typed an emailed code for its user in the last CONFIRMATION_SECONDS."""
    confirmed_at = _state(request).get("confirmed_at")
    return confirmed_at is not None and time.time() - confirmed_at < CONFIRMATION_SECONDS


def needs_email_code(request):
    """Whether the signed-in user must type an emailed code before adding an app: when the
    account has none yet (every account: a stakeholder may become a co-chair or join a
    team, and keep the app added now)."""
    return not has_two_factor(request.user) and not email_confirmed(request)


def code_pending(request):
    """Whether a code was sent to this session and can still be typed."""
    state = _state(request)
    return (
        "digest" in state
        and time.time() - state["sent_at"] < CODE_SECONDS
        and state["attempts"] < MAX_ATTEMPTS
    )


def verified_address(user):
    """Where the code goes: the account's primary verified address, else another verified one."""
    return (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "email")
        .values_list("email", flat=True)
        .first()
    )


def send_code(request, address):
    """Email a new code to `address` and keep its hash in the session, replacing any earlier.

    Queues one notice in the outbox (reason TWO_FACTOR_ENROLMENT, declared here). Raises
    ratelimit.RateLimited, sending nothing, when the account has had
    CODES_PER_HOUR codes in the last hour.
    """
    user = request.user
    ratelimit.take(
        "two-factor-email-code",
        [f"user:{user.pk}"],
        limit=CODES_PER_HOUR,
        window=datetime.timedelta(hours=1),
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    context = {
        "code": code,
        "minutes": CODE_SECONDS // 60,
        "service_name": settings.SERVICE_NAME,
    }
    queue_rendered(
        reason=TWO_FACTOR_ENROLMENT,
        recipient=address,
        occurrence=occurrences.two_factor_code(),
        subject=f"{settings.SERVICE_NAME}: "
        + render_to_string(f"{TEMPLATE}_subject.txt", context).strip(),
        body_text=render_to_string(f"{TEMPLATE}.txt", context),
        body_html=render_to_string(f"{TEMPLATE}.html", context),
    )
    request.session[SESSION_KEY] = {
        "user": str(user.pk),
        "digest": _digest(user, code),
        "sent_at": time.time(),
        "attempts": 0,
    }


def confirm(request, code):
    """Mark the session as confirmed if `code` is the one sent to it; else count the try
    and raise CodeRefused."""
    state = _state(request)
    if "digest" not in state:
        raise CodeRefused("Send a code to your email address first")
    if time.time() - state["sent_at"] >= CODE_SECONDS:
        raise CodeRefused("The code has expired. Send a new code")
    if state["attempts"] >= MAX_ATTEMPTS:
        raise CodeRefused("You entered a wrong code too many times. Send a new code")
    if not constant_time_compare(state["digest"], _digest(request.user, code)):
        state["attempts"] += 1
        request.session[SESSION_KEY] = state
        if state["attempts"] >= MAX_ATTEMPTS:
            raise CodeRefused("You entered a wrong code too many times. Send a new code")
        raise CodeRefused("The code is not right. Check the email and try again")
    # The code works once: what is kept now is only when it was typed.
    request.session[SESSION_KEY] = {"user": state["user"], "confirmed_at": time.time()}


def forget(request):
    """Drop the code and the confirmation, once the app is added."""
    request.session.pop(SESSION_KEY, None)
