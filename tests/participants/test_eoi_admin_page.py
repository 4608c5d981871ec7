"""The expression of interest's page in the admin: the applicant's answers are
read only (a summary, not a form), whatever a POST holds; what the office does
there (status, checks, conflicts' outcomes) is a form, and recorded."""

import pytest
from django.forms.models import model_to_dict

from participants.models import (
    ConflictOfInterest,
    ExpressionOfInterest,
    StatusChange,
    ValidationCheck,
)
from projects.models import Project
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import (
    ConflictOfInterestFactory,
    UserFactory,
    applicant_for,
    login_with_two_factor,
)

EOI_ADMIN = "/admin/participants/expressionofinterest/"
# What the applicant typed: none of it is the office's to change.
FORGED_ANSWERS = {
    "full_name": "Someone Else",
    "job_title": "Forged",
    "work_email": "forged@evil.example",
    "work_phone": "000",
    "organisation_name": "Forged Ltd",
    "sector": "other",
    "website": "https://evil.example",
    "referee_name": "Forged Referee",
    "referee_email": "forged-referee@evil.example",
    "hours_per_month": "99",
    "accepts_confidentiality": "",
    "withdrawal_reason": "Forged",
    "applicant": "1",
    "status": "accepted",
    "call": "1",
}


@pytest.fixture
def eoi(open_call):
    eoi = applicant_for(open_call, "Ash Lead", "CP1", "lead", status="under_review")
    conflict = ConflictOfInterestFactory(
        expression_of_interest=eoi, organisation="Acme Barriers", details="I hold shares."
    )
    conflict.projects.add(Project.objects.get(code="CP1"))
    return eoi


def answers(eoi):
    eoi = ExpressionOfInterest.objects.get(pk=eoi.pk)
    record = model_to_dict(eoi)
    record["interests"] = list(eoi.project_interests.values("project__code", "role", "experience"))
    record["conflicts"] = list(
        eoi.conflicts.values("organisation", "nature", "details", "projects__code")
    )
    return record


def test_the_page_shows_the_answers_as_a_summary_not_a_form(client, office, eoi):
    login_with_two_factor(client, office)

    page = client.get(f"{EOI_ADMIN}{eoi.pk}/change/")

    assert sorted(page.context["adminform"].form.fields) == ["move_to"]
    html = page.content.decode()
    summary = html[html.index('id="applicant-answers"') :]
    for answer in ["Ash Lead", "Lead Ltd", "referee-of-ash@example.org", "ran venue security"]:
        assert answer in summary
    assert 'name="full_name"' not in html
    assert "Change<span" not in summary  # no change links: the applicant's to change


def test_a_post_with_the_answers_changes_none_of_them(client, office, eoi):
    login_with_two_factor(client, office)
    url = f"{EOI_ADMIN}{eoi.pk}/change/"
    page = client.get(url)
    before = answers(eoi)
    conflicts = inline_prefix(page, "ConflictInline")
    data = {
        **change_form_data(page),
        **FORGED_ANSWERS,
        f"{conflicts}-0-organisation": "Forged Co",
        f"{conflicts}-0-details": "Forged",
        f"{conflicts}-0-projects": [Project.objects.get(code="T1").pk],
        f"{conflicts}-0-DELETE": "on",
        f"{conflicts}-0-outcome": "no_conflict",
        # An inline of the answers that is no longer on the page.
        "project_interests-TOTAL_FORMS": "1",
        "project_interests-INITIAL_FORMS": "1",
        "project_interests-0-id": str(eoi.project_interests.get().pk),
        "project_interests-0-experience": "Forged",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    assert answers(eoi) == before
    # The office's own work in the same POST is saved, with who decided it.
    conflict = ConflictOfInterest.objects.get(expression_of_interest=eoi)
    assert (conflict.outcome, conflict.decided_by) == ("no_conflict", office)


def test_the_office_moves_the_status_from_the_page_and_it_is_recorded(client, office, eoi):
    login_with_two_factor(client, office)
    url = f"{EOI_ADMIN}{eoi.pk}/change/"
    data = change_form_data(client.get(url))

    refused = client.post(url, {**data, "move_to": "accepted"})
    assert refused.status_code == 200  # not offered: decisions accept
    assert ExpressionOfInterest.objects.get(pk=eoi.pk).status == "under_review"

    assert client.post(url, {**data, "move_to": "shortlisted"}).status_code == 302
    assert ExpressionOfInterest.objects.get(pk=eoi.pk).status == "shortlisted"
    change = StatusChange.objects.get(expression_of_interest=eoi)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "under_review",
        "shortlisted",
        office,
    )


def test_a_check_is_recorded_in_the_name_of_whoever_saves_it(client, office, eoi):
    someone_else = UserFactory(office=True)
    login_with_two_factor(client, office)
    url = f"{EOI_ADMIN}{eoi.pk}/change/"
    page = client.get(url)
    prefix = inline_prefix(page, "ValidationCheckInline")
    check = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-method": "email_verified",
        f"{prefix}-0-result": "passed",
        f"{prefix}-0-note": "Replied from the work address.",
        f"{prefix}-0-recorded_by": str(someone_else.pk),  # not a field: ignored
    }

    assert client.post(url, {**change_form_data(page), **check}).status_code == 302
    recorded = ValidationCheck.objects.get(expression_of_interest=eoi)
    assert (recorded.note, recorded.recorded_by) == ("Replied from the work address.", office)


def test_the_board_reads_the_page_and_changes_nothing(client, eoi):
    board = UserFactory(email="board@example.org", board=True)
    login_with_two_factor(client, board)

    page = client.get(f"{EOI_ADMIN}{eoi.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Ash Lead" in html
    assert 'name="move_to"' not in html


def test_the_list_puts_the_status_early_and_filters_projects_by_code_and_first_words(
    client, office, eoi
):
    login_with_two_factor(client, office)

    page = client.get(EOI_ADMIN)

    assert page.context["cl"].list_display[:4] == [
        "action_checkbox",
        "reference",
        "full_name",
        "status",
    ]
    project_filter = next(f for f in page.context["cl"].filter_specs if f.title == "project")
    labels = dict(project_filter.lookup_choices)
    cp1 = Project.objects.get(code="CP1")
    assert labels[cp1.pk] == "CP1 – Review existing governance around crowded places…"
