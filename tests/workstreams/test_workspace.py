"""The co-chairs' workspace: figures, project texts and revisions, applicants,
recommendations, the team and in-confidence notes."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.models import (
    CoChairInterest,
    ConflictOfInterest,
    ExclusionOverride,
    ExportLog,
    Recommendation,
    TeamMembership,
)
from projects.models import Project
from tests.answers import IDENTITY_VALUES
from tests.factories import (
    UserFactory,
    ValidationCheckFactory,
    applicant_for,
    login_with_two_factor,
)

WORKSPACE = "/workspace/crowded-places/"
CP1 = f"{WORKSPACE}projects/cp1/"


@pytest.fixture
def chair_client(client, co_chair):
    login_with_two_factor(client, co_chair)
    return client


def test_the_header_offers_your_workstream_to_co_chairs_only(client, co_chair):
    client.force_login(UserFactory(email="sam@example.org", stakeholder=True))
    assert "Your workstream" not in client.get("/").content.decode()

    login_with_two_factor(client, co_chair)
    assert "Your workstream" in client.get("/").content.decode()
    assert client.get("/workspace/").url == WORKSPACE


def test_my_workstream_shows_each_projects_figures(chair_client, open_call):
    ValidationCheckFactory(
        expression_of_interest=applicant_for(open_call, "Ash Lead", "CP1", "lead")
    )
    applicant_for(open_call, "Blake Develop", "CP1", "develop", status="shortlisted")
    applicant_for(open_call, "Casey Draft", "CP2", "lead", status="draft")
    eoi = applicant_for(open_call, "Dana Deliver", "CP2", "deliver")
    ConflictOfInterest.objects.create(
        expression_of_interest=eoi, organisation="Acme", nature="financial", details="x"
    )

    page = chair_client.get(WORKSPACE)

    projects = {project.code: project for project in page.context["projects"]}
    assert list(projects) == ["CP1", "CP2", "CP3", "CP4", "CP5"]
    assert projects["CP1"].by_role == [("Lead", 1), ("Develop", 1), ("Deliver", 0)]
    assert projects["CP1"].validated_share == 50
    assert projects["CP1"].lead_offered
    assert projects["CP2"].by_role == [("Lead", 0), ("Develop", 0), ("Deliver", 1)]
    assert projects["CP2"].open_conflicts == 1
    assert not projects["CP2"].lead_offered
    assert "Nobody has offered to lead CP2, CP3, CP4, CP5." in page.content.decode()


def test_amending_a_project_makes_a_revision_with_author_and_comment(chair_client, co_chair):
    project = Project.objects.get(code="CP1")
    original = project.vision_for_success
    data = {name: getattr(project, name) for name in Project.TEXT_FIELDS}
    data.update(
        vision_for_success=original + " Every venue has a tested plan.",
        in_confidence_notes="The pilot venue is in Leeds.",
        comment="Added the measure we agreed.",
    )

    response = chair_client.post(f"{CP1}edit/", data)

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.vision_for_success.endswith("Every venue has a tested plan.")
    revision = project.history.latest()
    assert (revision.history_user, revision.history_change_reason) == (
        co_chair,
        "Added the measure we agreed.",
    )
    older, newer = project.history.order_by("history_date")
    compare = chair_client.get(
        f"{CP1}revisions/compare/?older={older.history_id}&newer={newer.history_id}"
    ).content.decode()
    assert "added: </span> Every venue has a tested plan.</ins>" in compare
    assert "The pilot venue is in Leeds." in compare
    assert "Added the measure we agreed." in chair_client.get(f"{CP1}revisions/").content.decode()


def test_an_amendment_needs_a_comment_and_keeps_the_text(chair_client):
    project = Project.objects.get(code="CP1")
    data = {name: getattr(project, name) for name in Project.TEXT_FIELDS}
    data.update(vision_for_success="", comment="")

    response = chair_client.post(f"{CP1}edit/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the project&#x27;s vision for success" in page
    assert "Say what you changed, and why" in page
    assert project.history.count() == 1


def test_the_applicant_list_shows_what_co_chairs_may_see(chair_client, open_call):
    applicant_for(open_call, "Ash Lead")
    applicant_for(open_call, "Casey Draft", status="draft")
    applicant_for(open_call, "Gale Gone", status="withdrawn")
    applicant_for(open_call, "Toni Elsewhere", code="T1")

    page = chair_client.get(f"{CP1}applicants/").content.decode()

    assert "Ash Lead" in page
    assert "Ash Lead ran venue security for ten years." in page
    for absent in ["Casey Draft", "Gale Gone", "Toni Elsewhere", *IDENTITY_VALUES]:
        assert absent not in page


def test_an_excluded_applicant_is_not_shown_until_the_office_overrides(
    chair_client, open_call, office
):
    eoi = applicant_for(open_call, "Ash Lead")
    conflict = ConflictOfInterest.objects.create(
        expression_of_interest=eoi,
        organisation="Barrier plc",
        nature="commercial",
        details="Sells barriers.",
        outcome="excluded",
    )
    conflict.excluded_from.add(Project.objects.get(code="CP1"))
    assert "Ash Lead" not in chair_client.get(f"{CP1}applicants/").content.decode()
    assert chair_client.get(f"{CP1}applicants/{eoi.reference}/").status_code == 404

    ExclusionOverride.objects.create(
        expression_of_interest=eoi,
        project=Project.objects.get(code="CP1"),
        reason="Contract ended.",
        decided_by=office,
    )
    assert "Ash Lead" in chair_client.get(f"{CP1}applicants/").content.decode()


def test_a_declared_interest_withholds_the_applicant(chair_client, co_chair, open_call):
    eoi = applicant_for(open_call, "Ash Lead", organisation_name="Barrier Systems plc")
    CoChairInterest.objects.create(co_chair=co_chair, organisation="barrier systems PLC")

    page = chair_client.get(f"{CP1}applicants/").content.decode()
    download = chair_client.get(f"{CP1}applicants.csv").content.decode()

    assert f"{eoi.reference}: withheld" in page
    assert "Ash Lead" not in page
    assert "Ash Lead" not in download
    assert chair_client.get(f"{CP1}applicants/{eoi.reference}/").status_code == 404


def test_the_applicant_list_filters(chair_client, open_call):
    ValidationCheckFactory(expression_of_interest=applicant_for(open_call, "Ash Lead", role="lead"))
    applicant_for(open_call, "Blake Develop", role="develop", status="shortlisted")

    def names(query):
        rows = chair_client.get(f"{CP1}applicants/?{query}").context["page"].object_list
        return [row.expression_of_interest.full_name for row in rows]

    assert names("") == ["Ash Lead", "Blake Develop"]
    assert names("role=develop") == ["Blake Develop"]
    assert names("status=shortlisted") == ["Blake Develop"]
    assert names("validation=validated") == ["Ash Lead"]
    assert names("role=nonsense") == ["Ash Lead", "Blake Develop"]


def test_the_csv_is_the_same_list_without_identity_and_is_logged(chair_client, co_chair, open_call):
    applicant_for(open_call, "Ash Lead", role="lead")
    applicant_for(open_call, "=Formula Person", role="develop")

    response = chair_client.get(f"{CP1}applicants.csv?role=develop")

    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["Reference", "Name", "Organisation"]
    assert [row[1] for row in rows[1:]] == ["'=Formula Person"]
    assert not any(value in response.content.decode() for value in IDENTITY_VALUES)
    log = ExportLog.objects.get()
    assert (log.exported_by, log.filters, log.rows) == (co_chair, "role=develop", 1)


def test_a_recommendation_is_saved_and_the_office_sees_it(
    chair_client, client, co_chair, open_call, office
):
    eoi = applicant_for(open_call, "Ash Lead")
    url = f"{CP1}applicants/{eoi.reference}/"
    assert chair_client.post(url, {"verdict": ""}).status_code == 200

    response = chair_client.post(url, {"verdict": "lead", "comment": "Ran the Leeds pilot."})

    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.co_chair, recommendation.verdict) == (co_chair, "lead")
    chair_client.post(url, {"verdict": "member", "comment": "On reflection."})
    assert Recommendation.objects.get().verdict == "member"
    assert Recommendation.history.count() == 2

    login_with_two_factor(client, office)
    admin_page = client.get(
        f"/admin/participants/expressionofinterest/{eoi.pk}/change/"
    ).content.decode()
    assert "On reflection." in admin_page
    listing = client.get("/admin/participants/expressionofinterest/?recommended=member")
    assert eoi.reference in listing.content.decode()


def test_the_team_page_warns_without_a_lead(chair_client, open_call):
    eoi = applicant_for(open_call, "Blake Develop", role="develop", status="accepted")
    TeamMembership.objects.create(
        project=Project.objects.get(code="CP1"),
        member=eoi.applicant,
        role="develop",
        expression_of_interest=eoi,
    )

    page = chair_client.get(f"{CP1}team/").content.decode()

    assert "This project has no lead." in page
    assert "Blake Develop, Develop Ltd" in page


@pytest.mark.parametrize(
    "who, sees", [("stranger", False), ("co_chair", True), ("office", True), ("member", True)]
)
def test_in_confidence_notes_are_shown_only_to_those_entitled(
    client, open_call, co_chair, office, who, sees
):
    Project.objects.filter(code="CP1").update(in_confidence_notes="The pilot venue is in Leeds.")
    member = applicant_for(open_call, "Blake Member", status="accepted")
    TeamMembership.objects.create(
        project=Project.objects.get(code="CP1"), member=member.applicant, role="lead"
    )
    stranger = applicant_for(open_call, "Sam Stranger", code="CP2")
    people = {
        "stranger": stranger.applicant,
        "co_chair": co_chair,
        "office": office,
        "member": member.applicant,
    }
    login_with_two_factor(client, people[who])

    response = client.get("/projects/cp1/")

    assert ("The pilot venue is in Leeds." in response.content.decode()) is sees
    if sees:
        assert "no-store" in response["Cache-Control"]


def test_a_co_chair_declares_and_removes_an_interest(chair_client, co_chair):
    assert chair_client.post("/workspace/interests/", {"organisation": ""}).status_code == 200

    chair_client.post(
        "/workspace/interests/", {"organisation": "Barrier plc", "details": "Shares."}
    )
    interest = CoChairInterest.objects.get()
    assert interest.co_chair == co_chair
    chair_client.post(f"/workspace/interests/{interest.pk}/remove/")
    assert not CoChairInterest.objects.exists()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [WORKSPACE, f"{CP1}applicants/", f"{CP1}team/"])
def test_list_pages_take_the_same_queries_at_two_sizes(
    chair_client, open_call, url, django_assert_max_num_queries
):
    def add(start, count):
        for number in range(start, start + count):
            eoi = applicant_for(open_call, f"Person{number} Surname{number}", status="accepted")
            ValidationCheckFactory(expression_of_interest=eoi)
            TeamMembership.objects.create(
                project=Project.objects.get(code="CP1"),
                member=eoi.applicant,
                role="lead",
                expression_of_interest=eoi,
            )

    add(0, 2)
    small = queries(chair_client, url)
    add(2, 30)

    with django_assert_max_num_queries(small):
        assert chair_client.get(url).status_code == 200
