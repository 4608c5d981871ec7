import pytest
from django.urls import reverse

from tests.admin_forms import change_form_data
from tests.factories import login_with_two_factor

ADMIN_LISTS = [
    "admin:projects_project_changelist",
    "admin:projects_call_changelist",
    "admin:projects_milestone_changelist",
    "admin:projects_keyactivity_changelist",
    "admin:workstreams_workstream_changelist",
    "admin:participants_user_changelist",
]


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_admin_lists_answer_with_search(client, loaded_programme, superuser, name):
    login_with_two_factor(client, superuser)

    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name), {"q": "security"}).status_code == 200


def test_admin_project_list_is_ordered_by_code(client, loaded_programme, superuser):
    login_with_two_factor(client, superuser)

    response = client.get(reverse("admin:projects_project_changelist"))

    codes = [project.code for project in response.context["cl"].result_list]
    assert codes == sorted(codes)


def test_admin_project_change_page_saves_an_edit(client, loaded_programme, superuser):
    from projects.models import Project

    login_with_two_factor(client, superuser)
    project = Project.objects.get(code="SR5")
    url = reverse("admin:projects_project_change", args=[project.pk])

    data = change_form_data(client.get(url))
    data.update({"vision_for_success": "A new vision", "status": "active"})

    response = client.post(url, data)

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.vision_for_success, project.status) == ("A new vision", "active")


def test_admin_carries_the_services_name(client, superuser):
    login_with_two_factor(client, superuser)

    assert b"Step-Change Programme" in client.get("/admin/").content


def test_admin_is_closed_to_signed_out_visitors(client, db):
    response = client.get("/admin/projects/project/")

    assert response.status_code == 302
