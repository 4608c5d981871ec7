"""Parts of signed-in pages kept once for everyone (stepchange.page_cache.shared_fragment):
the same bytes as made afresh, fewer queries, and an edit in the admin shows at once."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.admin_forms import change_form_data
from tests.factories import UserFactory, login_with_two_factor

# The catalogue, signed in, once its list is kept (9 before: the list made each time,
# and the header asked whether a stakeholder chairs a workstream).
# The user with their roles (the session comes from Redis), the current call twice (the header's
# banner and the page's own: to be read once, as on the home page).
QUERIES_KEPT = 3


@pytest.fixture
def stakeholder_client(client, loaded_programme):
    client.force_login(UserFactory(stakeholder=True))
    return client


def _page(client, url="/projects/"):
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'value="[^"]{64}"', "TOKEN", response.content.decode())


def _admin_edit(superuser, model, pk, **changes):
    from django.test import Client

    admin = Client()
    login_with_two_factor(admin, superuser)
    url = reverse(f"admin:{model}_change", args=[pk])
    data = change_form_data(admin.get(url))
    data.update(changes)
    assert admin.post(url, data).status_code == 302


def test_the_catalogue_kept_is_the_catalogue_made(stakeholder_client):
    made = _page(stakeholder_client)
    kept = _page(stakeholder_client)

    assert kept == made
    assert "CP1" in kept and "Filter projects" in kept


def test_the_kept_catalogue_costs_no_query_for_its_projects(
    stakeholder_client, django_assert_num_queries
):
    _page(stakeholder_client)
    # The user and the rest of the person's part: none for the
    # filters' workstreams or the projects. (The page made afresh: not the page
    # kept for the session, stepchange/personal_pages.py.)
    with override_settings(PERSONAL_PAGE_SECONDS=0), django_assert_num_queries(QUERIES_KEPT):
        _page(stakeholder_client)


def test_a_project_edited_in_the_admin_shows_in_the_catalogue_at_once(
    stakeholder_client, superuser
):
    from projects.models import Project

    project = Project.objects.get(code="CP1")
    assert project.action in _page(stakeholder_client)  # kept now

    _admin_edit(superuser, "projects_project", project.pk, action="A newly worded action")

    assert "A newly worded action" in _page(stakeholder_client)


def test_a_workstream_renamed_in_the_admin_shows_in_the_catalogue_at_once(
    stakeholder_client, superuser, crowded_places
):
    assert "Crowded Places" in _page(stakeholder_client)

    _admin_edit(superuser, "workstreams_workstream", crowded_places.pk, name="Busy Places")

    page = _page(stakeholder_client)
    assert "Busy Places" in page and "Crowded Places" not in page


def test_a_filtered_catalogue_is_made_afresh(stakeholder_client):
    _page(stakeholder_client)  # the whole list, kept

    page = _page(stakeholder_client, "/projects/?workstream=transport")

    assert "Clear filters" in page
    assert "CP1" not in page and "T1" in page
