"""In-confidence notes on a project's public page: for its co-chairs, the office and its
team, and only in a session that passed two factors; never from the page cache."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from projects.models import Project
from tests.factories import (
    TeamMembershipFactory,
    UserFactory,
    give_two_factor,
    login_with_two_factor,
)

NOTES = "The pilot venue is in Leeds, behind the old exchange."
PAGE = "/projects/cp1/"


@pytest.fixture
def people(loaded_programme):
    Project.objects.filter(code="CP1").update(in_confidence_notes=NOTES)
    co_chair = UserFactory(
        email="chair@example.org", stakeholder=True, police_co_chair_of="crowded-places"
    )
    office = UserFactory(email="pco@example.org", office=True, two_factor=False)
    member = UserFactory(email="member@example.org", stakeholder=True)
    TeamMembershipFactory(code="CP1", member=member)
    board = UserFactory(email="board@example.org", board=True)
    return {
        "co-chair": co_chair,
        "office": office,
        "member": member,
        "board": board,
        "stranger": UserFactory(email="stranger@example.org", stakeholder=True),
    }


def page_for(user, *, two_factor):
    client = Client()
    if two_factor:
        login_with_two_factor(client, user)
    else:
        client.force_login(user)
    response = client.get(PAGE)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("who", ["co-chair", "office", "member"])
def test_entitled_readers_whose_session_passed_two_factors_read_the_notes(people, who):
    response = page_for(people[who], two_factor=True)

    assert NOTES in response.content.decode()
    assert response["Cache-Control"].startswith("private, no-store")


@pytest.mark.parametrize("who", ["co-chair", "office", "member"])
def test_without_an_app_an_entitled_reader_is_asked_to_set_one_up(people, who):
    response = page_for(people[who], two_factor=False)

    page = response.content.decode()
    assert NOTES not in page
    assert (
        # Set up, then "Continue" back to this project (stepchange/onward.py).
        f'<a class="govuk-link" href="{reverse("mfa_activate_totp")}?next=%2Fprojects%2Fcp1%2F">'
        "Set up two-factor sign-in to read the notes</a>"
    ) in page
    assert response["Cache-Control"].startswith("private, no-store")


@pytest.mark.parametrize("who", ["co-chair", "office", "member"])
def test_with_an_app_but_no_code_this_session_an_entitled_reader_is_asked_for_one(people, who):
    give_two_factor(people[who])

    page = page_for(people[who], two_factor=False).content.decode()

    assert NOTES not in page
    link = f"{reverse('mfa_reauthenticate')}?{urlencode({'next': PAGE})}"
    assert (
        f'<a class="govuk-link" href="{link}">'
        "Enter a code from your authenticator app to read the notes</a>"
    ) in page


@pytest.mark.parametrize("who", ["board", "stranger"])
def test_others_see_neither_the_notes_nor_a_prompt(people, who):
    page = page_for(people[who], two_factor=True).content.decode()

    assert NOTES not in page
    assert 'data-testid="in-confidence' not in page


def test_the_page_cache_never_serves_the_notes(people, client):
    anonymous = Client()
    assert NOTES not in anonymous.get(PAGE).content.decode()  # now kept in the cache
    reader = Client()
    login_with_two_factor(reader, people["co-chair"])

    assert NOTES in reader.get(PAGE).content.decode()  # not the kept page
    assert NOTES not in anonymous.get(PAGE).content.decode()
    from django.core.cache import cache

    cache.clear()
    assert NOTES in reader.get(PAGE).content.decode()  # made for the reader: not kept
    assert NOTES not in Client().get(PAGE).content.decode()
