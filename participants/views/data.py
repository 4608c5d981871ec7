"""The stakeholder's own data: see it, download it, erase the account (UK GDPR)."""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ..data_protection.erasure import erase_account
from ..data_protection.subject_access import subject_access
from ..forms.base import submitted_data
from ..forms.your_data import EraseAccountForm

# Set in the new, signed-out session once the account is gone, so that the
# confirmation page shows only to the person who has just erased theirs.
ERASED_SESSION_KEY = "account_erased"


def _may_erase(user):
    return not (user.is_staff or user.is_superuser)


@never_cache
@login_required
def your_data(request):
    _, sections = subject_access(request.user)
    return render(
        request,
        "participants/your_data.html",
        {"sections": sections, "may_erase": _may_erase(request.user)},
    )


@never_cache
@login_required
def your_data_json(request):
    data, _ = subject_access(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="your-data-{stamp}.json"'
    return response


# The person confirms their password first (allauth's reauthentication, good
# for a few minutes; a POST after that is held, then carried out): nobody
# erases an account from a session left open on a shared computer.
@never_cache
@login_required
@reauthentication_required
def erase(request):
    if not _may_erase(request.user):
        return render(request, "participants/your_data_erase_refused.html", status=403)
    form = EraseAccountForm(submitted_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        erase_account(request.user)
        logout(request)
        request.session[ERASED_SESSION_KEY] = True
        return redirect("account_erased")
    return render(request, "participants/your_data_erase.html", {"form": form})


def erased(request):
    if not request.session.pop(ERASED_SESSION_KEY, False):
        return redirect("home")
    return render(request, "participants/your_data_erased.html")
