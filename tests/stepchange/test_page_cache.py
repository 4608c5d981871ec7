"""Public pages are kept for anonymous visitors and dropped when their content changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from tests.factories import UserFactory

PAGE = "/projects/cp1/"


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("url", ["/", "/projects/", PAGE, "/workstreams/", "/timeline/"])
def test_a_kept_page_costs_no_query(client, loaded_programme, url):
    first, page = queries(client, url)
    again, kept = queries(client, url)

    assert first > 0
    assert again == 0
    assert kept == page


def test_changing_a_project_drops_the_kept_pages(client, loaded_programme):
    queries(client, PAGE)
    project = Project.objects.get(code="CP1")
    project.vision_for_success = "A vision changed a moment ago."
    project.save()

    _, page = queries(client, PAGE)

    assert "A vision changed a moment ago." in page


def test_renaming_a_co_chair_drops_the_kept_pages(client, loaded_programme):
    from workstreams.models import Workstream

    chair = UserFactory(full_name="Casey Chair")
    workstream = Workstream.objects.get(slug="crowded-places")
    workstream.business_co_chair = chair
    workstream.save()
    queries(client, "/workstreams/crowded-places/")
    chair.full_name = "Casey Renamed"
    chair.save()

    _, page = queries(client, "/workstreams/crowded-places/")

    assert "Casey Renamed" in page


def test_signed_in_people_and_queries_are_not_served_from_the_cache(client, loaded_programme):
    queries(client, "/projects/")
    filtered, _ = queries(client, "/projects/?status=priority")
    assert filtered > 0

    client.force_login(UserFactory())
    signed_in, page = queries(client, "/projects/")
    assert signed_in > 0
    assert "Sign out" in page
