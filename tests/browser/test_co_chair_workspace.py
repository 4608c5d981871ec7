"""A co-chair shapes a project and recommends an applicant, in Chromium, every
workspace page scanned by axe; then the coordination office sees the
recommendation in the admin."""

import pytest
from django.core.cache import cache

from participants.models import Recommendation
from tests.factories import (
    ExpressionOfInterestFactory,
    ProjectInterestFactory,
    UserFactory,
)

from .conftest import sign_in_with_two_factors

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def workstream_with_applicant(transactional_db):
    from projects.services import load_programme, open_demonstration_call

    cache.clear()
    load_programme()
    call = open_demonstration_call()
    co_chair = UserFactory(
        email="chair@example.org",
        full_name="Chris Chair",
        password=PASSWORD,
        co_chair=True,
        business_co_chair_of="crowded-places",
    )
    office = UserFactory(email="pco@example.org", password=PASSWORD, office=True, verified=True)
    applicant = UserFactory(email="ash@example.org", full_name="Ash Lead")
    eoi = ExpressionOfInterestFactory(
        applicant=applicant,
        call=call,
        submitted=True,
        full_name="Ash Lead",
        organisation_name="Arena Group Ltd",
        sector="private",
        work_email="ash@work.example.org",
    )
    ProjectInterestFactory(
        expression_of_interest=eoi, code="CP1", experience="Ran security for four arenas."
    )
    yield eoi, co_chair, office
    cache.clear()


def test_a_co_chair_amends_a_project_and_recommends_an_applicant(
    page, browser, live_server, workstream_with_applicant, assert_accessible
):
    eoi, co_chair, office_user = workstream_with_applicant
    page.goto("/accounts/login/")
    sign_in_with_two_factors(page, "chair@example.org", PASSWORD, co_chair.totp_secret)

    page.locator("header summary", has_text="Your account").click()
    page.get_by_role("link", name="Your workstream").click()
    assert page.locator("h1").inner_text() == "Crowded Places"
    assert_accessible(page)

    page.get_by_role("link", name="CP1", exact=True).click()
    assert page.locator("h1").inner_text() == "Project CP1"
    assert_accessible(page)
    page.get_by_role("link", name="Amend the project's text").click()
    assert_accessible(page)
    vision = page.get_by_label("Vision for success")
    vision.fill(vision.input_value() + " Every venue has a tested plan.")
    page.get_by_role("button", name="Save a new revision").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("What did you change, and why?").fill("Added the measure we agreed.")
    page.get_by_role("button", name="Save a new revision").click()
    assert "saved as a new revision" in page.locator("main").inner_text()
    assert page.get_by_test_id("vision-for-success").inner_text().endswith("tested plan.")

    page.get_by_role("link", name="Revisions").click()
    assert_accessible(page)
    assert "Added the measure we agreed." in page.locator("table").inner_text()
    page.get_by_role("button", name="Compare revisions").click()
    assert page.locator("h1").inner_text() == "What changed"
    added = page.locator("p.app-diff ins").all_inner_texts()
    assert [" ".join(text.split()) for text in added] == ["added: Every venue has a tested plan."]
    assert_accessible(page)

    page.get_by_role("link", name="Back to the revisions").click()
    page.get_by_role("link", name="Applicants").click()
    assert_accessible(page)
    assert "ash@work.example.org" not in page.content()
    page.get_by_role("link", name="Ash Lead").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save recommendation").click()
    assert page.locator(".govuk-error-summary").get_by_role("link").all_inner_texts() == [
        "Choose your recommendation"
    ]
    assert_accessible(page)
    page.get_by_label("Recommend as lead").check()
    page.get_by_label("Comment").fill("Ran the Leeds pilot.")
    page.get_by_role("button", name="Save recommendation").click()
    assert "Recommend as lead" in page.locator("table").inner_text()

    page.get_by_role("link", name="Team").click()
    assert "This project has no lead." in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/workspace/interests/")
    assert_accessible(page)
    assert Recommendation.objects.get().verdict == "lead"

    office = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    office.goto("/admin/")
    sign_in_with_two_factors(office, "pco@example.org", PASSWORD, office_user.totp_secret)
    office.wait_for_url("**/admin/")
    office.goto(f"/admin/participants/expressionofinterest/{eoi.pk}/change/")
    recommendations = office.locator("#recommendations-group")
    assert "Recommend as lead" in recommendations.inner_text()
    assert "Ran the Leeds pilot." in recommendations.inner_text()
    office.context.close()
