"""A new co-chair sets up two-factor sign-in on the way to their workstream, in
Chromium: every page GOV.UK-styled and worded (sentence case, no "please"), a
code box the width of a code, errors in the summary and beside the box, one
success banner, and "Continue" back to the workstream. Then the pages they meet
later: two-factor sign-in in their account, new recovery codes, removing the
app, the code asked for again, and the code asked for at sign-in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from stepchange.models import Notice
from tests.factories import UserFactory, totp_code

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def new_co_chair(transactional_db):
    from projects.services import load_programme, open_demonstration_call

    cache.clear()
    load_programme()
    open_demonstration_call()
    user = UserFactory(
        email="new-chair@example.org",
        full_name="Nat Newchair",
        password=PASSWORD,
        business_co_chair_of="crowded-places",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    yield user
    cache.clear()


def main_text(page):
    return page.locator("main").inner_text()


def assert_govuk_words(page, heading):
    """The page's heading, and none of allauth's stock words."""
    assert page.locator("h1").inner_text() == heading
    text = main_text(page)
    for stock in ["Please", "please", "Authenticator App", "Two-Factor", "Recovery Codes"]:
        assert stock not in text, (page.url, stock)


def assert_code_box(page, label):
    box = page.get_by_label(label)
    assert "govuk-input--width-10" in box.get_attribute("class")
    assert box.get_attribute("autocomplete") == "one-time-code"
    assert box.get_attribute("inputmode") == "numeric"
    assert box.get_attribute("placeholder") is None
    assert box.evaluate("box => box.getBoundingClientRect().width") < 250
    return box


def assert_wrong_code_shown(page, label):
    """GOV.UK's error summary linking to the box, the message beside it, "Error:" first
    in the title."""
    message = "The code is not right. Check the code and try again"
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name=message).is_visible()
    inline = page.locator(".govuk-error-message").text_content()
    assert " ".join(inline.split()) == f"Error: {message}"
    assert "govuk-input--error" in page.get_by_label(label).get_attribute("class")
    assert page.title().startswith("Error: ")


def emailed_code():
    notice = Notice.objects.filter(reason="two_factor_enrolment").latest("pk")
    return re.search(r"\b(\d{6})\b", notice.body_text).group(1)


def test_a_new_co_chair_sets_up_two_factor_sign_in_and_continues_to_their_workstream(
    page, new_co_chair, assert_accessible
):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(new_co_chair.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/applications/")
    page.locator("header summary", has_text="Your account").click()
    page.get_by_role("link", name="Your workstream").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/email-code/\?next=%2Fworkspace%2F$"))
    assert page.locator(".govuk-notification-banner").count() == 1
    assert page.locator("header [aria-current='page']").text_content().strip() == "Your workstream"
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_label("Code from the email").fill(emailed_code())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in page.url:  # allauth asks for the password again
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/\?next=%2Fworkspace%2F$"))
    assert_govuk_words(page, "Set up your authenticator app")
    assert page.locator(".govuk-caption-l").inner_text() == "Set up two-factor sign-in"
    assert_accessible(page)
    box = assert_code_box(page, "Code from your authenticator app")
    box.fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert_wrong_code_shown(page, "Code from your authenticator app")
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/\?next=%2Fworkspace%2F$"))
    assert_govuk_words(page, "Your recovery codes")
    banners = page.locator(".govuk-notification-banner")
    assert banners.count() == 1
    assert (
        banners.locator(".govuk-notification-banner__heading")
        .inner_text()
        .startswith("Two-factor sign-in is set up")
    )
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/workspace/crowded-places/")
    assert page.locator("h1").inner_text() == "Crowded Places"
    assert page.locator("header [aria-current='page']").text_content().strip() == "Your workstream"

    # Later: two-factor sign-in from their account settings.
    page.goto("/accounts/email/")
    page.get_by_role("link", name="Set up or change two-factor sign-in").click()
    page.wait_for_url("**/accounts/2fa/")
    assert_govuk_words(page, "Two-factor sign-in")
    summary = page.get_by_test_id("two-factor-summary").inner_text()
    assert "Authenticator app" in summary and "10 of 10 not used yet" in summary
    assert_accessible(page)
    page.get_by_role("link", name="Get new recovery codes").click()
    assert_govuk_words(page, "Get new recovery codes")
    assert_accessible(page)
    page.get_by_role("button", name="Get new codes").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert page.locator(".govuk-notification-banner").count() == 1
    assert page.get_by_role("button", name="Continue").get_attribute("href") == "/accounts/2fa/"
    recovery_code = page.get_by_test_id("recovery-codes").locator("li").first.inner_text()
    page.goto("/accounts/2fa/totp/deactivate/")
    assert_govuk_words(page, "Remove your authenticator app")
    assert_accessible(page)
    page.goto("/accounts/2fa/reauthenticate/?next=/workspace/")
    assert_govuk_words(page, "Confirm it is you")
    assert_code_box(page, "Code")
    assert page.get_by_role("heading", name="Other ways to confirm").count() == 0
    assert_accessible(page)

    # Signing in again: the code after the password.
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/?next=/workspace/")
    page.get_by_label("Email address").fill(new_co_chair.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    assert_govuk_words(page, "Enter the code from your authenticator app")
    assert_accessible(page)
    assert_code_box(page, "Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    assert_wrong_code_shown(page, "Code")
    assert_accessible(page)
    page.get_by_label("Code").fill(recovery_code)  # the phone is not to hand
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/crowded-places/")
