"""Reminder preferences and the signed unsubscribe link every reminder carries."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import User

UNSUBSCRIBE_SALT = "participants.unsubscribe"
# Which kind of reminder an unsubscribe link turns off: the User field it clears.
KINDS = {
    "applications": "reminders_about_applications",
    "programme": "programme_reminders",
}


def unsubscribe_url(user, kind):
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"user": user.pk, "kind": kind})
    return settings.SITE_URL + reverse("unsubscribe", kwargs={"token": token})


def reminder_headers(user, kind):
    """List-Unsubscribe headers, with one-click unsubscribe (RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def user_and_kind(token):
    """The user and reminder kind an unsubscribe link is for, or (None, None)."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None, None
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return None, None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    return (user, data["kind"]) if user else (None, None)


def unsubscribe(user, kind):
    setattr(user, KINDS[kind], False)
    user.save(update_fields=[KINDS[kind]])
