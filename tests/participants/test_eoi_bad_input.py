"""Every field is validated on the server; a rejected page changes nothing saved."""

import pytest

from participants.models import ExpressionOfInterest, ProjectInterest
from tests.answers import ANSWERS, section_url
from tests.factories import CallFactory, ProjectFactory


def errors_on(response):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "govuk-error-summary" in html
    return html


def post(client, eoi, section, **changes):
    data = {**ANSWERS[section], **changes}
    for key in [key for key, value in changes.items() if value is None]:
        del data[key]
    return client.post(section_url(eoi, section), data)


@pytest.mark.parametrize(
    "section, changes, message",
    [
        ("your-details", {"full_name": ""}, "Enter your full name"),
        ("your-details", {"full_name": "x" * 151}, "Ensure this value has at most 150 characters"),
        (
            "your-details",
            {"work_email": "not-an-email"},
            "Enter an email address in the correct format",
        ),
        ("your-details", {"work_phone": "12345"}, "Enter a telephone number, like"),
        ("your-details", {"work_phone": "+44 1632 96"}, "Enter a telephone number, like"),
        (
            "your-organisation",
            {"sector": "other", "sector_other": ""},
            "Enter your organisation&#x27;s sector",
        ),
        (
            "your-organisation",
            {"sector": "private", "organisation_size": None},
            "Select how big your organisation is",
        ),
        ("your-organisation", {"sector": "pirates"}, "Select a valid choice"),
        (
            "your-organisation",
            {"website": "not a website"},
            "Enter a web address in the correct format",
        ),
        ("validation", {"referee_email": "alex@example.org"}, "Your referee must be someone else"),
        ("validation", {"referee_email": "ALEX@example.org"}, "Your referee must be someone else"),
        (
            "validation",
            {"referee_name": "alex applicant"},
            "Your referee must be someone else, not you",
        ),
        ("validation", {"referee_consent": None}, "Confirm that we may contact your referee"),
        ("validation", {"sia_licence_number": "12345"}, "16 digits"),
        ("validation", {"vetting": "top-secret"}, "Select a valid choice"),
        ("projects", {"projects": []}, "Select at least one project"),
        ("projects", {"role_T1": None}, "Select your role in T1"),
        ("projects", {"experience_T1": "   "}, "Enter your relevant experience for T1"),
        (
            "projects",
            {"experience_T1": "x" * 1501},
            "Your experience for T1 must be 1500 characters or fewer",
        ),
        ("projects", {"projects": ["T1", "T1"]}, "Select each project only once"),
        ("projects", {"preference_T1": "1"}, "Give T1 a different preference from CP2"),
        ("projects", {"preference_T1": "3"}, "Your preference for T1 must be between 1 and 2"),
        ("projects", {"hours_per_month": "0"}, "Enter at least 1 hour a month"),
        ("projects", {"hours_per_month": "lots"}, "Enter the hours as a number"),
        ("projects", {"projects": ["T1", "ZZ9"]}, "Select projects from this call"),
        ("conflicts-of-interest", {"has_conflicts": "maybe"}, "Select a valid choice"),
        (
            "declarations",
            {"accepts_confidentiality": None},
            "Confirm that you accept the work is in confidence",
        ),
        ("declarations", {"accepts_voluntary": None}, "voluntary and unfunded"),
        (
            "declarations",
            {"undertakes_to_declare": None},
            "declare conflicts of interest as they arise",
        ),
        (
            "declarations",
            {"read_privacy_notice": None},
            "Confirm that you have read the privacy notice",
        ),
    ],
)
def test_bad_answer_is_refused_with_its_message_and_nothing_changes(
    applicant_client, complete_draft, section, changes, message
):
    before = ExpressionOfInterest.objects.filter(pk=complete_draft.pk).values().get()
    interests_before = list(ProjectInterest.objects.values())

    html = errors_on(post(applicant_client, complete_draft, section, **changes))

    assert message in html
    assert html.count(message) >= 2  # in the error summary and beside the field
    after = ExpressionOfInterest.objects.filter(pk=complete_draft.pk).values().get()
    assert after == before
    assert list(ProjectInterest.objects.values()) == interests_before


def test_a_project_of_another_call_is_refused(applicant_client, complete_draft):
    other = CallFactory()
    stranger = ProjectFactory(code="X1")
    other.projects.add(stranger)

    html = errors_on(
        post(
            applicant_client,
            complete_draft,
            "projects",
            projects=["X1"],
            role_X1="lead",
            experience_X1="x",
        )
    )

    assert "Select projects from this call" in html
    assert not ProjectInterest.objects.filter(project=stranger).exists()


def test_conflict_declaration_needs_its_answers_and_only_own_projects(
    applicant_client, complete_draft
):
    from projects.models import Project

    url = f"/applications/{complete_draft.reference}/conflicts-of-interest/add/"
    html = errors_on(applicant_client.post(url, {}))
    for message in [
        "Enter the organisation the interest is about",
        "Select the nature of the interest",
        "Give details of the interest",
    ]:
        assert message in html

    not_mine = Project.objects.get(code="SR1")
    html = errors_on(
        applicant_client.post(
            url,
            {
                "organisation": "Acme",
                "nature": "financial",
                "details": "Shares",
                "projects": [not_mine.pk],
            },
        )
    )
    assert "Select projects from your expression of interest" in html
    assert complete_draft.conflicts.count() == 0


def test_declaring_and_removing_a_conflict(applicant_client, complete_draft):
    from projects.models import Project

    applicant_client.post(
        section_url(complete_draft, "conflicts-of-interest"), {"has_conflicts": "yes"}
    )
    cp2 = Project.objects.get(code="CP2")
    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/conflicts-of-interest/add/",
        {
            "organisation": "Acme Barriers",
            "nature": "commercial",
            "details": "I sell barriers",
            "projects": [cp2.pk],
        },
    )
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.no_conflicts is False
    conflict = complete_draft.conflicts.get()
    assert list(conflict.projects.values_list("code", flat=True)) == ["CP2"]
    assert complete_draft.conflicts_complete() is True

    applicant_client.post(
        f"/applications/{complete_draft.reference}/conflicts-of-interest/{conflict.pk}/remove/"
    )

    assert complete_draft.conflicts.count() == 0
    assert complete_draft.conflicts_complete() is False


def test_dropping_a_project_removes_it_from_conflicts(applicant_client, complete_draft):
    from projects.models import Project

    conflict = complete_draft.conflicts.create(organisation="Acme", nature="other", details="x")
    conflict.projects.add(*Project.objects.filter(code__in=["CP2", "T1"]))

    post(applicant_client, complete_draft, "projects", projects=["CP2"], preference_CP2="1")

    assert list(conflict.projects.values_list("code", flat=True)) == ["CP2"]
    assert list(complete_draft.project_interests.values_list("project__code", flat=True)) == ["CP2"]


def test_one_project_needs_no_preference(applicant_client, applicant, open_call):
    applicant_client.get("/applications/express-interest/")
    eoi = ExpressionOfInterest.objects.get(applicant=applicant)

    response = applicant_client.post(
        section_url(eoi, "projects"),
        {
            "projects": ["TT1"],
            "role_TT1": "develop",
            "experience_TT1": "Travel advice",
            "hours_per_month": "4",
        },
    )

    assert response.status_code == 302
    assert eoi.project_interests.get().preference == 1


def test_an_unknown_section_is_not_found(applicant_client, complete_draft):
    assert applicant_client.get(section_url(complete_draft, "nonsense")).status_code == 404
