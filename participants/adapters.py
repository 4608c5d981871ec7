from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.defaultfilters import linebreaks_filter, urlize
from django.utils.html import escape

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


class AccountAdapter(DefaultAccountAdapter):
    """allauth, with its emails sent through the outbox like every other email,
    and the client's address from the one function every rate limit uses."""

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
