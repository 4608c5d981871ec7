"""Every public page, reached through the navigation, in Chromium, scanned by axe."""

import re

import pytest

from projects import programme
from projects.services import open_demonstration_call


@pytest.fixture
def demonstration(transactional_db):
    from projects.services import load_programme

    load_programme()
    return open_demonstration_call()


def links(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")


def test_every_page_in_the_navigation_opens_and_passes_axe(page, demonstration, assert_accessible):
    page.goto("/")
    assert page.title() == "Call to action – Step-Change Programme"
    navigation = links(page, ".govuk-service-navigation__list a")
    footer = links(page, ".govuk-footer a")
    assert navigation == [
        "/",
        "/workstreams/",
        "/projects/",
        "/timeline/",
        "/participation-and-ethics/",
        "/contact/",
        "/accounts/login/",
    ]
    assert footer == ["/privacy/", "/accessibility/", "/cookies/", "/contact/"]

    for href in dict.fromkeys(navigation[:-1] + footer):
        page.goto("/")
        page.click(
            f".govuk-service-navigation__list a[href='{href}'], .govuk-footer a[href='{href}']"
        )
        page.wait_for_url(f"**{href}")
        assert page.locator("h1").count() == 1, href
        assert page.get_by_test_id("demonstration-banner").is_visible(), href
        assert_accessible(page)


def test_home_to_workstream_to_project(page, demonstration, assert_accessible):
    page.goto("/")
    page.get_by_role("link", name="Travel & Tourism").first.click()
    assert page.locator("h1").inner_text() == "Travel & Tourism"
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^TT3")).click()
    assert page.locator("h1").inner_text() == "Project TT3"
    code, action, vision = programme.PROJECTS[12]
    assert code == "TT3"
    assert page.get_by_test_id("action").inner_text() == action
    assert page.get_by_test_id("vision-for-success").inner_text() == vision
    assert_accessible(page)


def test_every_project_page_shows_the_documents_words(page, demonstration, assert_accessible):
    for code, action, vision in programme.PROJECTS:
        page.goto(f"/projects/{code.lower()}/")
        assert page.get_by_test_id("action").inner_text() == action, code
        assert page.get_by_test_id("vision-for-success").inner_text() == vision, code
    assert_accessible(page)


def test_catalogue_filters_with_the_crispy_gds_checkboxes(page, demonstration, assert_accessible):
    page.goto("/projects/")
    assert page.locator(".app-project-card").count() == 25
    assert_accessible(page)

    page.get_by_label("Cyber & Finance").check()
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url("**workstream=cyber-and-finance**")
    codes = [
        text.split("\n")[0] for text in page.locator(".app-project-card h3 a").all_inner_texts()
    ]
    assert codes == [
        "CF1",
        "CF2",
        "CF3",
        "CF4",
        "CF5",
    ]
    assert page.get_by_label("Cyber & Finance").is_checked()
    # The GOV.UK checkbox markup is styled: the native input is hidden behind
    # the drawn box, which only happens when govuk-frontend's CSS applies.
    assert (
        page.locator(".govuk-checkboxes__input").first.evaluate(
            "el => getComputedStyle(el).opacity"
        )
        == "0"
    )
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert_accessible(page)


def test_not_found_page_is_in_the_services_design(page, demonstration, assert_accessible):
    response = page.goto("/projects/nothing-here/")

    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_accessible(page)


def test_the_font_is_not_gds_transport(page, demonstration):
    page.goto("/")

    family = page.locator("h1").evaluate("el => getComputedStyle(el).fontFamily")
    assert family == "helvetica, arial, sans-serif"
