"""Two-factor sign-in in Chromium: a new staff member confirms a code emailed to them,
then sets up an authenticator app before the admin; a session signed in without a code
is asked for one before the admin."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from stepchange.models import Notice
from tests.factories import UserFactory, give_two_factor, totp_code

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def new_staff_member(transactional_db):
    cache.clear()
    user = UserFactory(
        email="new@example.org",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
        two_factor=False,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    yield user
    cache.clear()


def sign_in(page):
    page.goto("/admin/")
    page.get_by_label("Email address").fill("new@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def emailed_code():
    notice = Notice.objects.filter(reason="two_factor_enrolment").latest("pk")
    return re.search(r"\b(\d{6})\b", notice.body_text).group(1)


def test_staff_confirm_an_emailed_code_then_set_up_an_app_before_the_admin(
    page, new_staff_member, assert_accessible
):
    sign_in(page)

    page.wait_for_url("**/accounts/2fa/email-code/**")
    assert (
        "Set up two-factor sign-in with an authenticator app" in page.locator("main").inner_text()
    )
    assert_accessible(page)
    page.get_by_role("button", name="Email me a code").click()
    page.wait_for_url("**/accounts/2fa/email-code/**")
    code = emailed_code()
    page.get_by_label("Code from the email").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.inner_text().splitlines()[-1] == (
        "The code is not right. Check the email and try again"
    )
    assert_accessible(page)
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    qr_code = page.locator("img[src^='data:image/svg+xml']")
    assert qr_code.is_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert_accessible(page)
    page.goto("/admin/")
    assert page.locator("#site-name").inner_text() == "Step-Change Programme: coordination office"


def test_a_session_signed_in_without_a_code_is_asked_for_one(
    page, new_staff_member, assert_accessible
):
    sign_in(page)
    page.wait_for_url("**/accounts/2fa/email-code/**")
    secret = give_two_factor(new_staff_member)  # added in another session

    page.goto("/admin/")

    page.wait_for_url("**/accounts/2fa/reauthenticate/**")
    assert (
        "Enter a code from your authenticator app to continue" in page.locator("main").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/admin/")
    assert page.locator("#site-name").inner_text() == "Step-Change Programme: coordination office"
