"""Pages of the service as a whole: terms, notices, contact and errors."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from participants.data_protection.retention import retention_periods
from projects.models import Call


def privacy(request):
    return render(
        request,
        "stepchange/privacy.html",
        {
            "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
            "retention": retention_periods(),
            "call": Call.objects.current(),
        },
    )


def accessibility(request):
    return render(request, "stepchange/accessibility.html")


def cookies(request):
    return render(request, "stepchange/cookies.html")


def contact(request):
    return render(request, "stepchange/contact.html", {"call": Call.objects.current()})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """The service's own error page: 503 while the database is out of reach, else 500.

    Django calls this inside its exception handler, so the exception is at
    hand. Rendered without the request, so no context processor touches the
    database: whatever failed may fail again.
    """
    problem = sys.exc_info()[1]
    unavailable = isinstance(problem, (OperationalError, InterfaceError))
    html = loader.get_template("503.html" if unavailable else "500.html").render(
        {"service_name": settings.SERVICE_NAME}
    )
    if unavailable:
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(html)
