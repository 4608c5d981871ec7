"""Signed-in pages kept for the session that asked for them (stepchange/personal_pages.py):
kept for that session only, dropped by any write from any process and by the minute,
never kept while a message waits or when the view says no-store."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.session import SessionStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from stepchange import personal_pages
from tests.conftest import _database_url

KEPT = 1  # the user with their roles (the session is read from Redis)


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


@pytest.fixture
def task_list(complete_draft):
    return f"/applications/{complete_draft.reference}/"


def test_the_cache_is_shared_by_every_process_here():
    assert personal_pages.enabled(), "tests run with Redis, as production does"


def test_a_page_asked_again_by_the_same_session_is_the_page_kept(applicant_client, task_list):
    made, _ = _get(applicant_client, task_list)
    again, queries = _get(applicant_client, task_list)
    assert (again, queries) == (made, KEPT)


def test_another_session_of_the_same_person_gets_its_own_page(
    applicant_client, applicant, task_list
):
    _get(applicant_client, task_list)
    other = Client()
    other.force_login(applicant)
    _, queries = _get(other, task_list)
    assert queries > KEPT


def test_a_write_without_signals_drops_the_kept_page(applicant_client, complete_draft, task_list):
    from participants.models import ExpressionOfInterest

    _get(applicant_client, "/applications/")
    # QuerySet.update sends no signal: the connection reports the statement.
    ExpressionOfInterest.objects.filter(pk=complete_draft.pk).update(
        organisation_name="A newly named organisation"
    )
    _, queries = _get(applicant_client, "/applications/")
    assert queries > KEPT


@pytest.mark.django_db(transaction=True)
def test_a_write_by_another_process_drops_the_kept_page(loaded_programme):
    from tests.factories import UserFactory

    person = UserFactory(email="reader@example.org", stakeholder=True)
    client = Client()
    client.force_login(person)
    before, _ = _get(client, "/projects/cp1/")
    assert "Reworded by the office" not in before
    _get(client, "/projects/cp1/")  # kept
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from projects.models import Project; Project.objects.filter(code='CP1')"
            ".update(action='Reworded by the office')",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": _database_url()},
        check=True,
        capture_output=True,
    )
    after, _ = _get(client, "/projects/cp1/")
    assert "Reworded by the office" in after
    assert Project.objects.get(code="CP1").action == "Reworded by the office"


def test_a_write_to_a_quiet_table_keeps_the_page(applicant_client, applicant, task_list):
    from participants.models import PersonalDataAccess

    _get(applicant_client, task_list)
    PersonalDataAccess.objects.create(user=applicant, what="read", path=task_list)
    _, queries = _get(applicant_client, task_list)
    assert queries == KEPT


def test_a_new_minute_makes_the_page_afresh(applicant_client, task_list, monkeypatch):
    _get(applicant_client, task_list)
    minute = personal_pages._minute()
    monkeypatch.setattr(personal_pages, "_minute", lambda: minute + 1)
    _, queries = _get(applicant_client, task_list)
    assert queries > KEPT


def test_a_waiting_message_is_shown_not_a_kept_page(applicant_client, task_list):
    _get(applicant_client, task_list)
    session = applicant_client.session
    request = type("Request", (), {"session": session})()
    storage = SessionStorage(request)
    storage.add(constants.SUCCESS, "A message waiting to be shown")
    storage.update(type("Response", (), {})())
    session.save()
    page, _ = _get(applicant_client, task_list)
    assert "A message waiting to be shown" in page
    # Shown once: the next request has no message, and its page may be kept again.
    page, _ = _get(applicant_client, task_list)
    assert "A message waiting to be shown" not in page
    assert list(get_messages(type("Request", (), {"session": applicant_client.session})())) == []


def test_a_page_the_view_says_not_to_store_is_made_each_time(client, office, loaded_programme):
    from tests.factories import login_with_two_factor

    login_with_two_factor(client, office)
    _get(client, "/projects/cp1/")
    _, queries = _get(client, "/projects/cp1/")
    assert queries > KEPT


def test_a_hard_reload_makes_the_page_afresh(applicant_client, task_list):
    _get(applicant_client, task_list)
    with CaptureQueriesContext(connection) as captured:
        assert (
            applicant_client.get(task_list, headers={"Cache-Control": "no-cache"}).status_code
            == 200
        )
    assert len(captured) > KEPT


def test_a_write_hidden_behind_with_drops_the_kept_page(applicant_client, task_list):
    _get(applicant_client, task_list)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH chosen AS (SELECT id FROM projects_project WHERE code = %s) "
            "UPDATE projects_project SET action = action WHERE id IN (SELECT id FROM chosen)",
            ["CP1"],
        )
    _, queries = _get(applicant_client, task_list)
    assert queries > KEPT
    assert personal_pages._written_table("SELECT 1") is None
    assert personal_pages._written_table('UPDATE "django_session" SET x = 1') == "django_session"
