"""Requests holding a NUL character are refused before any view sees them.

PostgreSQL cannot store a NUL and refuses any query that holds one, so a NUL
that reaches a lookup (an admin search, an autocomplete, a reference in a
URL, a session key from a cookie) is a server error. No person types one, and
no page needs one: the portal answers 400 with its own page, whichever view
the request was for, so that no view has to remember. The URL arguments that
name things (references, project codes) are guarded again by their path
converters (stepchange/converters.py), which admit only their own form; this
middleware is what sees the rest: query strings, forms, cookies and headers.
"""

import logging

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template import loader

NUL = "\x00"
logger = logging.getLogger("stepchange.security")


def nul_in(request):
    """Where the request holds a NUL ("path", "query string", ...), or None."""
    if NUL in request.path or NUL in request.path_info:
        return "path"
    parts = [("query string", request.GET), ("cookies", request.COOKIES)]
    if request.method == "POST":
        # Read here as the CSRF check would read it: once, then kept on the request.
        parts.append(("form", request.POST))
        # Django strips unprintable characters from an upload's file name, not its field's.
        if any(NUL in name for name in request.FILES):
            return "form"
    for where, values in parts:
        for name, value in _items(values):
            if NUL in name or NUL in value:
                return where
    headers = (value for name, value in request.META.items() if name.startswith("HTTP_"))
    if any(NUL in str(value) for value in headers):
        return "headers"
    return None


def _items(values):
    lists = values.lists() if hasattr(values, "lists") else ((k, [v]) for k, v in values.items())
    return ((name, value) for name, many in lists for value in many)


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = nul_in(request)
        if where is None:
            return self.get_response(request)
        logger.warning(
            "refused %s %s with 400: a NUL character in the %s",
            request.method,
            request.path.replace(NUL, "%00"),
            where,
        )
        # Rendered without the request: its session cookie may be the part with the NUL.
        html = loader.get_template("400.html").render({"service_name": settings.SERVICE_NAME})
        return HttpResponseBadRequest(html)
