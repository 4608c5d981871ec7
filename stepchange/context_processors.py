"""What every page's header and footer need from the core.

The feature apps add their own: projects.context_processors.current_call (the
call the header and contact details speak of), workstreams.context_processors.
co_chair (whether to offer "Your workstream"); settings lists them all.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

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


# The account menu's sections, by the path of the page a person is on or on the
# way to. allauth's pages (and the emailed code before an authenticator app)
# belong to the account settings, unless they stand between the person and
# their workstream or applications: a co-chair who clicked "Your workstream"
# and is asked for a code is still in their workstream.
ACCOUNT_SECTIONS = [("/workspace/", "workspace"), ("/applications/", "applications")]
ACCOUNT_PAGES = ("account_", "mfa_", "two_factor_")


def _section_of(path):
    return next((section for prefix, section in ACCOUNT_SECTIONS if path.startswith(prefix)), "")


def _account_section(request):
    """Which item of the account menu is current: "workspace", "applications",
    "account" (the account settings, two-factor sign-in included) or ""."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if "participants" in match.namespaces:
        return "applications"
    if "workspace" in match.namespaces:
        return "workspace"
    if not (match.url_name or "").startswith(ACCOUNT_PAGES):
        return ""
    going_to = request.GET.get("next", "")
    if going_to.startswith("/") and not going_to.startswith("//"):
        return _section_of(going_to) or "account"
    return "account"


def service(request):
    """The service's name, navigation and footer, for every page."""
    return {
        "account_section": _account_section(request),
        "service_name": settings.SERVICE_NAME,
        "navigation": SimpleLazyObject(lambda: _navigation(request)),
        "footer_links": [{"text": text, "href": reverse(name)} for text, name in FOOTER_LINKS],
    }
