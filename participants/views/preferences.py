"""Reminder preferences: on the account page, and by a signed link with no sign-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from .. import preferences
from ..forms.base import submitted_data
from ..forms.preferences import ReminderPreferencesForm


@login_required
def reminder_preferences(request):
    form = ReminderPreferencesForm(submitted_data(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your reminder preferences are saved.")
        return redirect("account_reminders")
    return render(request, "participants/reminder_preferences.html", {"form": form})


# Mail programs unsubscribe with a POST that carries no CSRF token (RFC 8058);
# the signed token in the address is what authorises it.
@csrf_exempt
def unsubscribe(request, token):
    user, kind = preferences.user_and_kind(token)
    if user is None:
        return render(request, "participants/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        preferences.unsubscribe(user, kind)
        return render(request, "participants/unsubscribe_done.html", {"kind": kind})
    return render(request, "participants/unsubscribe.html", {"kind": kind})
