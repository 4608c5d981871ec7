"""Your name: asked once of an account made before sign-up asked for it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from ..forms.base import submitted_data
from ..forms.names import YourNameForm


def _next_url(request):
    """Where the person was going: a path on this site, or nothing."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def _onwards(next_url):
    return HttpResponseRedirect(next_url) if next_url else redirect("participants:applications")


@login_required
def your_name(request):
    """Sign-in sends an account with no name here (participants/adapters.py); it
    goes on to where it was going once the name is saved."""
    next_url = _next_url(request)
    if request.user.full_name and request.method != "POST":
        return _onwards(next_url)
    form = YourNameForm(submitted_data(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _onwards(next_url)
    return render(request, "participants/your_name.html", {"form": form, "next_url": next_url})
