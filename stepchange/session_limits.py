"""Short sessions for staff and co-chairs: an idle timeout and an absolute lifetime."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.shortcuts import redirect, resolve_url
from django.utils.http import urlencode

from .roles import is_privileged

STARTED, SEEN = "_privileged_session_started", "_privileged_session_seen"
# Record activity at most this often, so that a busy page does not write the session each time.
SEEN_RESOLUTION = 60


@receiver(user_logged_in)
def start_the_clock(sender, request, user, **kwargs):
    """Note when the session began at sign-in, so that pages do not write it."""
    if request is not None and hasattr(request, "session"):
        request.session[STARTED] = request.session[SEEN] = time.time()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def end_the_sessions_of_a_deactivated_account(sender, instance, **kwargs):
    """A deactivated account is signed out everywhere at once, not at its next request."""
    if not instance.is_active:
        from allauth.usersessions.models import UserSession

        for user_session in UserSession.objects.filter(user=instance):
            user_session.end()


class PrivilegedSessionMiddleware:
    """End a privileged user's session after PRIVILEGED_SESSION_IDLE seconds without a
    request, or PRIVILEGED_SESSION_LIFETIME seconds after it began, whichever is first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_privileged(request.user):
            now = time.time()
            session = request.session
            started = session.setdefault(STARTED, now)
            seen = session.get(SEEN, now)
            idle = now - seen > settings.PRIVILEGED_SESSION_IDLE
            expired = now - started > settings.PRIVILEGED_SESSION_LIFETIME
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    "You were signed out because your session "
                    + ("was idle for too long." if idle else "reached its time limit.")
                    + " Sign in again to continue.",
                )
                login = resolve_url(settings.LOGIN_URL)
                return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            if now - seen >= SEEN_RESOLUTION or SEEN not in session:
                session[SEEN] = now
        return self.get_response(request)
