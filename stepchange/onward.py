"""Where a person was going before two-factor sign-in stopped them.

The gates (stepchange/two_factor.py) send a person to set up or enter a code with
`?next=` naming the page they asked for; each page of the detour (the emailed
code, adding the app, the recovery codes) hands it on, so that the last one
offers "Continue" back to the workspace or the admin.
"""

from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def next_url(request):
    """The request's `next` if it is a path on this site, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def with_next(url, onward):
    """`url` with `?next=onward`, or `url` alone when there is nowhere onward."""
    return f"{url}?{urlencode({'next': onward})}" if onward else url
