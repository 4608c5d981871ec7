"""Reminder preferences: on the account page, and by a signed link with no sign-in."""

from crispy_forms_gds.layout import Field
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from stepchange.plain_text import PlainTextModelForm

from . import preferences
from .forms import gds_helper, submitted_data
from .models import User


class ReminderPreferencesForm(PlainTextModelForm):
    class Meta:
        model = User
        fields = ["reminders_about_applications", "programme_reminders"]
        labels = {
            "reminders_about_applications": "Remind me about my expressions of interest",
            "programme_reminders": "Remind me of the programme's closing dates and milestones",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.checkbox("reminders_about_applications"),
            Field.checkbox("programme_reminders"),
            submit="Save your preferences",
        )


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
