"""allauth's account pages in Chromium: sign up, confirm, sign in, sign out, the
error summary, and every account page scanned by axe."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.conftest import deliver_outbox
from tests.factories import UserFactory

PASSWORD = "a long and unusual passphrase"


@pytest.fixture(autouse=True)
def empty_cache():
    """allauth keeps rate limits and the email cooldown in the cache: start clean."""
    cache.clear()


@pytest.fixture
def account_holder(transactional_db):
    user = UserFactory(email="sam@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def link_in(message):
    """The path of the one link to this site in an email."""
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def heading(page):
    return page.locator("h1").inner_text()


def focused_id(page):
    return page.evaluate("() => document.activeElement.id")


def sign_in_as(page, live_server, user):
    """Give the browser a signed-in session, as if the user had signed in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                # A __Host- cookie: Secure, for the host only, the whole site.
                "domain": "localhost",
                "path": "/",
                "secure": True,
            }
        ]
    )


def test_sign_up_confirm_sign_in_and_sign_out(page, transactional_db, assert_accessible):
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="create an account").click()
    assert heading(page) == "Create an account"
    assert_accessible(page)

    page.get_by_label("Full name").fill("Casey Example")
    page.get_by_label("Email address").fill("casey@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert heading(page) == "Check your email"
    assert page.title() == "Check your email – Step-Change Programme"
    assert_accessible(page)

    deliver_outbox()
    [message] = mail.outbox
    assert message.to == ["casey@example.org"]
    page.goto(link_in(message))
    assert heading(page) == "Confirm your email address"
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/accounts/login/")
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.inner_text().endswith("You have confirmed casey@example.org.")
    assert_accessible(page)
    page.get_by_label("Email address").fill("casey@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/")
    navigation = page.locator(".govuk-service-navigation__list")
    navigation.get_by_role("link", name="Sign out").click()
    page.wait_for_url("**/accounts/logout/")
    assert heading(page) == "Sign out"
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url("**/")
    assert navigation.get_by_role("link", name="Sign in").is_visible()
    assert navigation.get_by_role("link", name="Sign out").count() == 0


def test_a_failed_sign_in_shows_the_error_summary_whose_link_focuses_the_field(
    page, account_holder, assert_accessible
):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    assert page.title() == "Error: Sign in – Step-Change Programme"
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    # govuk-frontend moves the focus to the summary, so it is read out first.
    assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')")
    assert_accessible(page)
    summary.get_by_role(
        "link", name="The email address and/or password you specified are not correct."
    ).click()
    assert focused_id(page) == "id_login"

    page.get_by_label("Email address").fill("")
    page.get_by_label("Password").fill("")
    page.get_by_role("button", name="Sign in").click()
    assert summary.get_by_role("link").all_inner_texts() == [
        "Enter your email address",
        "Enter your password",
    ]
    assert page.locator("#id_password-error").text_content() == "Error: Enter your password"
    assert_accessible(page)
    summary.get_by_role("link", name="Enter your password").click()
    assert focused_id(page) == "id_password"


def test_a_bad_sign_up_shows_the_error_summary(page, transactional_db, assert_accessible):
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill("casey@")
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Confirm your password").fill("short")
    page.get_by_role("button", name="Create account").click()

    assert page.title() == "Error: Create an account – Step-Change Programme"
    assert page.locator(".govuk-error-summary a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    ) == ["#id_full_name", "#id_email", "#id_password1"]
    assert_accessible(page)
    page.locator(".govuk-error-summary a").nth(2).click()
    assert focused_id(page) == "id_password1"


def test_password_reset_pages(page, account_holder, assert_accessible):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="I have forgotten my password").click()
    assert heading(page) == "Reset your password"
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()
    assert page.locator(".govuk-error-summary a").inner_text() == "Enter your email address"
    assert_accessible(page)

    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/accounts/password/reset/done/")
    assert heading(page) == "Check your email"
    assert_accessible(page)

    deliver_outbox()
    [message] = mail.outbox
    page.goto(link_in(message))
    assert heading(page) == "Choose a new password"
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("new and unusual passphrase")
    page.get_by_label("Confirm your new password").fill("something else entirely")
    page.get_by_role("button", name="Change password").click()
    assert page.title() == "Error: Choose a new password – Step-Change Programme"
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("new and unusual passphrase")
    page.get_by_label("Confirm your new password").fill("new and unusual passphrase")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/accounts/password/reset/key/done/")
    assert heading(page) == "Your password has been changed"
    assert_accessible(page)

    page.goto(link_in(message))
    assert heading(page) == "This link does not work"
    assert_accessible(page)


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/accounts/confirm-email/not-a-key/", "This link does not work"),
        ("/accounts/inactive/", "Your account is not active"),
    ],
)
def test_signed_out_dead_ends(page, transactional_db, assert_accessible, path, expected):
    page.goto(path)
    assert heading(page) == expected
    assert_accessible(page)


def test_signed_in_account_pages(page, live_server, account_holder, assert_accessible):
    sign_in_as(page, live_server, account_holder)

    page.goto("/accounts/email/")
    assert heading(page) == "Your email address"
    assert_accessible(page)
    page.get_by_role("button", name="Change email address").click()
    assert page.locator(".govuk-error-summary a").inner_text() == "Enter your new email address"
    assert_accessible(page)
    page.get_by_label("New email address").fill("sam.new@example.org")
    page.get_by_role("button", name="Change email address").click()
    assert page.locator(".govuk-inset-text strong").inner_text() == "sam.new@example.org"
    assert page.get_by_role("button", name="Cancel the change").is_visible()
    assert_accessible(page)

    page.goto("/accounts/password/change/")
    assert heading(page) == "Change your password"
    assert_accessible(page)
    page.get_by_role("button", name="Change password").click()
    assert page.title() == "Error: Change your password – Step-Change Programme"
    assert_accessible(page)

    page.goto("/accounts/reauthenticate/")
    assert heading(page) == "Confirm it is you"
    assert_accessible(page)


def test_set_password_page(page, live_server, account_holder, assert_accessible):
    account_holder.set_unusable_password()
    account_holder.save()
    sign_in_as(page, live_server, account_holder)

    page.goto("/accounts/password/set/")
    assert heading(page) == "Set a password"
    assert_accessible(page)
