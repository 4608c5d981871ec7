import pytest
from django.contrib.auth.models import Group

from tests.factories import ExpressionOfInterestFactory, UserFactory, login_with_two_factor


@pytest.fixture
def eoi(open_call):
    return ExpressionOfInterestFactory(
        applicant__email="applicant@example.org", call=open_call, submitted=True
    )


def test_the_groups_exist_with_their_permissions(db):
    office = set(
        Group.objects.get(name="Coordination office").permissions.values_list("codename", flat=True)
    )
    board = set(
        Group.objects.get(name="Programme board").permissions.values_list("codename", flat=True)
    )

    assert {
        "change_expressionofinterest",
        "add_validationcheck",
        "change_project",
        "view_notice",
    } <= office
    assert "delete_expressionofinterest" not in office
    assert all(codename.startswith("view_") for codename in board)
    assert {"view_expressionofinterest", "view_project", "view_workstream"} <= board
    assert "view_notice" not in board


def test_the_programme_board_reads_and_changes_nothing(client, eoi):
    login_with_two_factor(client, UserFactory(email="board@example.org", board=True))
    url = f"/admin/participants/expressionofinterest/{eoi.pk}/change/"

    listing = client.get("/admin/participants/expressionofinterest/")
    assert listing.status_code == 200
    assert "move_to_under_review" not in listing.content.decode()
    assert client.get(url).status_code == 200
    assert client.post(url, {"full_name": "Changed"}).status_code == 403
    response = client.post(
        "/admin/participants/expressionofinterest/",
        {"action": "move_to_under_review", "_selected_action": [eoi.pk]},
    )
    eoi.refresh_from_db()
    assert eoi.status == "submitted"
    assert response.status_code in {200, 302, 403}
    assert client.get("/admin/stepchange/notice/").status_code == 403


def test_the_coordination_office_triages_but_does_not_delete(client, eoi):
    login_with_two_factor(client, UserFactory(email="pco@example.org", office=True))

    client.post(
        "/admin/participants/expressionofinterest/",
        {"action": "move_to_under_review", "_selected_action": [eoi.pk]},
    )

    eoi.refresh_from_db()
    assert eoi.status == "under_review"
    assert (
        client.get(f"/admin/participants/expressionofinterest/{eoi.pk}/delete/").status_code == 403
    )
    assert client.get("/admin/stepchange/notice/").status_code == 200


def test_the_demonstration_user_is_a_coordination_office_member(db, settings):
    from django.core.management import call_command

    from participants.models import User

    settings.DEBUG = True
    call_command("createdemouser")

    user = User.objects.get(email="pco@demo.stepchange.invalid")
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert list(user.groups.values_list("name", flat=True)) == ["Coordination office"]


def test_demonstration_user_refused_in_production(db, settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("createdemouser")
