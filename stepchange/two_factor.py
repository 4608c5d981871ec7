"""Two-factor sign-in is required of staff and co-chairs before the admin or the workspace."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from .roles import has_two_factor, is_privileged

# The areas where other people's personal data is seen.
PROTECTED_PREFIXES = ("/admin/", "/workspace/")


class RequireTwoFactorMiddleware:
    """Send a staff member or co-chair without an authenticator app to set one up.

    allauth.mfa then asks for a code at every sign-in; the admin's own login
    goes through allauth (stepchange/urls.py), so nobody reaches these areas
    on a password alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(PROTECTED_PREFIXES)
            and is_privileged(request.user)
            and not has_two_factor(request.user)
        ):
            messages.warning(
                request,
                "Set up two-factor sign-in with an authenticator app before you continue: "
                "your role lets you see other people's personal data.",
            )
            return redirect(settings.TWO_FACTOR_SETUP_URL)
        return self.get_response(request)
