"""Two-factor sign-in's pages of our own: the page that emails a code before a
first authenticator app is added (stepchange/two_factor_enrolment.py says why),
and allauth's pages that add the app and show the recovery codes, handing on
where the person was going (stepchange/onward.py)."""

from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from . import onward, ratelimit, two_factor_enrolment
from .roles import has_two_factor
from .two_factor_forms import EmailCodeForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_code(request):
    going_to = onward.next_url(request)
    if has_two_factor(request.user):
        return redirect(onward.with_next(reverse("mfa_index"), going_to))
    setup_url = onward.with_next(reverse(settings.TWO_FACTOR_SETUP_URL), going_to)
    if two_factor_enrolment.email_confirmed(request):
        return redirect(setup_url)
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
        return redirect(onward.with_next(reverse("two_factor_email_code"), going_to))
    if form.is_bound and form.is_valid():
        return redirect(setup_url)
    return render(
        request,
        "stepchange/two_factor_email_code.html",
        {
            "form": form,
            "address": address,
            "code_pending": two_factor_enrolment.code_pending(request),
            "minutes": two_factor_enrolment.CODE_SECONDS // 60,
            "next_url": going_to,
        },
    )


class ActivateAppView(ActivateTOTPView):
    """allauth's page that adds an authenticator app, handing `next` on to the
    recovery codes that follow it."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next_url": onward.next_url(self.request)}

    def get_success_url(self):
        return onward.with_next(super().get_success_url(), onward.next_url(self.request))


class RecoveryCodesView(ViewRecoveryCodesView):
    """allauth's recovery codes, with "Continue" to where the person was going (after
    adding an app: the workspace or the admin), else back to two-factor sign-in."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "continue_url": onward.next_url(self.request) or reverse("mfa_index"),
        }


activate_app = ActivateAppView.as_view()
recovery_codes = RecoveryCodesView.as_view()
