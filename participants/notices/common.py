"""What this app's notices share: placeholder descriptions, and the expression of
interest the admin previews them with.

In a preview, only links that would act for someone (the referee's answer, an
unsubscribe) are placeholders: whoever previews must not get a working one.
"""

from django.conf import settings
from django.urls import reverse

from stepchange.notices.registry import preview_sample, reason

from ..models import ExpressionOfInterest

# allauth's emails (adapters.py), written by allauth's templates.
ACCOUNT = reason("account", "Account email")

SITE_URL = "The portal's address, without a slash at the end."
CONTACT_EMAIL = "The coordination office's contact address for the call."
CLOSES = "When the call closes, a date and time: {{ closes|govuk_datetime }}."
APPLICATION_URL = "The address of the applicant's expression of interest."
UNSUBSCRIBE_URL = "The address that stops reminders like this one (may be empty)."
DAYS = "How many days are left: a number."


def application_url(eoi):
    return settings.SITE_URL + eoi.get_absolute_url()


# The admin previews every notice with an expression of interest the office
# names by its reference, or the latest sent (else the latest started).

PREVIEW_TOKEN = "preview"


@preview_sample
def find_preview_eoi(reference):
    eois = ExpressionOfInterest.objects.select_related("call", "applicant")
    if reference:
        return eois.filter(reference__iexact=reference).first()
    return (
        eois.filter(submitted_at__isnull=False).order_by("-submitted_at").first()
        or eois.order_by("-created_at").first()
    )


def with_answers(eoi):
    return (
        ExpressionOfInterest.objects.select_related("call", "applicant")
        .prefetch_related("project_interests__project", "conflicts__projects")
        .get(pk=eoi.pk)
    )


def reminder_days(call):
    offsets = call.reminder_offsets()
    return offsets[0] if offsets else 7


def preview_unsubscribe_url():
    return settings.SITE_URL + reverse("unsubscribe", kwargs={"token": PREVIEW_TOKEN})
