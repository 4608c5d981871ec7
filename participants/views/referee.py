"""The referee's page: reached by a signed link from an email, with no account."""

from django.shortcuts import render

from stepchange import ratelimit

from .. import referees
from ..forms.base import submitted_data
from ..forms.referee import RefereeAnswerForm
from ..models import IllegalTransition


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
