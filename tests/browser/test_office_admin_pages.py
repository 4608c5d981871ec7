"""The office's daily admin pages in Chromium at 1,400 pixels: the EOI list and
an EOI's page fit the window, the answers are a summary the office cannot
edit, and co-chairs are appointed from the admin's home page by name."""

import re

import pytest

from participants.models import ConflictOfInterest
from projects.models import Project
from tests.factories import ProjectInterestFactory, UserFactory, applicant_for
from workstreams.models import Workstream

from .conftest import AXE, AXE_TAGS, sign_in_with_two_factors

PASSWORD = "a-long-office-password"
WIDTH = 1400


@pytest.fixture
def programme(transactional_db):
    from projects.services import load_programme, open_demonstration_call

    load_programme()
    call = open_demonstration_call()
    office = UserFactory(email="pco@example.org", password=PASSWORD, office=True, verified=True)
    ash = applicant_for(
        call,
        "Ash Lead",
        "CP1",
        "lead",
        status="under_review",
        organisation_name="Northern Venue Security Partnership Ltd",
        website="https://www.northern-venue-security-partnership.example.org/about-us",
    )
    ConflictOfInterest.objects.create(
        expression_of_interest=ash,
        organisation="Acme Barriers and Hostile Vehicle Mitigation Ltd",
        nature="financial",
        details="I hold shares in a supplier of barriers. " * 5,
    ).projects.add(Project.objects.get(code="CP1"))
    for code, role in [("CP2", "develop"), ("SR1", "deliver"), ("T1", "develop")]:
        ProjectInterestFactory(expression_of_interest=ash, code=code, role=role)
    applicant_for(
        call,
        "Alexandra Montgomery-Fitzwilliam",
        "TT1",
        "lead",
        status="submitted",
        organisation_name="Metropolitan Transport Infrastructure Resilience Consortium",
    )
    UserFactory(email="morgan.chair@example.org", full_name="Morgan Chair", stakeholder=True)
    return {"office": office, "ash": ash}


def sign_in(page, office):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto("/admin/")
    page.wait_for_url("**/accounts/login/?next=%2Fadmin%2F")
    sign_in_with_two_factors(page, "pco@example.org", PASSWORD, office.totp_secret)
    page.wait_for_url("**/admin/")


# The page, and any box of it that scrolls sideways (Django's admin wraps its
# tables in such boxes, so a table too wide scrolls there, not in the window).
SCROLLING_SIDEWAYS = """() => [document.documentElement, ...document.querySelectorAll('body *')]
  .filter(el => !['TEXTAREA', 'SELECT'].includes(el.tagName))
  .filter(el => el === document.documentElement
    || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .map(el => `${el.tagName.toLowerCase()}#${el.id}.${el.className}: ${el.scrollWidth}px`)"""


def scrolling_sideways(page):
    # After a click, the new page's markup can be there before its stylesheets:
    # measured then, a table the admin's CSS wraps would still scroll.
    page.wait_for_load_state("load")
    return page.evaluate(SCROLLING_SIDEWAYS)


def axe_violations_in(page, selector):
    """Serious and critical axe-core violations inside `selector`: our content, not
    Django's own admin markup around it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        # preload: false, as axe's reading of the stylesheets applies inline styles,
        # which the Content-Security-Policy refuses (and the page reports as errors).
        "([selector, tags]) => axe.run(selector,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload: false})",
        [selector, AXE_TAGS],
    )
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_the_eoi_list_and_page_fit_1400_pixels_and_answers_are_read_only(page, programme):
    ash = programme["ash"]
    sign_in(page, programme["office"])
    page.get_by_role("link", name="Expressions of interest").first.click()
    page.wait_for_url("**/admin/participants/expressionofinterest/")
    assert scrolling_sideways(page) == []
    status = page.locator("#result_list thead th.column-status")
    assert status.bounding_box()["x"] + status.bounding_box()["width"] <= WIDTH
    # Sorted by a column, its heading makes room for the sorting controls.
    page.locator("#result_list thead th.column-submitted .text a").click()
    page.wait_for_url("**/expressionofinterest/?o=*")
    assert scrolling_sideways(page) == []
    assert axe_violations_in(page, "#changelist") == []

    page.get_by_role("link", name=ash.reference).click()
    page.wait_for_url(re.compile(rf"/expressionofinterest/{ash.pk}/change/"))
    assert scrolling_sideways(page) == []
    answers = page.locator("#applicant-answers")
    assert "Northern Venue Security Partnership Ltd" in answers.inner_text()
    assert answers.locator("input, textarea, select").count() == 0
    assert page.locator("[name=full_name], [name=organisation_name]").count() == 0
    assert axe_violations_in(page, "#content-main") == []

    page.locator("#id_move_to").select_option(label="Shortlisted")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator("ul.messagelist").inner_text()
    ash.refresh_from_db()
    assert (ash.status, ash.organisation_name) == (
        "shortlisted",
        "Northern Venue Security Partnership Ltd",
    )

    # The project filter: the code and the first words of the action.
    page.goto("/admin/participants/expressionofinterest/")
    page.get_by_role("link", name=re.compile(r"^CP1 – ")).first.click()
    page.wait_for_url(re.compile(r"project_interests__project__id__exact=\d+"))
    assert page.locator("#result_list tbody tr").count() == 1


def test_the_office_appoints_a_co_chair_from_the_home_page_by_name(page, programme):
    sign_in(page, programme["office"])
    co_chairs = page.locator("#co-chairs")
    assert co_chairs.locator("caption").text_content().strip() == "Co-chairs"
    assert axe_violations_in(page, "#co-chairs") == []

    co_chairs.get_by_role("link", name="Appoint co-chairs of Crowded Places").click()
    page.wait_for_url("**/admin/workstreams/workstream/*/change/")
    assert scrolling_sideways(page) == []
    page.locator("#id_business_co_chair").locator("..").locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Morgan")
    page.locator(".select2-results__option", has_text="Morgan Chair").click()
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url("**/admin/workstreams/workstream/")
    crowded = Workstream.objects.get(slug="crowded-places")
    assert crowded.business_co_chair.email == "morgan.chair@example.org"
    page.goto("/admin/")
    assert "Morgan Chair" in page.locator("#co-chairs tr", has_text="Crowded Places").inner_text()
