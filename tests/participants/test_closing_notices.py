import datetime

import pytest
from django.utils import timezone

from participants.reminders import queue_closing_notices
from participants.summaries import closing_summary
from projects.models import Call
from stepchange.models import Notice
from tests.factories import ExpressionOfInterestFactory, ProjectInterestFactory, UserFactory
from workstreams.models import Workstream


@pytest.fixture
def closed_call(open_call):
    UserFactory(
        email="cf-chair@example.org",
        stakeholder=True,
        police_co_chair_of=Workstream.objects.get(code="CF"),
    )
    for name, status, code, role in [
        ("a", "submitted", "CF1", "lead"),
        ("b", "shortlisted", "CF1", "deliver"),
        ("c", "draft", "CF2", "lead"),
        ("d", "withdrawn", "CF3", "lead"),
    ]:
        eoi = ExpressionOfInterestFactory(
            applicant=UserFactory(email=f"{name}@example.org", stakeholder=True),
            call=open_call,
            **{status: True},
        )
        ProjectInterestFactory(expression_of_interest=eoi, code=code, role=role, experience="x")
    now = timezone.now()
    Call.objects.filter(pk=open_call.pk).update(
        opens=now - datetime.timedelta(days=40), closes=now - datetime.timedelta(days=2)
    )
    open_call.refresh_from_db()
    return open_call


def test_summary_counts_sent_eois_and_projects_without_a_lead(closed_call):
    summary = closing_summary(closed_call, Workstream.objects.get(code="CF"))

    assert summary["eoi_count"] == 2
    assert [(row["project"].code, row["by_role"]) for row in summary["rows"]][:2] == [
        ("CF1", {"lead": 1, "develop": 0, "deliver": 1}),
        ("CF2", {"lead": 0, "develop": 0, "deliver": 0}),
    ]
    assert [project.code for project in summary["no_lead"]] == ["CF2", "CF3", "CF4", "CF5"]


def test_everyone_is_told_once_when_the_call_closes(closed_call):
    assert queue_closing_notices() == 5
    assert queue_closing_notices() == 0

    # (The co-chair's appointment email, when the fixture appointed them, aside.)
    sent = sorted(
        Notice.objects.exclude(reason="co_chair_appointed").values_list("reason", "recipient")
    )
    assert sent == [
        ("call_closed", "a@example.org"),
        ("call_closed", "b@example.org"),
        ("call_closed", "c@example.org"),
        ("closing_summary", "cf-chair@example.org"),
        ("closing_summary", "stepchange@demo.stepchange.invalid"),
    ]
    chair = Notice.objects.get(recipient="cf-chair@example.org", reason="closing_summary")
    assert (
        chair.subject
        == "Step-Change Programme: Cyber & Finance: 2 expressions of interest when the call closed"
    )
    assert "CF1: 1 / 0 / 1" in chair.body_text
    assert "T1" not in chair.body_text  # only their own workstream
    office = Notice.objects.get(recipient="stepchange@demo.stepchange.invalid")
    no_lead = next(line for line in office.body_text.splitlines() if line.startswith("Nobody"))
    assert "T1, T2, T3, T4, T5, CF2" in no_lead
    assert "CF1" not in no_lead
    draft = Notice.objects.get(recipient="c@example.org")
    assert "did not send it" in draft.body_text


def test_a_call_that_closed_long_ago_sends_nothing(loaded_programme):
    assert queue_closing_notices() == 0
