"""Every page, asked by sessions that did not pass a second factor: no in-confidence
notes anywhere, and no admin or workspace page for staff and co-chairs.

The pages are the access matrix's (tests/test_access_matrix.py): every URL of the
resolver and every admin list, plus the pages of a project in the admin. A new page
joins by itself. The sessions are the matrix's roles signed in with the password
only while their account has an authenticator app, and the project's team member.
"""

from django.test import Client
from django.urls import reverse

from participants.models import TeamMembership
from projects.models import Project
from tests.factories import give_two_factor, login_with_two_factor
from tests.test_access_matrix import (  # noqa: F401  (people_and_things is a fixture)
    CO_CHAIRS,
    PATTERNS,
    STAFF,
    S,
    admin_urls,
    people_and_things,
    reverse_with,
)

NOTES = "The pilot venue is in Leeds, behind the old exchange."
GATED = ("/admin/", "/workspace/")


def every_page(things):
    for name, pattern in PATTERNS:
        yield name, reverse_with(name, pattern, things)
    for label, url, _ in admin_urls(things["eoi"]):
        yield label, url
    project = Project.objects.get(code="CP1")
    yield "project:change", reverse("admin:projects_project_change", args=[project.pk])
    yield "project:history", reverse("admin:projects_project_history", args=[project.pk])
    first, last = project.history.earliest(), project.history.latest()
    yield (
        "project:revision",
        reverse("admin:projects_project_simple_history", args=[project.pk, last.history_id]),
    )
    yield "workspace:compare (two revisions)", compare_url(first, last)


def compare_url(older, newer):
    url = reverse("workspace:compare", kwargs={"slug": "crowded-places", "code": "cp1"})
    return f"{url}?older={older.history_id}&newer={newer.history_id}"


def with_notes(things):
    project = Project.objects.get(code="CP1")  # the co-chair's workstream's
    project.in_confidence_notes = NOTES
    project.save()  # also a revision, for the workspace's revisions and the admin's history
    owner = things["people"][S]
    TeamMembership.objects.create(
        project=project, member=owner, role="lead", expression_of_interest=things["eoi"]
    )
    return project


def test_no_page_shows_the_notes_to_a_session_without_a_second_factor(people_and_things):  # noqa: F811
    with_notes(people_and_things)
    people = people_and_things["people"]
    sessions = {}
    for role in [S, *CO_CHAIRS, *STAFF]:
        if role == S:
            give_two_factor(people[role])  # the team member: a stakeholder with an app
        sessions[role] = Client()
        sessions[role].force_login(people[role])

    shown, let_in = [], []
    for label, url in every_page(people_and_things):
        for role, client in sessions.items():
            response = client.get(url)
            if NOTES in response.content.decode(errors="replace"):
                shown.append((label, role))
            gated = url.startswith(GATED) and role in CO_CHAIRS + STAFF
            if gated and not response.get("Location", "").startswith(reverse("mfa_reauthenticate")):
                let_in.append((label, role, response.status_code))

    assert shown == []
    assert let_in == []


def test_the_same_pages_show_the_notes_once_the_session_gave_a_code(people_and_things):  # noqa: F811
    # The other test's control: the notes would be seen there if they were shown.
    project = with_notes(people_and_things)
    people = people_and_things["people"]
    where = {
        people[S]: [project.get_absolute_url()],
        people[CO_CHAIRS[0]]: [
            project.get_absolute_url(),
            "/workspace/crowded-places/projects/cp1/",
            compare_url(project.history.earliest(), project.history.latest()),
        ],
        people[STAFF[-1]]: [
            project.get_absolute_url(),
            reverse("admin:projects_project_change", args=[project.pk]),
            reverse(
                "admin:projects_project_simple_history",
                args=[project.pk, project.history.latest().history_id],
            ),
        ],
    }
    missing = []
    for user, urls in where.items():
        client = Client()
        login_with_two_factor(client, user)
        missing += [
            (user.email, url) for url in urls if NOTES not in client.get(url).content.decode()
        ]

    assert missing == []
