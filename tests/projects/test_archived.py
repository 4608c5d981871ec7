"""Archived projects and workstreams: kept with their applicants' records, hidden
from the public pages and from new expressions of interest."""

import pytest

from participants.forms.eoi_projects import ProjectsForm
from projects.models import Project
from tests.factories import ExpressionOfInterestFactory, applicant_for
from workstreams.models import Workstream


@pytest.fixture
def archived_cp1(open_call):
    Project.objects.filter(code="CP1").update(archived=True)
    return Project.objects.get(code="CP1")


def test_an_archived_project_leaves_the_public_pages(client, archived_cp1):
    assert client.get("/projects/cp1/").status_code == 404
    assert client.get("/projects/cp1/question/").status_code == 404
    listed = client.get("/projects/").content.decode()
    assert ("CP1" in listed, "CP2" in listed) == (False, True)
    workstream = client.get("/workstreams/crowded-places/").content.decode()
    assert ("CP1" in workstream, "CP2" in workstream) == (False, True)


def test_an_archived_project_is_offered_only_to_an_eoi_that_chose_it(open_call, archived_cp1):
    chose_it = applicant_for(open_call, "Ash Lead", "CP1", "lead")
    new = ExpressionOfInterestFactory(call=open_call)

    def offered(eoi):
        return [
            project.code for project in ProjectsForm(call=open_call, instance=eoi).call_projects
        ]

    assert "CP1" not in offered(new)
    assert "CP1" in offered(chose_it)
    assert len(offered(chose_it)) == len(offered(new)) + 1


def test_an_archived_workstream_leaves_the_public_pages_with_its_projects(client, open_call):
    Workstream.objects.filter(slug="crowded-places").update(archived=True)

    assert client.get("/workstreams/crowded-places/").status_code == 404
    assert "Crowded Places" not in client.get("/workstreams/").content.decode()
    assert client.get("/projects/cp2/").status_code == 404
    assert "CP2" not in client.get("/projects/").content.decode()
    new = ExpressionOfInterestFactory(call=open_call)
    codes = [p.code for p in ProjectsForm(call=open_call, instance=new).call_projects]
    assert [code for code in codes if code.startswith("CP")] == []
