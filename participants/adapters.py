from urllib.parse import parse_qs, urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaks_filter, urlize
from django.urls import Resolver404, resolve, reverse
from django.utils.html import escape

from projects.models import Call
from stepchange.client_address import client_address
from stepchange.notices import occurrences
from stepchange.notices.outbox import queue_rendered

from .notices import ACCOUNT


def html_from_text(text):
    """An HTML part for a plain-text email: its paragraphs, with links."""
    body = linebreaks_filter(urlize(escape(text), autoescape=False), autoescape=False)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"></head>'
        '<body style="font-family: helvetica, arial, sans-serif; font-size: 16px; '
        f'color: #0b0c0c;">{body}</body></html>'
    )


def project_chosen_in(url):
    """The current call's project that an "Express interest" address names
    (/applications/express-interest/?project=CP1), or None."""
    if not url:
        return None
    parts = urlsplit(url)
    try:
        if resolve(parts.path).view_name != "participants:express_interest":
            return None
    except Resolver404:
        return None
    code = parse_qs(parts.query).get("project", [""])[0]
    call = Call.objects.current()
    if not code or "\x00" in code or call is None:
        return None
    return call.projects.filter(code__iexact=code).first()


def express_interest_url(project):
    return f"{reverse('participants:express_interest')}?{urlencode({'project': project.code})}"


class AccountAdapter(DefaultAccountAdapter):
    """allauth, with its emails sent through the outbox like every other email,
    the client's address from the one function every rate limit uses, the
    person's name asked for, and the project chosen before signing up kept."""

    def save_user(self, request, user, form, commit=True):
        user.full_name = form.cleaned_data.get("full_name", "")
        # The project whose "Express interest" led here travels in `next`, but the
        # email may be confirmed in another browser, whose session knows nothing:
        # so the account keeps it until the person next signs in.
        user.pending_project = project_chosen_in(get_next_redirect_url(request))
        return super().save_user(request, user, form, commit)

    def get_login_redirect_url(self, request):
        # Used when the sign-in carries no `next` of its own.
        project = request.user.pending_project
        return express_interest_url(project) if project else super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        project = request.user.pending_project if request.user.is_authenticated else None
        return (
            express_interest_url(project) if project else super().get_signup_redirect_url(request)
        )

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # An account made before sign-up asked for a name is asked for it once,
        # then goes where it was going.
        if not user.full_name and isinstance(response, HttpResponseRedirect):
            next_url = urlencode({"next": response.url})
            return HttpResponseRedirect(f"{reverse('account_name')}?{next_url}")
        return response

    def get_client_ip(self, request):
        # allauth's rate limits and the address stored with each session.
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    @transaction.atomic
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        user = context.get("user")
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        queue_rendered(
            reason=ACCOUNT,
            recipient=email,
            # Each account email is its own event, named by the account it was
            # sent for, so that erasing the account erases it (data_protection).
            occurrence=occurrences.account_email(
                getattr(user, "pk", None), template_prefix.rsplit("/", 1)[-1]
            ),
            subject=message.subject,
            body_text=message.body,
            body_html=html or html_from_text(message.body),
        )

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth leaves the account out of a notification's context; send_mail
        # needs it to name the account in the occurrence.
        context = {"user": user, **(context or {})}
        return super().send_notification_mail(template_prefix, user, context, email)
