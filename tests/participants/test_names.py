"""People are named, never shown by their email address: sign-up asks for the
full name, public pages and revision lists show `User.public_name`, only named
accounts can be co-chairs, and an account with no name is asked for it."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from participants.models import User
from participants.workspace.services import amend_project
from projects.models import Project
from tests.conftest import deliver_outbox
from tests.factories import UserFactory, appoint_co_chair, login_with_two_factor
from workstreams.models import Workstream

pytestmark = pytest.mark.usefixtures("empty_cache")

PASSWORD = "a-long-test-password"
PUBLIC_PAGES = ["home", "workstreams:list", "projects:list", "timeline", "participation"]


@pytest.fixture
def empty_cache():
    """allauth's rate limits, and the kept public pages, live in the cache."""
    cache.clear()


def addresses_in(html):
    """Every account's email address the page shows."""
    return [email for email in User.objects.values_list("email", flat=True) if email in html]


def link_in(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


# Sign-up


def test_sign_up_asks_for_the_full_name_first_as_govuk_names_asks(client, db):
    html = client.get(reverse("account_signup")).content.decode()

    names = re.findall(r'<input[^>]* name="(\w+)"', html)
    assert names[1:3] == ["full_name", "email"]  # after the CSRF token
    field = re.search(r'<input[^>]* name="full_name"[^>]*>', html).group(0)
    assert 'autocomplete="name"' in field
    assert 'spellcheck="false"' in field
    assert '<label class="govuk-label" for="id_full_name">Full name</label>' in html


def test_sign_up_without_a_name_says_enter_your_full_name(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "Enter your full name" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_up_keeps_the_name_on_the_account(client, db):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "  Nat  New ",
            "email": "new@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert User.objects.get(email="new@example.org").full_name == "Nat  New"


# One name for a person, everywhere


def test_public_name_is_the_name_and_organisation_never_the_address(db):
    named = UserFactory(full_name="Chris Chair", organisation="Acme Venues")
    no_organisation = UserFactory(full_name="Toni Chair", organisation="")
    nameless = UserFactory(email="c.005444@example.org", full_name="")

    assert named.public_name == "Chris Chair, Acme Venues"
    assert no_organisation.public_name == "Toni Chair"
    assert nameless.public_name == "Name not given"
    assert str(named) == "Chris Chair, Acme Venues"


def test_public_pages_name_co_chairs_and_never_show_an_address(client, loaded_programme):
    # A named co-chair, and one appointed from a fresh account before names were asked.
    crowded = Workstream.objects.get(slug="crowded-places")
    appoint_co_chair(
        UserFactory(email="chris@example.org", full_name="Chris Chair", organisation="Acme Venues"),
        crowded,
        "business_co_chair",
    )
    appoint_co_chair(
        UserFactory(email="c.005444@example.org", full_name=""), crowded, "police_co_chair"
    )
    pages = [reverse(name) for name in PUBLIC_PAGES]
    pages += [workstream.get_absolute_url() for workstream in Workstream.objects.all()]
    pages += [project.get_absolute_url() for project in Project.objects.all()]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert addresses_in(response.content.decode()) == [], page

    for page in [crowded.get_absolute_url(), "/projects/cp1/"]:
        html = client.get(page).content.decode()
        assert '<dd class="govuk-summary-list__value">Chris Chair, Acme Venues</dd>' in html, page
        assert '<dd class="govuk-summary-list__value">To be announced</dd>' in html, page


def test_revisions_name_their_authors_never_their_addresses(client, co_chair):
    co_chair.organisation = "Acme Venues"
    co_chair.save()
    nameless = UserFactory(email="pco.005444@example.org", full_name="", office=True)
    project = Project.objects.get(code="CP1")
    amend_project(project, nameless, {"summary": "A first summary."}, "First go.")
    amend_project(project, co_chair, {"summary": "A better summary."}, "Clearer.")
    older, newer = project.history.order_by("history_date")[1:]
    login_with_two_factor(client, co_chair)
    base = "/workspace/crowded-places/projects/cp1/"

    for page in [
        base,
        f"{base}revisions/",
        f"{base}revisions/compare/?older={older.history_id}&newer={newer.history_id}",
    ]:
        html = client.get(page).content.decode()
        assert addresses_in(html) == [], page
        assert "Chris Chair, Acme Venues" in html, page
        assert "Name not given" in html, page


# Who can be a co-chair


@pytest.fixture
def admin_client(client, superuser):
    login_with_two_factor(client, superuser)
    return client


def test_only_named_accounts_are_offered_as_co_chairs(admin_client, loaded_programme):
    named = UserFactory(email="named@example.org", full_name="Nia Named")
    nameless = UserFactory(email="nameless@example.org", full_name="")
    crowded = Workstream.objects.get(slug="crowded-places")
    url = reverse("admin:workstreams_workstream_change", args=[crowded.pk])

    page = admin_client.get(url)
    form = page.context["adminform"].form
    offered = set(form.fields["police_co_chair"].queryset)
    assert named in offered
    assert nameless not in offered
    assert "Only accounts with a full name are offered" in page.content.decode()

    search = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "workstreams",
            "model_name": "workstream",
            "field_name": "police_co_chair",
            "term": "example.org",
        },
    ).json()
    found = {int(result["id"]) for result in search["results"]}
    assert named.pk in found
    assert nameless.pk not in found


def test_an_account_with_no_name_cannot_be_appointed(admin_client, loaded_programme):
    nameless = UserFactory(email="nameless@example.org", full_name="")
    crowded = Workstream.objects.get(slug="crowded-places")
    url = reverse("admin:workstreams_workstream_change", args=[crowded.pk])
    data = {
        "code": crowded.code,
        "slug": crowded.slug,
        "name": crowded.name,
        "listed_as": crowded.listed_as,
        "description": crowded.description,
        "order": crowded.order,
        "business_co_chair": "",
        "police_co_chair": nameless.pk,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "police_co_chair" in response.context["adminform"].form.errors
    crowded.refresh_from_db()
    assert crowded.police_co_chair is None


# An account made before sign-up asked for a name


def test_an_account_with_no_name_is_asked_for_it_once_at_sign_in(client, db):
    UserFactory(email="old@example.org", full_name="", stakeholder=True)

    signed_in = client.post(
        reverse("account_login"),
        {"login": "old@example.org", "password": PASSWORD, "next": "/applications/"},
    )

    assert signed_in.url == "/accounts/name/?next=%2Fapplications%2F"
    page = client.get(signed_in.url)
    assert "What is your full name?" in page.content.decode()
    empty = client.post(signed_in.url, {"full_name": "", "next": "/applications/"})
    assert "Enter your full name" in empty.content.decode()
    assert "Error: What is your full name?" in empty.content.decode()
    named = client.post(signed_in.url, {"full_name": "Olu Old", "next": "/applications/"})
    assert named.url == "/applications/"
    assert User.objects.get(email="old@example.org").full_name == "Olu Old"

    client.logout()
    again = client.post(
        reverse("account_login"), {"login": "old@example.org", "password": PASSWORD}
    )
    assert again.url == reverse("participants:applications")


def test_the_name_page_goes_nowhere_outside_the_site(client, applicant):
    client.force_login(applicant)

    response = client.post(
        "/accounts/name/", {"full_name": "Alex Applicant", "next": "https://evil.example/"}
    )

    assert response.url == reverse("participants:applications")


# The project chosen before signing up


def test_the_project_chosen_before_signing_up_survives_confirming_elsewhere(client, open_call):
    start = "/applications/express-interest/?project=CP1"
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Casey Example",
            "email": "casey@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": start,
        },
    )
    user = User.objects.get(email="casey@example.org")
    assert user.pending_project.code == "CP1"

    # The link is opened on another device, whose session knows nothing of it.
    other = Client()
    deliver_outbox()
    link = link_in(mail.outbox[-1])
    confirmed = other.post(link)
    assert confirmed.status_code == 302
    signed_in = other.post(
        reverse("account_login"), {"login": "casey@example.org", "password": PASSWORD}
    )

    assert signed_in.url == "/applications/express-interest/?project=CP1"
    projects = other.get(signed_in.url, follow=True)
    assert projects.redirect_chain[-1][0].endswith("/projects/?add=CP1")
    assert re.search(r'<input[^>]*value="CP1"[^>]*checked', projects.content.decode())
    user.refresh_from_db()
    assert user.pending_project is None


def test_a_sign_up_from_elsewhere_keeps_no_project(client, open_call):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Casey Example",
            "email": "casey@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/projects/cp1/",
        },
    )

    assert User.objects.get(email="casey@example.org").pending_project is None


def test_your_data_includes_the_organisation_shown_with_your_name(client, db):
    user = UserFactory(full_name="Chris Chair", organisation="Acme Venues", stakeholder=True)
    client.force_login(user)

    data = client.get(reverse("account_your_data_json")).json()

    assert (data["account"]["full_name"], data["account"]["organisation"]) == (
        "Chris Chair",
        "Acme Venues",
    )
