"""No page is wider than the screen: every page of the portal at 375 px (a phone)
and 1,280 px (a laptop), and the admin pages the office uses every day at 1,280
and 1,400 px, each as the person who uses it.

The portal's pages come from the URL resolver, so a new URL is either visited
here (PAGES says who visits it) or excused with a reason (EXCUSED); one that is
neither fails test_every_url_is_visited_or_excused. A page is loaded once, at
the narrow width, then the window is widened: one load a page, one browser
context a person.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from participants import referees
from participants.preferences import unsubscribe_url
from participants.sections import SECTIONS
from tests.factories import (
    ConflictOfInterestFactory,
    ExpressionOfInterestFactory,
    ProjectInterestFactory,
    UserFactory,
    login_with_two_factor,
)

ANONYMOUS, APPLICANT, DRAFTER, CO_CHAIR, OFFICE, UNNAMED = (
    "anonymous",
    "applicant with a sent EOI",
    "stakeholder with a draft EOI",
    "co-chair",
    "coordination office",
    "stakeholder whose account has no name",
)

# Who looks at each page: a URL name (as reversed) and the people who see it.
PAGES = {
    "home": [ANONYMOUS],
    "timeline": [ANONYMOUS],
    "participation": [ANONYMOUS],
    "workstreams:list": [ANONYMOUS],
    "workstreams:detail": [ANONYMOUS],
    "projects:list": [ANONYMOUS],
    "projects:detail": [ANONYMOUS],
    "projects:question": [ANONYMOUS],
    "projects:question_sent": [ANONYMOUS],
    "privacy": [ANONYMOUS],
    "accessibility": [ANONYMOUS],
    "cookies": [ANONYMOUS],
    "contact": [ANONYMOUS],
    "referee:answer": [ANONYMOUS],
    "unsubscribe": [ANONYMOUS],
    "account_login": [ANONYMOUS],
    "account_signup": [ANONYMOUS],
    "account_inactive": [ANONYMOUS],
    "account_email_verification_sent": [ANONYMOUS],
    "account_confirm_email": [ANONYMOUS],
    "account_reset_password": [ANONYMOUS],
    "account_reset_password_done": [ANONYMOUS],
    "account_reset_password_from_key": [ANONYMOUS],
    "account_reset_password_from_key_done": [ANONYMOUS],
    "participants:applications": [APPLICANT],
    "participants:task_list": [APPLICANT, DRAFTER],
    "participants:check_answers": [DRAFTER],
    "participants:confirmation": [APPLICANT],
    "participants:withdraw": [APPLICANT],
    "participants:add_conflict": [DRAFTER],
    "participants:section": [DRAFTER],  # every section: see urls_for()
    "account_reminders": [APPLICANT],
    "account_name": [UNNAMED],
    "account_your_data": [APPLICANT],
    "account_email": [APPLICANT],
    "account_change_password": [APPLICANT],
    "account_logout": [APPLICANT],
    "account_reauthenticate": [APPLICANT],
    "account_request_reauthentication_code": [APPLICANT],
    "two_factor_email_code": [APPLICANT],
    "mfa_index": [APPLICANT],
    "usersessions_list": [APPLICANT],
    "mfa_reauthenticate": [CO_CHAIR],
    "workspace:interests": [CO_CHAIR],
    "workspace:workstream": [CO_CHAIR],
    "workspace:project": [CO_CHAIR],
    "workspace:project_edit": [CO_CHAIR],
    "workspace:revisions": [CO_CHAIR],
    "workspace:compare": [CO_CHAIR],  # with two revisions chosen: see urls_for()
    "workspace:applicants": [CO_CHAIR],
    "workspace:applicant": [CO_CHAIR],
    "workspace:team": [CO_CHAIR],
}

EXCUSED = {
    "health": "JSON for the monitoring, not a page",
    "account_your_data_json": "a JSON download",
    "workspace:applicants_csv": "a CSV download",
    "workspace:interest_remove": "POST only",
    "participants:remove_conflict": "POST only",
    "participants:express_interest": "starts an EOI and redirects to its task list (visited)",
    "workspace:home": "redirects to the co-chair's workstream (visited)",
    "admin_dashboard": "an office page under /admin/: checked with the admin pages below",
    "account_confirm_login_code": "sign-in codes are off: redirects to sign in",
    "account_confirm_reauthentication_code": "redirects to the code request (visited)",
    "account_set_password": "every account has a password: redirects to change it (visited)",
    "account_erase": "asks for the password again first (account_reauthenticate, visited)",
    "account_erased": "shown once, after an erasure; redirects otherwise",
    "mfa_authenticate": "only halfway through a sign-in; test_two_factor.py goes through it",
    "mfa_activate_totp": "redirects to the emailed code first (two_factor_email_code, visited)",
    "mfa_deactivate_totp": "asks for the code again first (mfa_reauthenticate, visited)",
    "mfa_generate_recovery_codes": "asks for the code again first (mfa_reauthenticate, visited)",
    "mfa_view_recovery_codes": "recovery codes are off",
    "mfa_download_recovery_codes": "recovery codes are off",
}

# The admin pages the office works in every day, by URL name and arguments.
ADMIN_PAGES = [
    ("admin:index", ()),
    ("admin_dashboard", ()),
    ("admin:participants_expressionofinterest_changelist", ()),
    ("admin:participants_expressionofinterest_change", ("eoi",)),
    ("admin:participants_decision_changelist", ()),
    ("admin:participants_user_changelist", ()),
    ("admin:projects_project_changelist", ()),
    ("admin:stepchange_notice_changelist", ()),
]

NARROW, WIDE = 375, 1280
ADMIN_WIDTHS = (1280, 1400)


def url_patterns(patterns=None, prefix=None):
    """(name as reversed, pattern) for every URL pattern outside the admin's own."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            namespace = entry.namespace
            name = f"{prefix}:{namespace}" if prefix and namespace else (namespace or prefix)
            yield from url_patterns(entry.url_patterns, name)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{prefix}:{entry.name}" if prefix else entry.name), entry


def test_every_url_is_visited_or_excused():
    names = {name for name, _ in url_patterns()}
    assert sorted(names - set(PAGES) - set(EXCUSED)) == [], "add these to PAGES or EXCUSED"
    assert sorted((set(PAGES) | set(EXCUSED)) - names) == [], "these URLs no longer exist"
    assert set(PAGES) & set(EXCUSED) == set()


@pytest.fixture
def people_and_things(sent_eoi, office):
    """Alex's sent EOI (with a decision and a team place), a stakeholder's draft, the
    crowded places co-chair and two revisions of CP2 to compare."""
    from projects.models import Project

    cache.clear()
    draft = ExpressionOfInterestFactory(
        applicant=UserFactory(email="dana@example.org", full_name="Dana Draft", stakeholder=True),
        call=sent_eoi.call,
        answered=True,
        full_name="Dana Draft",
        no_conflicts=False,
        hours_per_month=8,
    )
    ProjectInterestFactory(expression_of_interest=draft, code="CP1", experience="Years.")
    ConflictOfInterestFactory(expression_of_interest=draft, details="Shares in a supplier.")
    co_chair = UserFactory(
        email="crowded-chair@example.org",
        full_name="Chris Chair",
        co_chair=True,
        business_co_chair_of="crowded-places",
    )
    project = Project.objects.get(code="CP2")
    for _ in range(2):
        project.save()
    older, newer = project.history.order_by("history_date")[:2]
    yield {
        "people": {
            APPLICANT: sent_eoi.applicant,
            DRAFTER: draft.applicant,
            CO_CHAIR: co_chair,
            OFFICE: office,
            UNNAMED: UserFactory(email="una@example.org", full_name="", stakeholder=True),
        },
        "eoi": sent_eoi,
        "draft": draft,
        "compare": f"?older={older.history_id}&newer={newer.history_id}",
    }
    cache.clear()


def urls_for(name, person, things):
    """The paths of the page `name` as `person` sees it (the section page is one a section)."""
    eoi = things["draft"] if person == DRAFTER else things["eoi"]
    if name == "referee:answer":
        return [urlsplit(referees.referee_link(eoi)).path]
    if name == "unsubscribe":
        return [urlsplit(unsubscribe_url(eoi.applicant, "applications")).path]
    if name == "participants:section":
        return [reverse(name, args=[eoi.reference, step.slug]) for step in SECTIONS]
    arguments = {
        "slug": "crowded-places",
        "code": "cp2",
        "reference": eoi.reference,
        "key": "not-a-real-key",
        "uidb36": "1",
    }
    pattern = dict(url_patterns())[name].pattern
    kwargs = {
        key: arguments[key] for key in set(pattern.converters) | set(pattern.regex.groupindex)
    }
    url = reverse(name, kwargs=kwargs)
    return [url + things["compare"]] if name == "workspace:compare" else [url]


def signed_in_context(browser, live_server, user, *, two_factors=False):
    """A browser context signed in as `user` (with two factors for a privileged
    role, as the workspace and the admin ask), or anonymous for None."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    if user is not None:
        client = Client()
        if two_factors:
            login_with_two_factor(client, user)
        else:
            client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    # A __Host- cookie: Secure, for the host only, the whole site.
                    "domain": "localhost",
                    "path": "/",
                    "secure": True,
                }
            ]
        )
    return context


# What sticks out: the widest elements past the window's right edge, to name in a failure.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const out = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
      ' ' + Math.round(e.getBoundingClientRect().right));
  return {scrollWidth: document.documentElement.scrollWidth, sticking_out: out.slice(0, 6)};
}"""


def too_wide(page, url, widths):
    """Load `url` at the first width, then widen the window to each other width;
    (url, width, what sticks out) for each width at which it scrolls sideways."""
    found = []
    page.set_viewport_size({"width": widths[0], "height": 800})
    response = page.goto(url)
    assert response.status == 200, (url, response.status, page.url)
    assert page.url.endswith(url), f"{url} redirected to {page.url}"
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            found.append((url, width, overflow))
    return found


def test_no_page_of_the_portal_is_wider_than_the_screen(browser, live_server, people_and_things):
    people = {ANONYMOUS: None, **people_and_things["people"]}
    too_wide_pages = []
    for person in [ANONYMOUS, APPLICANT, DRAFTER, CO_CHAIR, UNNAMED]:
        context = signed_in_context(
            browser, live_server, people[person], two_factors=person == CO_CHAIR
        )
        page = context.new_page()
        for name, visitors in PAGES.items():
            if person in visitors:
                for url in urls_for(name, person, people_and_things):
                    too_wide_pages += too_wide(page, url, (NARROW, WIDE))
        context.close()
    assert too_wide_pages == [], "\n".join(map(str, too_wide_pages))


def test_the_office_admin_pages_fit_at_1280_and_1400(browser, live_server, people_and_things):
    eoi = people_and_things["eoi"]
    context = signed_in_context(
        browser, live_server, people_and_things["people"][OFFICE], two_factors=True
    )
    page = context.new_page()
    too_wide_pages = []
    for name, arguments in ADMIN_PAGES:
        url = reverse(name, args=[eoi.pk for _ in arguments])
        too_wide_pages += too_wide(page, url, ADMIN_WIDTHS)
    context.close()
    assert too_wide_pages == [], "\n".join(map(str, too_wide_pages))
