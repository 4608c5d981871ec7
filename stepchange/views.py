"""Pages of the service as a whole: terms, notices, contact and errors."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from projects.models import Call


def privacy(request):
    return render(
        request,
        "stepchange/privacy.html",
        {"privacy_notice_version": settings.PRIVACY_NOTICE_VERSION},
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
    # Rendered without the request, so no context processor touches the
    # database: whatever failed may fail again.
    html = loader.get_template("500.html").render({"service_name": settings.SERVICE_NAME})
    return HttpResponseServerError(html)
