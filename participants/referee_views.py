"""The referee's page: reached by a signed link from an email, with no account."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.shortcuts import render

from stepchange import ratelimit
from stepchange.plain_text import PlainTextForm

from . import referees
from .forms import gds_helper, submitted_data
from .models import IllegalTransition


class RefereeAnswerForm(PlainTextForm):
    confirms = forms.ChoiceField(
        label="Can you confirm this?",
        choices=[("yes", "Yes, I can confirm this"), ("no", "No, I cannot confirm this")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if you can confirm who they are and where they work"
        },
    )
    comment = forms.CharField(
        label="Anything you want to add (optional)",
        # crispy-forms-gds 2.0.1 needs a hint on a character-counted textarea.
        help_text="For example, how long you have known them.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        error_messages={
            "max_length": "Your comment must be 1000 characters or fewer",
            "control_characters": "Your comment must not contain control characters",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("confirms", legend_size=Size.MEDIUM),
            Field.textarea("comment", max_characters=1000),
            submit="Send your answer",
        )


def answer(request, token):
    try:
        ratelimit.take_for(request, "referee-link", **referees.REFEREE_LINK_LIMITS)
    except ratelimit.RateLimited as limited:
        return ratelimit.too_many(
            request, limited.retry_at, "Referee links have been opened too often from your network."
        )
    try:
        eoi = referees.eoi_for_referee_token(token)
    except referees.InvalidRefereeLink as problem:
        return render(
            request,
            "participants/referee_invalid.html",
            {"expired": problem.expired},
            status=410 if problem.expired else 404,
        )
    try:
        referees.check_referee_is_not_applicant(eoi, request.user)
    except referees.RefereeIsApplicant as refused:
        return _not_applicant(request, eoi, refused)
    if referees.referee_has_answered(eoi):
        return render(request, "participants/referee_done.html", {"eoi": eoi, "already": True})
    form = RefereeAnswerForm(submitted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            referees.record_referee_answer(
                eoi,
                confirmed=form.cleaned_data["confirms"] == "yes",
                comment=form.cleaned_data["comment"],
                user=request.user,
            )
        except referees.RefereeIsApplicant as refused:
            return _not_applicant(request, eoi, refused)
        except IllegalTransition:
            return render(request, "participants/referee_done.html", {"eoi": eoi, "already": True})
        return render(request, "participants/referee_done.html", {"eoi": eoi})
    return render(request, "participants/referee_answer.html", {"eoi": eoi, "form": form})


def _not_applicant(request, eoi, refused):
    return render(
        request,
        "participants/referee_not_applicant.html",
        {"eoi": eoi, "signed_in_as_applicant": refused.signed_in_as_applicant},
        status=403,
    )
