"""A decision per project, clicked through in Chromium (issue 15, points 9 and
10): the office cannot accept into a project while a conflict touching it awaits
a decision, accepts into another, and the applicant's "Your applications" shows
each project's outcome."""

import pytest

from participants.models import ConflictOfInterest, TeamMembership
from projects.models import Project
from stepchange.models import Notice
from tests.factories import ExpressionOfInterestFactory, ProjectInterestFactory, UserFactory

from .conftest import sign_in_with_two_factors
from .test_coordination_office import run_action

PASSWORD = "a-long-office-password"
APPLICANT_PASSWORD = "a-long-applicant-password"


@pytest.fixture
def shortlisted(transactional_db):
    from projects.services import load_programme, open_demonstration_call

    load_programme()
    call = open_demonstration_call()
    office = UserFactory(email="pco@example.org", password=PASSWORD, office=True, verified=True)
    applicant = UserFactory(
        email="ash@example.org",
        full_name="Ash Lead",
        password=APPLICANT_PASSWORD,
        stakeholder=True,
    )
    eoi = ExpressionOfInterestFactory(
        applicant=applicant,
        call=call,
        status="shortlisted",
        full_name="Ash Lead",
        organisation_name="Lead Ltd",
        sector="private",
    )
    for preference, code in enumerate(["CP1", "SR1"], start=1):
        ProjectInterestFactory(
            expression_of_interest=eoi, code=code, preference=preference, role="lead"
        )
    conflict = ConflictOfInterest.objects.create(
        expression_of_interest=eoi,
        organisation="Barrier Systems plc",
        nature="commercial",
        details="Sells hostile-vehicle barriers.",
    )
    conflict.projects.add(Project.objects.get(code="CP1"))
    return {"office": office, "eoi": eoi}


def stage(page, reference, code, outcome):
    run_action(page, [reference], "Stage a decision for the selected…")
    page.locator("#id_project").select_option(
        label=page.locator("#id_project option", has_text=f"{code}: ").first.inner_text()
    )
    page.locator("#id_outcome").select_option(label=outcome)
    page.get_by_role("button", name="Stage the decision").click()


def test_each_project_is_decided_and_the_applicant_sees_each_outcome(
    browser, live_server, page, shortlisted, assert_accessible
):
    eoi, office = shortlisted["eoi"], shortlisted["office"]
    page.goto("/admin/")
    sign_in_with_two_factors(page, "pco@example.org", PASSWORD, office.totp_secret)
    page.wait_for_url("**/admin/")
    page.goto("/admin/participants/expressionofinterest/")

    stage(page, eoi.reference, "CP1", "Accept into the team")
    refusal = page.locator("ul.messagelist").inner_text()
    assert f"{eoi.reference} cannot be accepted into CP1 while a conflict of interest" in refusal
    assert "decide the conflict's outcome on the expression of interest's page first" in refusal

    stage(page, eoi.reference, "SR1", "Accept into the team")
    assert "Decision staged for 1." in page.locator("ul.messagelist").inner_text()
    run_action(page, [eoi.reference], "Apply the staged decisions of the selected")
    assert "Decisions applied for 1" in page.locator("ul.messagelist").inner_text()
    eoi.refresh_from_db()
    assert eoi.status == "shortlisted"
    assert TeamMembership.objects.get().project.code == "SR1"
    notice = Notice.objects.get(reason="decision")
    assert "SR1, as lead" in notice.body_text and "We have not decided yet on:" in notice.body_text

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    applicant = context.new_page()
    applicant.goto("/accounts/login/?next=/applications/")
    applicant.get_by_label("Email address").fill("ash@example.org")
    applicant.get_by_label("Password").fill(APPLICANT_PASSWORD)
    applicant.get_by_role("button", name="Sign in").click()
    applicant.wait_for_url("**/applications/")
    outcomes = applicant.locator("table").inner_text()
    assert "CP1: not decided yet" in outcomes
    assert "SR1: accepted as lead" in outcomes
    assert_accessible(applicant)
    context.close()
