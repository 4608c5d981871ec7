"""Issue 15, points 1 and 2, in Chromium: "Express interest" on CP1, create an
account with a full name, confirm the email in another browser (or another
tab) and sign in: the EOI's projects page opens with CP1 ticked. Co-chairs are
named, never shown by their address; an account with no name is asked for it."""

import re

import pytest
from django.core import mail

from participants.models import User
from tests.conftest import deliver_outbox
from tests.factories import UserFactory, appoint_co_chair

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def open_call(transactional_db):
    from projects.services import load_programme, open_demonstration_call

    load_programme()
    return open_demonstration_call()


def confirmation_link(live_server, email):
    deliver_outbox()
    message = [m for m in mail.outbox if email in m.to][-1]
    link = re.search(r"https?://\S+", message.body).group(0)
    return link.replace("http://127.0.0.1:8000", live_server.url).replace(
        "http://testserver", live_server.url
    )


def sign_up_from_cp1(page, assert_accessible, email):
    page.goto("/projects/cp1/")
    page.get_by_role("button", name=re.compile("Express interest")).click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_role("link", name="create an account").click()
    page.wait_for_url("**/accounts/signup/**")
    assert_accessible(page)

    # Forgetting the name first: GOV.UK's error, linked from the summary.
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.locator(".govuk-error-summary a").first.inner_text() == "Enter your full name"
    assert_accessible(page)

    page.get_by_label("Full name").fill("Casey Example")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)


def sign_in(page, assert_accessible):
    """Confirming leads to the sign-in page, which knows nothing of CP1."""
    page.wait_for_url("**/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("casey@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def assert_cp1_ticked(page, assert_accessible):
    page.wait_for_url("**/projects/?add=CP1")
    assert page.locator("#id_projects_CP1").is_checked()
    assert_accessible(page)


def test_the_project_survives_confirming_the_email_in_another_browser(
    page, browser, live_server, open_call, assert_accessible
):
    chair = UserFactory(
        email="c.005444@example.org", full_name="Chris Chair", organisation="Acme Venues"
    )
    appoint_co_chair(chair, "crowded-places", "police_co_chair")
    page.goto("/projects/cp1/")
    co_chairs = page.locator(".govuk-summary-list").filter(has_text="Police co-chair")
    assert "Chris Chair, Acme Venues" in co_chairs.inner_text()
    assert "c.005444@" not in page.content()
    assert_accessible(page)

    sign_up_from_cp1(page, assert_accessible, "casey@example.org")
    assert User.objects.get(email="casey@example.org").full_name == "Casey Example"

    # Another device: a fresh browser with none of the first one's cookies.
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    elsewhere = other.new_page()
    try:
        elsewhere.goto(confirmation_link(live_server, "casey@example.org"))
        assert_accessible(elsewhere)
        elsewhere.get_by_role("button", name="Confirm").click()
        sign_in(elsewhere, assert_accessible)
        assert_cp1_ticked(elsewhere, assert_accessible)
    finally:
        other.close()


def test_the_project_survives_confirming_the_email_in_another_tab(
    page, live_server, open_call, assert_accessible
):
    sign_up_from_cp1(page, assert_accessible, "casey@example.org")

    tab = page.context.new_page()
    tab.goto(confirmation_link(live_server, "casey@example.org"))
    tab.get_by_role("button", name="Confirm").click()
    sign_in(tab, assert_accessible)
    assert_cp1_ticked(tab, assert_accessible)
    tab.close()


def test_an_account_with_no_name_is_asked_for_it(page, transactional_db, assert_accessible):
    UserFactory(
        email="old@example.org", full_name="", password="a-long-test-password", stakeholder=True
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("old@example.org")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/accounts/name/**")
    assert page.get_by_role("heading", level=1).inner_text() == "What is your full name?"
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary a").first.inner_text() == "Enter your full name"
    assert_accessible(page)
    page.get_by_label("Full name").fill("Olu Old")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/applications/")
    assert User.objects.get(email="old@example.org").full_name == "Olu Old"
