"""Every action of every ModelAdmin: who is offered it, and who can run it.

The actions are read from the admin site's registry, so a new action is
covered by itself: it must declare the permissions it needs (an action that
declares none is offered to anyone who can see the list), the read-only
programme board must be offered none, and the coordination office only those
its permissions allow. Then each action is POSTed, as the board and as the
office where it is not offered, and must change nothing.
"""

import hashlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory

from participants.models import Decision
from projects.models import Project, ProjectQuestion
from projects.services import open_demonstration_call
from stepchange.models import Notice
from tests.factories import UserFactory, applicant_for, login_with_two_factor
from tests.staff_groups import ensure_staff_groups

OFFICE, BOARD = "Coordination office", "Programme board"
# The actions the office is offered, by model; every other model's: none.
OFFICE_ACTIONS = {
    "django_celery_beat.periodictask": [
        "disable_tasks",
        "enable_tasks",
        "run_tasks",
        "toggle_tasks",
    ],
    "participants.cochairinterest": ["delete_selected"],
    "participants.decision": ["apply_selected", "delete_selected"],
    "participants.expressionofinterest": [
        "apply_decisions",
        "move_to_shortlisted",
        "move_to_under_review",
        "request_referees_again",
        "stage_decision",
    ],
    "participants.teammembership": ["delete_selected"],
    "projects.call": ["delete_selected"],
    "projects.keyactivity": ["delete_selected"],
    "projects.milestone": ["delete_selected"],
    "projects.project": ["archive_selected", "delete_selected"],
    "projects.projectquestion": ["mark_answered"],
    "stepchange.notice": ["send_again"],
    "stepchange.noticetemplate": ["delete_selected"],
    "workstreams.workstream": ["archive_selected", "delete_selected"],
}
# Written by every request, whatever it does: the session, the access log of
# personal data, allauth's record of the session.
UNWATCHED_TABLES = {"django_session", "participants_personaldataaccess", "usersessions_usersession"}


def every_action():
    """(model admin, action name, action) for every action of every registered ModelAdmin."""
    for model_admin in admin.site._registry.values():
        for action, name, _ in model_admin._get_base_actions():
            yield model_admin, name, action


ACTIONS = [
    pytest.param(model_admin, name, id=f"{model_admin.opts.label_lower}.{name}")
    for model_admin, name, _ in every_action()
]


def staff(group, email):
    ensure_staff_groups()
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def people(db):
    return {OFFICE: staff(OFFICE, "pco@example.org"), BOARD: staff(BOARD, "board@example.org")}


def offered(model_admin, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return sorted(model_admin.get_actions(request))


def test_every_action_declares_a_permission_beyond_viewing():
    undeclared = [
        f"{model_admin.opts.label_lower}.{name}"
        for model_admin, name, action in every_action()
        if not set(getattr(action, "allowed_permissions", ())) - {"view"}
    ]
    assert undeclared == []


def test_the_board_holds_only_view_permissions_and_is_offered_no_action(people):
    board = people[BOARD]
    assert [p for p in board.get_all_permissions() if not p.split(".")[1].startswith("view_")] == []
    assert {
        model_admin.opts.label_lower: offered(model_admin, board)
        for model_admin in admin.site._registry.values()
        if offered(model_admin, board)
    } == {}


def test_the_office_is_offered_only_what_its_permissions_allow(people):
    office = people[OFFICE]
    found = {
        model_admin.opts.label_lower: offered(model_admin, office)
        for model_admin in admin.site._registry.values()
        if offered(model_admin, office)
    }
    assert found == OFFICE_ACTIONS
    # Each of them on a model the office may change, add to or delete from.
    for label in found:
        app_label, model_name = label.split(".")
        assert any(
            office.has_perm(f"{app_label}.{permission}_{model_name}")
            for permission in ("add", "change", "delete")
        ), label


# ---------------------------------------------------------------------------
# Each action POSTed


@pytest.fixture
def world(people, loaded_programme):
    """A row for every action to act on: a sent EOI with a staged decision, an
    unanswered question, a failed notice, an unverified address, the beat's task."""
    call = open_demonstration_call()
    eoi = applicant_for(call, "Ash Lead", "CP1", "lead")
    Decision.objects.create(
        expression_of_interest=eoi,
        project=Project.objects.get(code="CP1"),
        outcome=Decision.Outcome.ACCEPT,
        role="lead",
        staged_by=people[OFFICE],
    )
    ProjectQuestion.objects.create(
        project=Project.objects.get(code="CP1"),
        name="Sam Asker",
        email="sam@example.org",
        question="How long does it take?",
    )
    Notice.objects.create(
        reason="eoi_confirmation",
        recipient="sam@example.org",
        occurrence="test:failed",
        subject="A notice",
        body_text="Text",
        state=Notice.State.FAILED,
    )
    EmailAddress.objects.create(user=eoi.applicant, email="second@example.org", verified=False)
    return eoi


def _tables():
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and model._meta.db_table not in UNWATCHED_TABLES
        }
    )


def fingerprint():
    """A hash of every row of every table but those any request writes, by table."""
    hashes = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = "|".join(sorted(repr(row) for row in cursor.fetchall()))
            hashes[table] = hashlib.md5(rows.encode()).hexdigest()
    return hashes


def run_action(client, model_admin, name):
    """POST the action on every object of the list, confirmed (as delete_selected asks)."""
    opts = model_admin.opts
    url = f"/admin/{opts.app_label}/{opts.model_name}/"
    pks = [str(pk) for pk in model_admin.model._default_manager.values_list("pk", flat=True)]
    data = {"action": name, ACTION_CHECKBOX_NAME: pks, "select_across": "1", "index": "0"}
    return client.post(url, {**data, "post": "yes"})


@pytest.mark.parametrize("model_admin, name", ACTIONS)
def test_an_action_not_offered_changes_nothing(client, people, world, model_admin, name):
    label = model_admin.opts.label_lower
    roles = [BOARD] + ([OFFICE] if name not in OFFICE_ACTIONS.get(label, []) else [])
    for role in roles:
        login_with_two_factor(client, people[role])
        before = fingerprint()

        response = run_action(client, model_admin, name)

        # The list again (200, or 302 with "No action selected."), or refused.
        assert response.status_code in (200, 302, 403), (role, response.status_code)
        changed = [table for table, digest in fingerprint().items() if before[table] != digest]
        assert (role, changed) == (role, [])


def test_the_office_marks_questions_answered_and_the_board_cannot(client, people, world):
    model_admin = admin.site.get_model_admin(ProjectQuestion)

    login_with_two_factor(client, people[BOARD])
    run_action(client, model_admin, "mark_answered")
    assert list(ProjectQuestion.objects.values_list("answered", flat=True)) == [False]

    login_with_two_factor(client, people[OFFICE])
    response = run_action(client, model_admin, "mark_answered")
    assert response.status_code == 302
    assert list(ProjectQuestion.objects.values_list("answered", flat=True)) == [True]
