"""The EOI pages the main journey does not reach, in Chromium with axe."""

import pytest
from django.conf import settings

from participants.referees import referee_link
from tests.answers import ANSWERS, section_url
from tests.factories import UserFactory


@pytest.fixture
def draft(transactional_db, client):
    """A complete draft, built through the pages by the Django test client."""
    from participants.models import ExpressionOfInterest
    from projects.services import load_programme, open_demonstration_call

    load_programme()
    open_demonstration_call()
    applicant = UserFactory(email="sam@example.org", full_name="Sam Sample", stakeholder=True)
    client.force_login(applicant)
    client.get("/applications/express-interest/")
    eoi = ExpressionOfInterest.objects.get(applicant=applicant)
    for section, data in ANSWERS.items():
        assert (
            client.post(section_url(eoi, section), {**data, "full_name": "Sam Sample"}).status_code
            == 302
        )
    eoi.refresh_from_db()
    return eoi


def sign_in(page, context_client, live_server):
    """Carry the test client's session cookie into the browser."""
    cookie = context_client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "domain": "localhost",
                "path": "/",
                "secure": True,
            }
        ]
    )


def test_referee_page_without_an_account(page, live_server, draft, assert_accessible):
    path = referee_link(draft).split("127.0.0.1:8000", 1)[1]

    page.goto(path)
    assert page.locator("h1").inner_text() == "Confirm who Sam Sample is"
    assert_accessible(page)
    page.get_by_role("button", name="Send your answer").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Yes, I can confirm this").check()
    page.get_by_role("button", name="Send your answer").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Thank you"
    assert_accessible(page)


def test_declaring_a_conflict_and_the_closed_pages(
    page, live_server, client, draft, assert_accessible
):
    from django.utils import timezone

    from projects.models import Call

    sign_in(page, client, live_server)
    page.goto(section_url(draft, "conflicts-of-interest"))
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/conflicts-of-interest/add/")
    page.get_by_role("button", name="Add this declaration").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Which organisation is it about?").fill("Acme Barriers")
    page.get_by_label("Commercial product or service").check()
    page.get_by_label("Give details").fill("I sell hostile-vehicle barriers.")
    page.get_by_label("CP2", exact=False).check()
    page.get_by_role("button", name="Add this declaration").click()
    assert "Acme Barriers" in page.locator(".govuk-summary-list").inner_text()
    assert_accessible(page)

    Call.objects.filter(is_demonstration=True).update(closes=timezone.now())
    page.goto(f"/applications/{draft.reference}/")
    assert "You can read your answers but can no longer change them" in page.content()
    assert_accessible(page)
    page.goto(f"/applications/{draft.reference}/check-your-answers/")
    assert page.get_by_role("button", name="Confirm and send").count() == 0
    assert_accessible(page)
