"""The header, signed in, in Chromium: at 1,280 px the sections keep to one row
(the header no taller than a visitor's), at 375 px nothing is wider than the
screen, and the account menu marks the place the person is in, and only it,
as the current page: for a stakeholder, a co-chair and the coordination office."""

import pytest
from django.core.cache import cache

from tests.factories import UserFactory

from .conftest import sign_in_with_two_factors

PASSWORD = "a long and unusual passphrase"
WIDE, NARROW = {"width": 1280, "height": 800}, {"width": 375, "height": 800}


@pytest.fixture
def people(transactional_db):
    from projects.services import load_programme, open_demonstration_call

    cache.clear()
    load_programme()
    open_demonstration_call()
    people = {
        "stakeholder": UserFactory(
            email="sam@example.org",
            full_name="Sam Stakeholder",
            password=PASSWORD,
            stakeholder=True,
        ),
        "co_chair": UserFactory(
            email="chair@example.org",
            full_name="Chris Chair",
            password=PASSWORD,
            co_chair=True,
            business_co_chair_of="crowded-places",
        ),
        "office": UserFactory(
            email="pco@example.org",
            full_name="Pat Office",
            password=PASSWORD,
            office=True,
            verified=True,
        ),
    }
    yield people
    cache.clear()


def sign_in(page, user):
    page.goto("/accounts/login/")
    if getattr(user, "totp_secret", None):
        sign_in_with_two_factors(page, user.email, PASSWORD, user.totp_secret)
    else:
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/applications/")


def header_height(page):
    return page.locator("header").evaluate("header => header.getBoundingClientRect().height")


def row_tops(page, selector):
    """The distinct tops (rounded) of the header's items matching `selector`."""
    return page.evaluate(
        """selector => [...new Set([...document.querySelectorAll(selector)]
            .map(item => Math.round(item.getBoundingClientRect().top)))]""",
        selector,
    )


def current_items(page):
    """The header's links marked as the current page, by their text."""
    return page.locator("header [aria-current='page']").evaluate_all(
        "links => links.map(link => link.textContent.trim())"
    )


def open_account_menu(page):
    page.locator("header summary", has_text="Your account").click()
    return page.get_by_test_id("account-menu")


@pytest.mark.parametrize(
    "who, places",
    [
        ("stakeholder", ["Your expressions of interest", "Account settings"]),
        ("co_chair", ["Your workstream", "Your expressions of interest", "Account settings"]),
        (
            "office",
            ["Your expressions of interest", "Coordination office admin", "Account settings"],
        ),
    ],
)
def test_the_header_fits_and_marks_the_right_place(page, people, who, places, assert_accessible):
    page.set_viewport_size(WIDE)
    page.goto("/")
    visitors_height = header_height(page)
    sign_in(page, people[who])

    page.goto("/projects/")
    assert header_height(page) == visitors_height
    assert len(row_tops(page, "#navigation > .govuk-service-navigation__item")) == 1
    assert row_tops(page, ".app-account-navigation__list > li") == row_tops(
        page, ".govuk-service-navigation__service-name"
    )
    assert current_items(page) == ["Projects"]
    menu = open_account_menu(page)
    assert menu.get_by_role("link").all_inner_texts() == places
    assert_accessible(page)

    # The account menu's places, each the one current item on its own pages.
    menu.get_by_role("link", name="Your expressions of interest").click()
    page.wait_for_url("**/applications/")
    assert current_items(page) == ["Your expressions of interest"]
    open_account_menu(page).get_by_role("link", name="Account settings").click()
    page.wait_for_url("**/accounts/email/")
    assert current_items(page) == ["Account settings"]
    if who == "co_chair":
        open_account_menu(page).get_by_role("link", name="Your workstream").click()
        page.wait_for_url("**/workspace/crowded-places/")
        assert current_items(page) == ["Your workstream"]
        # Asked for a code on the way to the workstream: still in the workstream.
        page.goto("/accounts/2fa/reauthenticate/?next=/workspace/")
        assert current_items(page) == ["Your workstream"]
    assert header_height(page) == visitors_height

    page.set_viewport_size(NARROW)
    page.goto("/accounts/email/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert page.get_by_role("link", name="Sign out").is_visible()
    menu = open_account_menu(page)
    assert menu.get_by_role("link").all_inner_texts() == places
    assert current_items(page) == ["Account settings"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert not menu.is_visible()
