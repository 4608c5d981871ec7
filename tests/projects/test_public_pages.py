import pytest
from django.urls import reverse

from projects import programme
from projects.models import Project
from projects.services import open_demonstration_call
from workstreams.models import Workstream

PUBLIC_PAGES = [
    "home",
    "workstreams:list",
    "projects:list",
    "timeline",
    "participation",
    "privacy",
    "accessibility",
    "cookies",
    "contact",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_answers(client, loaded_programme, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert b"Step-Change Programme" in response.content


@pytest.mark.parametrize("code, action, vision", programme.PROJECTS)
def test_project_page_shows_the_documents_words(client, loaded_programme, code, action, vision):
    response = client.get(f"/projects/{code.lower()}/")

    assert response.status_code == 200
    assert response.context["project"].code == code
    html = response.content.decode()
    from django.utils.html import escape

    assert f'<p class="govuk-body" data-testid="action">{escape(action)}</p>' in html
    assert f'<p class="govuk-body" data-testid="vision-for-success">{escape(vision)}</p>' in html


def test_project_code_is_matched_without_regard_to_case(client, loaded_programme):
    assert client.get("/projects/CP3/").status_code == 200
    assert client.get("/projects/zz9/").status_code == 404


def test_home_shows_the_closed_2018_call(client, loaded_programme):
    response = client.get("/")

    html = response.content.decode()
    assert "This call closed at 11:59pm on Friday 25 May 2018." in html
    assert "Version 3, 8 May 2018" in html
    assert "Demonstration" not in html


def test_demonstration_call_is_marked_on_every_page(client, loaded_programme):
    open_demonstration_call()

    for name in PUBLIC_PAGES:
        response = client.get(reverse(name))
        assert b'data-testid="demonstration-banner"' in response.content, name
    assert b"Expressions of interest are open." in client.get("/").content


def test_catalogue_filters_by_workstream_and_status(client, loaded_programme):
    Project.objects.filter(code="T2").update(status=Project.Status.ACTIVE)

    response = client.get("/projects/", {"workstream": "transport"})
    assert [p.code for p in response.context["projects"]] == ["T1", "T2", "T3", "T4", "T5"]

    response = client.get("/projects/", {"workstream": "transport", "status": "active"})
    assert [p.code for p in response.context["projects"]] == ["T2"]

    response = client.get("/projects/", {"status": "active"})
    assert [p.code for p in response.context["projects"]] == ["T2"]


def test_catalogue_ignores_filters_it_does_not_know(client, loaded_programme):
    response = client.get("/projects/", {"workstream": "nonsense", "status": "<script>"})

    assert response.status_code == 200
    assert len(response.context["projects"]) == 25


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/projects/", "/workstreams/", "/workstreams/transport/", "/"])
def test_list_queries_do_not_grow_with_rows(client, loaded_programme, url):
    from tests.factories import ProjectFactory, UserFactory

    before = count_queries(client, url)
    transport = Workstream.objects.get(code="T")
    transport.business_co_chair = UserFactory()
    transport.save()
    ProjectFactory.create_batch(3, workstream=transport)
    ProjectFactory.create_batch(3)

    assert count_queries(client, url) == before


def test_workstream_page_lists_its_projects_and_co_chairs(client, loaded_programme):
    from tests.factories import UserFactory

    workstream = Workstream.objects.get(code="CF")
    workstream.business_co_chair = UserFactory(full_name="Ada Business")
    workstream.save()

    response = client.get("/workstreams/cyber-and-finance/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Listed in the Call to Action as “Cyber (inc Banking)”." in html
    assert "Ada Business" in html
    assert "To be announced" in html
    assert [p.code for p in response.context["workstream"].projects.all()] == [
        "CF1",
        "CF2",
        "CF3",
        "CF4",
        "CF5",
    ]


def test_timeline_lists_key_activities_and_milestones(client, loaded_programme):
    html = client.get("/timeline/").content.decode()

    for _when, activity in programme.KEY_ACTIVITIES:
        assert activity in html
    assert "Provisionally agreed projects are shared among working group co-chairs" in html
    assert "Delivery commences" in html


def test_participation_page_carries_the_statements(client, loaded_programme):
    html = client.get("/participation-and-ethics/").content.decode()

    assert "participation is voluntary" in html
    assert "it is in confidence" in html
    assert "participants will be invited to declare any conflicts of interest" in html


def test_unknown_page_is_the_services_404(client, loaded_programme):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-service-navigation" in response.content


def test_server_error_page_renders_without_a_request_context(rf):
    from stepchange.views import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
