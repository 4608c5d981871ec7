"""The security headers Django's own middleware does not send.

Django 5.2 has no Content-Security-Policy of its own. Ours is one fixed policy
with no nonces (the portal, allauth's pages and the admin load every script
from a file), so a constant header here is all it takes; django-csp would add a
dependency and settings for features we do not use. Django 6.0's SECURE_CSP
can replace it once the portal requires 6.0.
"""

from django.utils.cache import add_never_cache_headers

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # allauth shows the authenticator app's QR code as a data: image.
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# The admin's notice preview shows the email in a sandboxed srcdoc iframe, which
# inherits the page's policy; an email's styles are style attributes, so this one
# page allows those (and still no <style> elements and no scripts).
INLINE_STYLE_ATTRIBUTE_VIEWS = {
    "admin:stepchange_noticetemplate_preview",
    "admin:stepchange_noticetemplate_preview_new",
}

# Features no page of the portal uses, refused to the page and any frame in it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
)

# Pages under these paths show someone's own data (or let staff see everyone's),
# signed in or not (a referee's or an unsubscribe link works without signing in).
PERSONAL_PATHS = (
    "/applications/",
    "/accounts/",
    "/workspace/",
    "/admin/",
    "/referee/",
    "/unsubscribe/",
)


def _policy(directives):
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Send the Content-Security-Policy and Permissions-Policy on every response,
    and forbid any cache (the browser's back button included) to keep a page that
    shows personal data: every response to a signed-in user and every response
    under PERSONAL_PATHS."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = _policy(CONTENT_SECURITY_POLICY)
        self.policy_with_style_attributes = _policy(
            {**CONTENT_SECURITY_POLICY, "style-src-attr": "'unsafe-inline'"}
        )

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in INLINE_STYLE_ATTRIBUTE_VIEWS:
            response.headers["Content-Security-Policy"] = self.policy_with_style_attributes
        else:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path_info.startswith(PERSONAL_PATHS) or _signed_in(request):
            add_never_cache_headers(response)
        return response


def _signed_in(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
