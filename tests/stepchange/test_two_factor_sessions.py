"""Two factors are checked per session: a session signed in with the password alone
does not get through because the account has an authenticator app now."""

from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode

from participants.models import TeamMembership
from projects.models import Project
from tests.factories import (
    ExpressionOfInterestFactory,
    ProjectInterestFactory,
    UserFactory,
    give_two_factor,
    login_with_two_factor,
    totp_code,
)
from workstreams.models import Workstream

PASSWORD = "a-long-test-password"
NOTES = "The pilot venue is in Leeds, behind the old exchange."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def account(email, **fields):
    user = UserFactory(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def signed_in_with_password_only(user):
    """A session signed in through allauth's pages while the account had no app, which
    is then added to the account elsewhere."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url != reverse("mfa_authenticate")
    give_two_factor(user)
    return client


def asked_for_a_code(response, path):
    return response.status_code == 302 and response.url == (
        f"{reverse('mfa_reauthenticate')}?{urlencode({'next': path})}"
    )


@pytest.fixture
def world(loaded_programme):
    from projects.services import open_demonstration_call

    call = open_demonstration_call()
    Project.objects.filter(code="CP1").update(in_confidence_notes=NOTES)
    co_chair = account("chair@example.org")
    Workstream.objects.filter(slug="crowded-places").update(business_co_chair=co_chair)
    office = account("pco@example.org", is_staff=True, is_superuser=True, two_factor=False)
    eoi = ExpressionOfInterestFactory(
        applicant=account("member@example.org"), call=call, accepted=True, full_name="M"
    )
    ProjectInterestFactory(expression_of_interest=eoi, code="CP1", experience="")
    return {"co_chair": co_chair, "office": office, "eoi": eoi}


# Each gate, as (who, path): the admin, its export, the workspace and the co-chairs'
# CSV, and the in-confidence notes on the project's public page.
GATES = [
    ("office", "/admin/"),
    ("office", "/admin/participants/expressionofinterest/"),
    ("office", reverse_lazy("admin:participants_expressionofinterest_export", args=["csv"])),
    ("office", "/admin/projects/project/"),
    ("co_chair", "/workspace/crowded-places/"),
    ("co_chair", "/workspace/crowded-places/projects/cp1/"),
    ("co_chair", "/workspace/crowded-places/projects/cp1/applicants.csv"),
]


@pytest.mark.parametrize("who, path", GATES)
def test_a_password_only_session_is_asked_for_a_code_then_let_in(world, who, path):
    user, path = world[who], str(path)
    client = signed_in_with_password_only(user)

    refused = client.get(path)

    assert asked_for_a_code(refused, path)
    page = client.get(refused.url, follow=True)
    assert "Enter a code from your authenticator app to continue" in page.content.decode()
    passed = client.post(refused.url, {"code": totp_code(user.totp_secret)})
    assert passed.status_code == 302 and passed.url == path
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("who", ["office", "co_chair", "member"])
def test_in_confidence_notes_need_a_session_that_passed_two_factors(world, who):
    user = world["eoi"].applicant if who == "member" else world[who]
    if who == "member":
        TeamMembership.objects.create(
            project=Project.objects.get(code="CP1"), member=user, role="lead"
        )
    client = signed_in_with_password_only(user)

    page = client.get("/projects/cp1/").content.decode()

    assert NOTES not in page
    assert "Enter a code from your authenticator app to read the notes" in page
    back = urlencode({"next": "/projects/cp1/"})
    assert f'href="{reverse("mfa_reauthenticate")}?{back}"' in page
    client.post(f"{reverse('mfa_reauthenticate')}?{back}", {"code": totp_code(user.totp_secret)})
    assert NOTES in client.get("/projects/cp1/").content.decode()


def test_a_wrong_code_lets_nobody_in(world):
    office = world["office"]
    client = signed_in_with_password_only(office)

    client.post(f"{reverse('mfa_reauthenticate')}?next=/admin/", {"code": "000000"})

    assert asked_for_a_code(client.get("/admin/"), "/admin/")


def test_a_session_that_gave_the_code_at_sign_in_goes_straight_in(world):
    office = world["office"]
    give_two_factor(office)
    client = Client()
    client.post(reverse("account_login"), {"login": office.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(office.totp_secret)})

    assert client.get("/admin/").status_code == 200


def test_a_code_given_as_someone_else_does_not_count(world):
    # allauth keeps its records for the user who made them: a sign-in as another
    # person in the same browser starts with none.
    client = Client()
    login_with_two_factor(client, world["co_chair"])
    client.force_login(world["office"])
    give_two_factor(world["office"])

    assert asked_for_a_code(client.get("/admin/"), "/admin/")


def test_a_session_whose_app_was_removed_is_sent_to_set_one_up_again(world):
    from allauth.mfa.models import Authenticator

    client = Client()
    login_with_two_factor(client, world["office"])
    assert client.get("/admin/").status_code == 200
    Authenticator.objects.filter(user=world["office"]).delete()

    response = client.get("/admin/")

    assert (response.status_code, response.url) == (
        302,
        reverse("mfa_activate_totp") + "?next=%2Fadmin%2F",
    )


@pytest.mark.parametrize(
    "name", ["mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_deactivate_totp"]
)
def test_the_pages_of_a_second_factor_ask_a_password_only_session_for_a_code(world, name):
    # Else typing the password again would show the recovery codes, or remove the app.
    member = world["eoi"].applicant
    client = signed_in_with_password_only(member)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    assert asked_for_a_code(client.get(reverse(name)), reverse(name))


def test_a_privileged_account_without_an_app_is_sent_to_set_one_up(world):
    client = Client()
    client.force_login(world["office"])

    response = client.get("/admin/")

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("mfa_activate_totp")


def test_messages_are_kept_in_the_session_not_a_cookie(world):
    client = Client()
    client.force_login(world["office"])

    response = client.get("/admin/")  # adds "Set up two-factor sign-in ..."

    assert [name for name in response.cookies if "messages" in name] == []
    shown = client.get(response.url, follow=True)
    assert "Set up two-factor sign-in with an authenticator app" in shown.content.decode()
    assert [name for name in shown.cookies if "messages" in name] == []
