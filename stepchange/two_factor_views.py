"""The page that emails a code before a first authenticator app is added
(stepchange/two_factor_enrolment.py says why)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import ratelimit, two_factor_enrolment
from .roles import has_two_factor
from .two_factor_forms import EmailCodeForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_code(request):
    if has_two_factor(request.user):
        return redirect("mfa_index")
    if two_factor_enrolment.email_confirmed(request):
        return redirect(settings.TWO_FACTOR_SETUP_URL)
    address = two_factor_enrolment.verified_address(request.user)
    sending = request.method == "POST" and "send" in request.POST
    form = EmailCodeForm(
        request.POST if request.method == "POST" and not sending else None, request=request
    )
    if sending and address:
        try:
            two_factor_enrolment.send_code(request, address)
        except ratelimit.RateLimited as limited:
            return ratelimit.too_many(
                request, limited.retry_at, "You have asked for too many codes."
            )
        return redirect("two_factor_email_code")
    if form.is_bound and form.is_valid():
        return redirect(settings.TWO_FACTOR_SETUP_URL)
    return render(
        request,
        "stepchange/two_factor_email_code.html",
        {
            "form": form,
            "address": address,
            "code_pending": two_factor_enrolment.code_pending(request),
            "minutes": two_factor_enrolment.CODE_SECONDS // 60,
        },
    )
