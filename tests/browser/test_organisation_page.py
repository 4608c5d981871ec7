"""The "Your organisation" page in Chromium: "Which sector?" appears under Other
and the size question under Private sector, nowhere else; a field in error has
its red border (an email address among them)."""

from django.conf import settings
from django.test import Client

from tests.factories import ExpressionOfInterestFactory

ERROR_RED = "rgb(212, 53, 28)"  # GOV.UK's error colour, #d4351c


def sign_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": "localhost",
                "path": "/",
                "secure": True,
            }
        ]
    )


def test_the_sector_reveals_its_follow_up_questions(page, applicant, open_call, assert_accessible):
    eoi = ExpressionOfInterestFactory(applicant=applicant, call=open_call, full_name="Alex")
    sign_in(page, applicant)
    page.goto(f"/applications/{eoi.reference}/your-organisation/")
    which_sector = page.get_by_label("Which sector?")
    size = page.get_by_role("group", name="How big is your organisation?")

    assert not which_sector.is_visible() and not size.is_visible()
    page.get_by_label("Other").check()
    assert which_sector.is_visible() and not size.is_visible()
    page.get_by_label("Private sector").check()
    assert size.is_visible() and not which_sector.is_visible()
    assert page.get_by_label("Private sector").get_attribute("aria-expanded") == "true"
    assert_accessible(page)

    # The size left out: the error, the size still shown under the chosen answer.
    page.get_by_label("Name of your organisation").fill("Example Venues Ltd")
    page.get_by_label("Organisation website (optional)").fill("not a website")
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert size.is_visible() and not which_sector.is_visible()
    website = page.get_by_label("Organisation website (optional)")
    assert website.evaluate("e => getComputedStyle(e).borderTopColor") == ERROR_RED
    assert_accessible(page)

    page.goto(f"/applications/{eoi.reference}/your-details/")
    page.get_by_label("Work email address").fill("not-an-email")
    page.get_by_role("button", name="Save and continue").click()
    email = page.get_by_label("Work email address")
    assert email.evaluate("e => getComputedStyle(e).borderTopColor") == ERROR_RED
