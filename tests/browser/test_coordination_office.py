"""The coordination office's triage in the admin, clicked through in Chromium."""

import re

import pytest

from participants.models import TeamMembership
from stepchange.models import Notice
from tests.factories import ExpressionOfInterestFactory, ProjectInterestFactory, UserFactory

from .conftest import sign_in_with_two_factors

PASSWORD = "a-long-office-password"


@pytest.fixture
def programme(transactional_db):
    from projects.services import load_programme, open_demonstration_call

    load_programme()
    call = open_demonstration_call()
    office = UserFactory(email="pco@example.org", password=PASSWORD, office=True, verified=True)
    people = {}
    for name, code in [("Ash Lead", "CP1"), ("Blake Venue", "CP1"), ("Casey Rail", "T1")]:
        applicant = UserFactory(email=f"{name.split()[0].lower()}@example.org", full_name=name)
        eoi = ExpressionOfInterestFactory(
            applicant=applicant,
            call=call,
            status="under_review",
            full_name=name,
            organisation_name=f"{name.split()[1]} Ltd",
            sector="private",
        )
        ProjectInterestFactory(expression_of_interest=eoi, code=code, experience="Ten years of it.")
        people[name] = eoi
    return {"office": office, **people}


def run_action(page, references, action):
    for reference in references:
        page.locator("#result_list tr", has_text=reference).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()


def test_the_office_shortlists_decides_and_reads_the_dashboard(page, programme, assert_accessible):
    ash, blake, casey = (programme[name] for name in ("Ash Lead", "Blake Venue", "Casey Rail"))
    office = programme["office"]
    page.goto("/admin/")
    page.wait_for_url("**/accounts/login/?next=%2Fadmin%2F")
    sign_in_with_two_factors(page, "pco@example.org", PASSWORD, office.totp_secret)
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Expressions of interest").first.click()

    page.get_by_role("link", name=re.compile(r"^CP1 – ")).first.click()
    page.wait_for_url(re.compile(r"project_interests__project__id__exact=\d+"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert casey.reference not in page.locator("#result_list").inner_text()

    run_action(page, [ash.reference, blake.reference], "Shortlist the selected")
    assert "2 moved to shortlisted." in page.locator("ul.messagelist").inner_text()

    run_action(page, [ash.reference], "Stage a decision for the selected…")
    assert page.locator("h1").inner_text() == "Stage a decision"
    assert re.match(r"^CP1: ", page.locator("#id_project option:checked").inner_text())
    page.locator("#id_outcome").select_option(label="Accept into the team")
    page.get_by_role("button", name="Stage the decision").click()
    assert "Decision staged for 1." in page.locator("ul.messagelist").inner_text()

    run_action(page, [ash.reference], "Apply the staged decisions of the selected")
    assert "Decisions applied for 1" in page.locator("ul.messagelist").inner_text()
    ash.refresh_from_db()
    assert ash.status == "accepted"
    assert TeamMembership.objects.get().member == ash.applicant
    assert Notice.objects.filter(reason="decision").count() == 1

    page.goto("/admin/")
    page.get_by_role("link", name="Programme dashboard").click()
    assert page.locator("h1").inner_text() == "Programme dashboard"
    assert page.locator("svg[role=img]").count() >= 5
    assert_accessible(page)
