"""The portal carries the Call to Action word for word."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects import programme
from projects.models import Call, KeyActivity, Milestone, Project
from projects.services import LONDON
from workstreams.models import Workstream

DOCUMENT = (
    Path(__file__).resolve().parents[2] / "projects" / "content" / "step-change-call-to-action.txt"
).read_text(encoding="utf-8")
DOCUMENT_LINES = DOCUMENT.splitlines()


def test_every_project_row_is_a_line_of_the_document():
    rows = [f"{code}\t{action}\t{vision}" for code, action, vision in programme.PROJECTS]
    assert [row for row in rows if row not in DOCUMENT_LINES] == []
    assert [code for code, _, _ in programme.PROJECTS] == [
        *(f"T{n}" for n in range(1, 6)),
        *(f"CP{n}" for n in range(1, 6)),
        *(f"TT{n}" for n in range(1, 6)),
        *(f"CF{n}" for n in range(1, 6)),
        *(f"SR{n}" for n in range(1, 6)),
    ]


def test_every_key_activity_is_a_line_of_the_document():
    rows = [f"{when}\t{activity}" for when, activity in programme.KEY_ACTIVITIES]
    assert [row for row in rows if row not in DOCUMENT_LINES] == []
    assert len(rows) == 8


def test_every_milestone_is_in_the_document():
    missing = [title for _, title in programme.MILESTONES if title not in DOCUMENT]
    assert missing == []
    assert [date for date, _ in programme.MILESTONES] == [
        datetime.date(2018, 4, 23),
        datetime.date(2018, 4, 23),
        datetime.date(2018, 5, 1),
        datetime.date(2018, 6, 1),
    ]


@pytest.mark.parametrize(
    "field",
    [
        "introduction",
        "background",
        "workstreams_statement",
        "participation_statement",
        "confidentiality_statement",
        "ethics_statement",
    ],
)
def test_every_statement_paragraph_is_a_line_of_the_document(field):
    paragraphs = programme.CALL[field].split("\n\n")
    assert [p for p in paragraphs if p not in DOCUMENT_LINES] == []


def test_the_call_details_come_from_the_document():
    assert programme.CALL["version"] in DOCUMENT_LINES
    assert programme.CALL["title"] in DOCUMENT_LINES
    assert programme.CALL["contact_email"] in DOCUMENT
    assert (
        "The closing date for submitting your expression of interest is Friday 25th May 2018."
        in DOCUMENT_LINES
    )


def test_workstream_names_are_the_document_headings():
    for workstream in programme.WORKSTREAMS:
        assert f"- {workstream['listed_as']}" in DOCUMENT_LINES
        assert any(line.startswith(f"{workstream['name']}\tAction\t") for line in DOCUMENT_LINES)


@pytest.mark.django_db
def test_loadprogramme_loads_the_whole_document():
    call_command("loadprogramme")

    assert Workstream.objects.count() == 5
    assert Project.objects.count() == 25
    assert KeyActivity.objects.count() == 8
    assert Milestone.objects.count() == 4
    call = Call.objects.get()
    assert call.is_demonstration is False
    assert call.projects.count() == 25
    assert call.contact_email == "stepchange@met.police.uk"
    closes = timezone.localtime(call.closes, LONDON)
    assert (closes.date(), closes.strftime("%A"), closes.hour, closes.minute) == (
        datetime.date(2018, 5, 25),
        "Friday",
        23,
        59,
    )
    for code, action, vision in programme.PROJECTS:
        project = Project.objects.get(code=code)
        assert (project.action, project.vision_for_success) == (action, vision)
        assert project.workstream.code == code.rstrip("12345")
    assert list(Project.objects.filter(workstream__code="CF").values_list("code", flat=True)) == [
        "CF1",
        "CF2",
        "CF3",
        "CF4",
        "CF5",
    ]


@pytest.mark.django_db
def test_loadprogramme_twice_changes_nothing_and_keeps_admin_edits():
    call_command("loadprogramme")
    Project.objects.filter(code="T1").update(vision_for_success="Edited in the admin")
    before = {
        model: list(model.objects.order_by("pk").values())
        for model in [Workstream, Project, KeyActivity, Milestone, Call]
    }

    call_command("loadprogramme")

    after = {
        model: list(model.objects.order_by("pk").values())
        for model in [Workstream, Project, KeyActivity, Milestone, Call]
    }
    assert after == before
    assert Project.objects.get(code="T1").vision_for_success == "Edited in the admin"
