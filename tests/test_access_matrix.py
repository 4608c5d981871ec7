"""Who reaches what: every URL pattern of the portal × every role, each cell's
status asserted, and the applicant's identity details checked absent wherever
the role must not see them.

The URLs come from the resolver, so a new URL joins the matrix by itself and
fails until its row says who may see it. The admin's per-object pages are
represented by the EOI's (change, history) and every model's list and add page.
"""

import pytest
from django.contrib.admin import site as admin_site
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from participants import referees
from participants.models import (
    CoChairInterest,
)
from participants.preferences import unsubscribe_url
from tests.factories import (
    ConflictOfInterestFactory,
    ExpressionOfInterestFactory,
    ProjectInterestFactory,
    UserFactory,
    login_with_two_factor,
)

ROLES = [
    "anonymous",
    "stakeholder",
    "another stakeholder",
    "co-chair",
    "co-chair of another workstream",
    "programme board",
    "coordination office",
    "superuser",
]
A, S, OS, C, CO, B, PCO, SU = ROLES
SIGNED_IN = ROLES[1:]
STAFF = [B, PCO, SU]
CO_CHAIRS = [C, CO]
# Identity and vetting details of the stakeholder's EOI.
IDENTITY = ["owner-identity@work.example.org", "referee-identity@example.org", "9999888877776666"]
# Who may see them, and on which pages.
SEES_IDENTITY = {S, B, PCO, SU}


# Each URL's answer to each role, in the order of ROLES:
#   anonymous, stakeholder (owns the EOI), another stakeholder, co-chair of the
#   EOI's workstream, co-chair of another, programme board, coordination office,
#   superuser.
# 302 is a redirect: to sign in, to confirm the password again (allauth), or
# onwards; 404 is how the portal refuses whoever may not know a page exists.
# Staff and co-chairs here signed in with two factors (tests/test_two_factor_gates.py
# has the same pages for their sessions that did not).
STATUSES = {
    # No worker or beat runs in this test, so the health check says 503.
    "health": [503, 503, 503, 503, 503, 503, 503, 503],
    "accessibility": [200, 200, 200, 200, 200, 200, 200, 200],
    "account_change_password": [302, 200, 200, 200, 200, 200, 200, 200],
    "account_confirm_email": [200, 200, 200, 200, 200, 200, 200, 200],
    "account_confirm_login_code": [302, 302, 302, 302, 302, 302, 302, 302],
    "account_confirm_reauthentication_code": [302, 302, 302, 302, 302, 302, 302, 302],
    "account_email": [302, 200, 200, 200, 200, 200, 200, 200],
    "account_email_verification_sent": [200, 200, 200, 200, 200, 200, 200, 200],
    "account_erase": [
        302,
        302,
        302,
        302,
        302,
        302,
        302,
        302,
    ],  # erasing asks for the password again first
    "account_erased": [302, 302, 302, 302, 302, 302, 302, 302],
    "account_inactive": [200, 200, 200, 200, 200, 200, 200, 200],
    "account_login": [200, 302, 302, 302, 302, 302, 302, 302],
    "account_logout": [302, 200, 200, 200, 200, 200, 200, 200],
    "account_reauthenticate": [302, 200, 200, 200, 200, 200, 200, 200],
    "account_reminders": [302, 200, 200, 200, 200, 200, 200, 200],
    # Asks an account with no name for one; every role here has a name, so it
    # sends them on (participants/views/account_name.py).
    "account_name": [302, 302, 302, 302, 302, 302, 302, 302],
    "account_request_reauthentication_code": [302, 200, 200, 200, 200, 302, 302, 302],
    "account_reset_password": [200, 200, 200, 200, 200, 200, 200, 200],
    "account_reset_password_done": [200, 200, 200, 200, 200, 200, 200, 200],
    "account_reset_password_from_key": [200, 200, 200, 200, 200, 200, 200, 200],
    "account_reset_password_from_key_done": [200, 200, 200, 200, 200, 200, 200, 200],
    "account_set_password": [302, 302, 302, 302, 302, 302, 302, 302],
    "account_signup": [200, 302, 302, 302, 302, 302, 302, 302],
    "account_your_data": [302, 200, 200, 200, 200, 200, 200, 200],
    "account_your_data_json": [302, 200, 200, 200, 200, 200, 200, 200],
    "admin_dashboard": [302, 302, 302, 302, 302, 200, 200, 200],
    "contact": [200, 200, 200, 200, 200, 200, 200, 200],
    "cookies": [200, 200, 200, 200, 200, 200, 200, 200],
    "home": [200, 200, 200, 200, 200, 200, 200, 200],
    "mfa_activate_totp": [302, 302, 302, 302, 302, 302, 302, 302],
    "mfa_authenticate": [302, 302, 302, 302, 302, 302, 302, 302],
    "mfa_deactivate_totp": [
        302,
        404,
        404,
        302,
        302,
        302,
        302,
        302,
    ],  # only for those who have an authenticator app
    "mfa_download_recovery_codes": [302, 404, 404, 404, 404, 404, 404, 404],
    "mfa_generate_recovery_codes": [302, 302, 302, 302, 302, 302, 302, 302],
    "mfa_index": [302, 200, 200, 200, 200, 200, 200, 200],
    "mfa_reauthenticate": [302, 302, 302, 200, 200, 200, 200, 200],
    "mfa_view_recovery_codes": [302, 404, 404, 404, 404, 404, 404, 404],
    "participants:add_conflict": [
        302,
        302,
        404,
        404,
        404,
        404,
        404,
        404,
    ],  # the owner's EOI has no conflicts to add to: back to the section
    "participants:applications": [302, 200, 200, 200, 200, 200, 200, 200],
    "participants:check_answers": [302, 200, 404, 404, 404, 404, 404, 404],
    "participants:confirmation": [302, 200, 404, 404, 404, 404, 404, 404],
    "participants:express_interest": [302, 302, 302, 302, 302, 302, 302, 302],
    "participants:remove_conflict": [
        302,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
    ],  # POST only, refused before any lookup
    "participants:section": [302, 200, 404, 404, 404, 404, 404, 404],
    "participants:task_list": [302, 200, 404, 404, 404, 404, 404, 404],
    "participants:withdraw": [302, 200, 404, 404, 404, 404, 404, 404],
    "participation": [200, 200, 200, 200, 200, 200, 200, 200],
    "privacy": [200, 200, 200, 200, 200, 200, 200, 200],
    "projects:detail": [200, 200, 200, 200, 200, 200, 200, 200],
    "projects:list": [200, 200, 200, 200, 200, 200, 200, 200],
    "projects:question": [200, 200, 200, 200, 200, 200, 200, 200],
    "projects:question_sent": [200, 200, 200, 200, 200, 200, 200, 200],
    # The signed link is the authority, except for the applicant themselves.
    "referee:answer": [200, 403, 200, 200, 200, 200, 200, 200],
    "timeline": [200, 200, 200, 200, 200, 200, 200, 200],
    "unsubscribe": [200, 200, 200, 200, 200, 200, 200, 200],  # likewise
    "two_factor_email_code": [
        302,
        200,
        200,
        302,
        302,
        302,
        302,
        302,
    ],  # for a first authenticator app: those who have one go to its page
    "usersessions_list": [302, 200, 200, 200, 200, 200, 200, 200],
    "workspace:applicant": [302, 404, 404, 200, 404, 404, 404, 404],
    "workspace:applicants": [302, 404, 404, 200, 404, 404, 404, 404],
    "workspace:applicants_csv": [302, 404, 404, 200, 404, 404, 404, 404],
    "workspace:compare": [
        302,
        404,
        404,
        302,
        404,
        404,
        404,
        404,
    ],  # without two revisions chosen: back to the list
    "workspace:home": [302, 404, 404, 302, 302, 404, 404, 404],
    "workspace:interest_remove": [302, 404, 404, 405, 404, 404, 404, 404],  # POST only
    "workspace:interests": [302, 404, 404, 200, 200, 404, 404, 404],
    "workspace:project": [302, 404, 404, 200, 404, 404, 404, 404],
    "workspace:project_edit": [302, 404, 404, 200, 404, 404, 404, 404],
    "workspace:revisions": [302, 404, 404, 200, 404, 404, 404, 404],
    "workspace:team": [302, 404, 404, 200, 404, 404, 404, 404],
    "workspace:workstream": [302, 404, 404, 200, 404, 404, 404, 404],
    "workstreams:detail": [200, 200, 200, 200, 200, 200, 200, 200],
    "workstreams:list": [200, 200, 200, 200, 200, 200, 200, 200],
}
EXPECTED = {name: dict(zip(ROLES, codes, strict=True)) for name, codes in STATUSES.items()}


def url_patterns(patterns=None, prefix=None):
    """(name, pattern) for every URL pattern, namespaced names as they are reversed."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            name = f"{prefix}:{namespace}" if prefix and namespace else (namespace or prefix)
            if namespace == "admin":
                continue  # the admin's own patterns are listed by admin_urls()
            yield from url_patterns(entry.url_patterns, name)
        elif isinstance(entry, URLPattern):
            yield (f"{prefix}:{entry.name}" if prefix else entry.name), entry


PATTERNS = sorted(dict(url_patterns()).items())


@pytest.fixture
def people_and_things(loaded_programme):
    from projects.services import open_demonstration_call

    call = open_demonstration_call()
    owner = UserFactory(email="owner@example.org", full_name="Olive Owner", stakeholder=True)
    eoi = ExpressionOfInterestFactory(
        applicant=owner,
        call=call,
        submitted=True,
        full_name="Olive Owner",
        organisation_name="Owner Venues Ltd",
        work_email=IDENTITY[0],
        referee_name="Rory Referee",
        referee_email=IDENTITY[1],
        sia_licence_number=IDENTITY[2],
        vetting="sc",
    )
    ProjectInterestFactory(expression_of_interest=eoi, code="CP1", experience="Years.")
    conflict = ConflictOfInterestFactory(expression_of_interest=eoi, details="Shares.")
    co_chair = UserFactory(
        email="chair@example.org", co_chair=True, business_co_chair_of="crowded-places"
    )
    other_co_chair = UserFactory(
        email="other-chair@example.org", co_chair=True, business_co_chair_of="transport"
    )
    interest = CoChairInterest.objects.create(co_chair=co_chair, organisation="Other plc")

    people = {
        S: owner,
        OS: UserFactory(email="other@example.org", stakeholder=True),
        C: co_chair,
        CO: other_co_chair,
        B: UserFactory(email="board@example.org", board=True),
        PCO: UserFactory(email="pco@example.org", office=True),
        SU: UserFactory(email="root@example.org", superuser=True),
    }
    arguments = {
        "slug": "crowded-places",
        "code": "cp1",
        "reference": eoi.reference,
        "section": "your-details",
        "conflict_id": conflict.pk,
        "pk": interest.pk,
        "token": None,  # per URL below
        "key": "not-a-real-key",
        "uidb36": "1",
    }
    tokens = {
        "referee:answer": referees.referee_link(eoi).rsplit("/referee/", 1)[1].strip("/"),
        "unsubscribe": unsubscribe_url(owner, "applications").rstrip("/").rsplit("/", 1)[1],
    }
    return {"eoi": eoi, "people": people, "arguments": arguments, "tokens": tokens}


def reverse_with(name, pattern, things):
    names = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    kwargs = {key: things["arguments"][key] for key in names}
    if "token" in kwargs:
        kwargs["token"] = things["tokens"][name]
    return reverse(name, kwargs=kwargs)


def clients(things):
    """A signed-in client for each role (none for the anonymous), made once per test."""
    if "clients" not in things:
        things["clients"] = {A: Client()}
        for role in SIGNED_IN:
            things["clients"][role] = client = Client()
            if role in STAFF + CO_CHAIRS:  # signed in with the password and a code
                login_with_two_factor(client, things["people"][role])
            else:
                client.force_login(things["people"][role])
    return things["clients"]


def statuses(url, things):
    found = {}
    for role, client in clients(things).items():
        response = client.get(url)
        found[role] = response.status_code
        if response.status_code == 200 and role not in SEES_IDENTITY:
            body = response.content.decode(errors="replace")
            leaked = [value for value in IDENTITY if value in body]
            assert leaked == [], f"{role} sees {leaked} at {url}"
    return found


def test_every_url_has_a_row():
    assert sorted(name for name, _ in PATTERNS if name not in EXPECTED) == []


def test_each_role_gets_what_it_should(people_and_things):
    # One test over every URL, so the people and things are made once; each
    # difference is listed as (URL name, role, status found, status expected).
    differences = []
    for name, pattern in PATTERNS:
        if name not in EXPECTED:
            continue  # test_every_url_has_a_row names it
        found = statuses(reverse_with(name, pattern, people_and_things), people_and_things)
        differences += [
            (name, role, found[role], EXPECTED[name][role])
            for role in ROLES
            if found[role] != EXPECTED[name][role]
        ]

    assert differences == []


def admin_urls(eoi):
    """Each registered model's list and add page, and the EOI's own pages."""
    for model, model_admin in admin_site._registry.items():
        opts = model._meta
        yield (
            f"{opts.label_lower}:list",
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            model_admin,
        )
    yield (
        "eoi:change",
        reverse("admin:participants_expressionofinterest_change", args=[eoi.pk]),
        None,
    )
    yield (
        "eoi:history",
        reverse("admin:participants_expressionofinterest_history", args=[eoi.pk]),
        None,
    )
    yield (
        "eoi:export",
        reverse("admin:participants_expressionofinterest_export", args=["csv"]),
        None,
    )


def test_the_admin_answers_each_role_as_its_permissions_say(people_and_things):
    eoi = people_and_things["eoi"]
    people = people_and_things["people"]
    problems = []
    for label, url, _ in admin_urls(eoi):
        found = statuses(url, people_and_things)
        for role in [A, S, OS, C, CO]:
            if found[role] != 302:
                problems.append((label, role, found[role]))
        for role in STAFF:
            user = people[role]
            app_label, _, model_name = label.split(":")[0].partition(".")
            if label.startswith("eoi:"):
                allowed = user.has_perm("participants.view_expressionofinterest")
            else:
                allowed = user.has_perm(f"{app_label}.view_{model_name}") or user.has_perm(
                    f"{app_label}.change_{model_name}"
                )
            expected = 200 if allowed else 403
            if found[role] != expected:
                problems.append((label, role, found[role]))
    assert problems == []


def test_refusals_are_logged_with_the_user_and_path(people_and_things, caplog):
    eoi = people_and_things["eoi"]
    other = people_and_things["people"][OS]
    client = clients(people_and_things)[OS]

    with caplog.at_level("WARNING", logger="stepchange.security"):
        client.get(f"/applications/{eoi.reference}/")

    assert [
        record.getMessage() for record in caplog.records if record.name == "stepchange.security"
    ] == [f"refused GET /applications/{eoi.reference}/ with 404 to user {other.pk}"]
