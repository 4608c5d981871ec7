"""What a signed-in request pays before its view, pinned: the session from Redis (no
query: cached_db, written through to the database), one query for the user with
their roles and two-factor state (stepchange/auth_backend.py), and no write on a read. The counts are of a page seen a second time (the first may
write the access log's row for the minute, or the session's activity)."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from stepchange import roles
from tests.factories import UserFactory, login_with_two_factor

WRITES = ("INSERT", "UPDATE", "DELETE")


def _second_visit(client, path):
    assert client.get(path).status_code == 200
    # Made afresh, not the page kept for the session (stepchange/personal_pages.py).
    with override_settings(PERSONAL_PAGE_SECONDS=0), CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _assert_one_query_for_the_user(queries):
    """The user row carries the roles and the app: no query of them on their own."""
    users = [q for q in queries if q.startswith('SELECT "participants_user"."id"')]
    assert len(users) == 1, users
    assert "mfa_authenticator" in users[0] and "workstreams_workstream" in users[0]
    alone = [q for q in queries if q.startswith(("SELECT %s AS", "SELECT 1 AS"))]
    assert not [q for q in alone if "mfa_authenticator" in q or "co_chair_id" in q], alone
    assert not [q for q in queries if q.startswith(WRITES)], "a read wrote"


@pytest.mark.parametrize("page, count", [("/projects/", 2), ("task list", 6)])
def test_a_stakeholders_pages(applicant_client, complete_draft, page, count):
    path = f"/applications/{complete_draft.reference}/" if page == "task list" else page
    queries = _second_visit(applicant_client, path)
    _assert_one_query_for_the_user(queries)
    assert len(queries) == count, "\n".join(queries)


@pytest.mark.parametrize(
    "path, count",
    [
        ("/workspace/crowded-places/", 11),
        ("/workspace/crowded-places/projects/CP1/applicants/", 8),
    ],
)
def test_a_co_chairs_workspace(client, co_chair, path, count):
    login_with_two_factor(client, co_chair)
    queries = _second_visit(client, path)
    _assert_one_query_for_the_user(queries)
    assert len(queries) == count, "\n".join(queries)


def test_the_offices_eoi_list(client, office, submitted):
    login_with_two_factor(client, office)
    queries = _second_visit(client, "/admin/participants/expressionofinterest/")
    _assert_one_query_for_the_user(queries)
    # The admin's permission checks read the user's and their groups' permissions.
    assert len([q for q in queries if '"auth_permission"' in q]) == 2
    assert len(queries) == 14, "\n".join(queries)


def test_the_roles_read_with_the_user_match_the_database(client, co_chair, office, applicant):
    from django.contrib.auth import get_user_model

    from stepchange.auth_backend import ModelBackend

    for person, privileged, app in [(co_chair, True, True), (office, True, True)]:
        read = ModelBackend().get_user(person.pk)
        assert (roles.is_privileged(read), roles.has_two_factor(read)) == (privileged, app)
    read = ModelBackend().get_user(applicant.pk)
    assert (roles.is_privileged(read), roles.has_two_factor(read)) == (False, False)
    # A user read elsewhere carries no answers: the checks ask the database.
    plain = get_user_model().objects.get(pk=co_chair.pk)
    assert roles.is_privileged(plain) and roles.has_two_factor(plain)


def test_a_session_signed_in_with_the_old_backends_stays_signed_in(client, db):
    person = UserFactory(stakeholder=True)
    client.force_login(person)
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()

    response = client.get("/applications/")

    assert response.status_code == 200 and response.wsgi_request.user == person
    assert client.session[BACKEND_SESSION_KEY] == "stepchange.auth_backend.ModelBackend"
