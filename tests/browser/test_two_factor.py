"""A new staff member is sent to set up two-factor sign-in before the admin, in Chromium."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from tests.factories import UserFactory, totp_code

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


def test_staff_set_up_an_authenticator_app_before_the_admin(
    page, new_staff_member, assert_accessible
):
    page.goto("/admin/")
    page.get_by_label("Email address").fill("new@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/accounts/reauthenticate/**")
    assert "Set up two-factor sign-in" in page.locator("main").inner_text()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    qr_code = page.locator("img[src^='data:image/svg+xml']")
    assert qr_code.is_visible()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert_accessible(page)
    page.goto("/admin/")
    assert page.locator("#site-name").inner_text() == "Step-Change Programme: coordination office"
