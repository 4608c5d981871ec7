"""A stakeholder's own data in Chromium: see it, download it, erase the account."""

import json
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from participants.models import User
from tests.factories import UserFactory

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def stakeholder(transactional_db):
    user = UserFactory(email="sam@example.org", full_name="Sam Stakeholder", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_see_download_and_erase_your_data(page, stakeholder, assert_accessible):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/applications/")

    page.goto("/accounts/email/")
    page.get_by_role("link", name="See and download the data we hold about you").click()
    page.wait_for_url("**/accounts/your-data/")
    assert page.locator("h1").inner_text() == "Your data"
    assert "Sam Stakeholder" in page.locator("#account + dl").inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["full_name"] == "Sam Stakeholder"

    page.locator("#erase ~ p").get_by_role("link", name="Erase your account").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/your-data/erase/")
    assert page.locator("h1").inner_text() == "Erase your account"
    assert_accessible(page)
    page.get_by_role("button", name="Erase your account").click()
    assert page.title() == "Error: Erase your account – Step-Change Programme"
    assert page.locator(".govuk-error-summary a").all_inner_texts() == [
        "Enter your email address to confirm that you want to erase your account"
    ]
    assert_accessible(page)

    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_role("button", name="Erase your account").click()
    page.wait_for_url("**/accounts/your-data/erased/")
    assert page.locator("h1").inner_text() == "Your account has been erased"
    assert_accessible(page)
    assert not User.objects.filter(email="sam@example.org").exists()
    assert page.get_by_role("link", name="Sign in").is_visible()
