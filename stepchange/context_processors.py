from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from projects.models import Call
from workstreams.models import Workstream

# (label, url name, the URL namespaces or names that make it the current item)
NAVIGATION = [
    ("Home", "home", {"home"}),
    ("Workstreams", "workstreams:list", {"workstreams"}),
    ("Projects", "projects:list", {"projects"}),
    ("Timeline", "timeline", {"timeline"}),
    ("Participation and ethics", "participation", {"participation"}),
    ("Contact", "contact", {"contact"}),
]

FOOTER_LINKS = [
    ("Privacy notice", "privacy"),
    ("Accessibility statement", "accessibility"),
    ("Cookies", "cookies"),
    ("Contact", "contact"),
]


def _navigation(request):
    match = getattr(request, "resolver_match", None)
    here = {match.url_name, *match.namespaces} if match else set()
    return [
        {"text": text, "href": reverse(name), "current": bool(keys & here)}
        for text, name, keys in NAVIGATION
    ]


def _account_section(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if "participants" in match.namespaces:
        return "applications"
    if "workspace" in match.namespaces:
        return "workspace"
    return "account" if (match.url_name or "").startswith("account_") else ""


def service(request):
    """The service's name, navigation and current call, for every page."""
    return {
        "account_section": _account_section(request),
        "service_name": settings.SERVICE_NAME,
        "navigation": SimpleLazyObject(lambda: _navigation(request)),
        "footer_links": [{"text": text, "href": reverse(name)} for text, name in FOOTER_LINKS],
        # Lazy, so that pages which never show the call never query for it.
        "current_call": SimpleLazyObject(Call.objects.current),
        # Whether to offer "Your workstream": asked only on pages that show the header.
        "is_co_chair": SimpleLazyObject(
            lambda: Workstream.objects.chaired_by(request.user).exists()
        ),
    }
