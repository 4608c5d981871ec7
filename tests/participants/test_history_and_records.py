"""History of changes readable in the admin; co-chairs' interests; ethics reviews; teams."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from participants.models import (
    CoChairInterest,
    ConflictOfInterest,
    TeamMembership,
    ValidationCheck,
)
from participants.reminders import audience_recipients
from projects.models import EthicsReview, Milestone, Project
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import ExpressionOfInterestFactory, UserFactory, login_with_two_factor

EOI_ADMIN = "/admin/participants/expressionofinterest/"


@pytest.fixture
def eoi(open_call):
    return ExpressionOfInterestFactory(
        applicant=UserFactory(email="applicant@example.org", stakeholder=True),
        call=open_call,
        submitted=True,
        full_name="Sam Applicant",
        organisation_name="Example Venues Ltd",
    )


def test_a_change_in_the_admin_is_kept_with_who_and_when(client, office, eoi):
    login_with_two_factor(client, office)
    url = f"{EOI_ADMIN}{eoi.pk}/change/"
    page = client.get(url)
    data = change_form_data(page)
    data["move_to"] = "under_review"  # the applicant's answers are not the office's to change
    prefix = inline_prefix(page, "ValidationCheckInline")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-method": "document_seen",
            f"{prefix}-0-result": "passed",
            f"{prefix}-0-note": "Warrant card seen at the briefing.",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    latest = eoi.history.latest()
    assert (latest.status, latest.history_user) == ("under_review", office)
    assert ValidationCheck.history.get().history_user == office
    history_page = client.get(f"{url[: -len('change/')]}history/").content.decode()
    assert "under_review" in history_page
    assert "pco@example.org" in history_page or str(office) in history_page


def test_conflict_decisions_keep_their_history(office, eoi):
    conflict = ConflictOfInterest.objects.create(
        expression_of_interest=eoi, organisation="Acme", nature="financial", details="Shares."
    )
    conflict.outcome = ConflictOfInterest.Outcome.MANAGED
    conflict.mitigation = "Leaves the room for procurement items."
    conflict._history_user = office
    conflict.save()

    outcomes = [record.outcome for record in conflict.history.order_by("history_date")]
    assert outcomes == ["", "managed"]
    assert conflict.history.latest().history_user == office


@pytest.mark.parametrize("group", ["Programme board", "Coordination office"])
def test_nobody_reverts_an_eoi_through_its_history(client, eoi, group):
    eoi.full_name = "Sam Changed"
    eoi.save()
    first = eoi.history.earliest()
    login_with_two_factor(
        client, UserFactory(email="someone@example.org", is_staff=True, staff_group=group)
    )
    url = f"{EOI_ADMIN}{eoi.pk}/history/{first.history_id}/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Sam Applicant", "status": "accepted"})

    assert response.status_code == 403
    eoi.refresh_from_db()
    assert eoi.full_name == "Sam Changed"


def test_the_office_may_restore_a_project_text_and_the_board_may_not(client, loaded_programme):
    project = Project.objects.get(code="CP1")
    original = project.vision_for_success
    project.vision_for_success = "A shorter vision."
    project.save()
    first = project.history.earliest()
    url = f"/admin/projects/project/{project.pk}/history/{first.history_id}/"
    office = UserFactory(email="pco@example.org", office=True)
    board = UserFactory(email="board@example.org", board=True)

    login_with_two_factor(client, board)
    assert client.post(url, {"vision_for_success": original}).status_code == 403
    login_with_two_factor(client, office)
    page = client.get(url)
    data = change_form_data(page)
    data["_change_history"] = "1"
    response = client.post(url, data)

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.vision_for_success == original
    assert project.history.latest().history_user == office


def test_a_co_chairs_declared_organisations_match_without_case(db):
    co_chair = UserFactory(email="chair@example.org")
    CoChairInterest.objects.create(co_chair=co_chair, organisation=" Example Venues Ltd ")
    CoChairInterest.objects.create(co_chair=UserFactory(), organisation="Other plc")

    declared = CoChairInterest.objects.filter(co_chair=co_chair)
    assert declared.in_organisation("EXAMPLE VENUES LTD").count() == 1
    assert declared.in_organisation("  example venues ltd").count() == 1
    assert declared.in_organisation("Example Venues").count() == 0
    assert CoChairInterest.objects.in_organisation("other PLC").count() == 1


def test_an_ethics_review_that_does_not_clear_needs_notes(loaded_programme):
    review = EthicsReview(
        project=Project.objects.get(code="CP1"),
        reviewer="Programme ethics panel",
        reviewed_on=datetime.date(2018, 5, 1),
        outcome=EthicsReview.Outcome.CLEARED_WITH_CONDITIONS,
    )
    with pytest.raises(ValidationError, match="conditions or the concerns"):
        review.full_clean()
    review.outcome = EthicsReview.Outcome.CLEARED
    review.full_clean()


def test_the_office_records_an_ethics_review_on_the_project(client, office, loaded_programme):
    project = Project.objects.get(code="CP1")
    login_with_two_factor(client, office)
    url = f"/admin/projects/project/{project.pk}/change/"
    page = client.get(url)
    data = change_form_data(page)
    prefix = inline_prefix(page, "EthicsReviewInline")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-reviewer": "Programme ethics panel",
            f"{prefix}-0-reviewed_on": "2018-05-01",
            f"{prefix}-0-outcome": "cleared",
            f"{prefix}-0-notes": "No supplier stands to gain from the guidance.",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    review = EthicsReview.objects.get()
    assert (review.project, review.recorded_by, review.outcome) == (project, office, "cleared")


def test_team_members_are_reminded_from_the_teams(open_call, eoi):
    placed = UserFactory(email="placed@example.org", stakeholder=True)
    TeamMembership.objects.create(
        project=open_call.projects.get(code="CP1"), member=placed, role="lead"
    )

    people = audience_recipients(Milestone.Audience.TEAM_MEMBERS, open_call)

    assert [email for email, _, _ in people] == ["placed@example.org"]


def test_the_office_lists_conflicts_awaiting_a_decision(client, office, eoi):
    ConflictOfInterest.objects.create(
        expression_of_interest=eoi, organisation="Acme", nature="financial", details="Shares."
    )
    ConflictOfInterest.objects.create(
        expression_of_interest=eoi,
        organisation="Decided Ltd",
        nature="financial",
        details="x",
        outcome="no_conflict",
    )
    login_with_two_factor(client, office)

    page = client.get("/admin/participants/conflictofinterest/?outcome=awaiting").content.decode()

    assert "Acme" in page
    assert "Decided Ltd" not in page
