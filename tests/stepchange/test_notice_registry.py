"""Each notice type is declared once by the app that sends it; its reason comes
from that declaration, and occurrence keys are made and read in one module."""

import ast
import datetime
import pathlib

import pytest
from django.core.exceptions import ValidationError

from participants import notices
from stepchange.models import Notice
from stepchange.notices import occurrences, outbox, registry
from stepchange.notices.context import NoticeContextError
from tests.factories import UserFactory, login_with_two_factor

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "stepchange" / "notices"
FEATURE_APPS = ("participants", "projects", "workstreams")


def test_the_notices_package_imports_no_feature_app():
    for module in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            assert not [n for n in names if n.split(".")[0] in FEATURE_APPS], module.name


def test_every_reason_is_declared_once_with_its_label():
    assert registry.REASONS == {
        "account": "Account email",
        "call_closed": "Call closed",
        "closing_reminder": "Closing-date reminder",
        "closing_summary": "Closing summary",
        "co_chair_appointed": "Co-chair appointed",
        "decision": "Decision",
        "eoi_confirmation": "Expression of interest received",
        "milestone_reminder": "Milestone reminder",
        "project_question": "Question about a project",
        "referee_request": "Referee request",
        "team_change": "Team change",
        "two_factor_enrolment": "Code to set up two-factor sign-in",
        "withdrawal": "Withdrawal",
    }
    assert {key: notice.reason for key, notice in registry.TYPES.items()} == {
        "participants/email/call_closed": "call_closed",
        "participants/email/closing_reminder": "closing_reminder",
        "participants/email/closing_reminder_programme": "closing_reminder",
        "participants/email/closing_summary": "closing_summary",
        "participants/email/co_chair_appointed": "co_chair_appointed",
        "participants/email/confirmation": "eoi_confirmation",
        "participants/email/decision": "decision",
        "participants/email/member_withdrew_office": "withdrawal",
        "participants/email/milestone_reminder": "milestone_reminder",
        "participants/email/referee_request": "referee_request",
        "participants/email/team_member_withdrew": "team_change",
        "participants/email/withdrawal_confirmation": "withdrawal",
        "projects/email/question": "project_question",
    }


def test_a_reason_nobody_declared_is_refused(db):
    with pytest.raises(NoticeContextError):
        outbox.queue_rendered(
            reason="made_up",
            recipient="casey@example.org",
            occurrence="test:1",
            subject="Subject",
            body_text="Body",
            body_html="",
        )
    with pytest.raises(ValidationError):
        Notice(reason="made_up", recipient="casey@example.org", occurrence="x").full_clean(
            exclude=["subject", "body_text"]
        )
    assert Notice.objects.count() == 0


def test_the_outbox_lists_reasons_by_their_declared_labels(client, db):
    superuser = UserFactory(email="pco@example.org", is_staff=True, is_superuser=True)
    Notice.objects.create(
        reason=notices.DECISION, recipient="casey@example.org", occurrence="x", subject="S"
    )
    login_with_two_factor(client, superuser)

    page = client.get("/admin/stepchange/notice/", {"reason__exact": "decision"})

    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert '<td class="field-reason_label">Decision</td>' in page.content.decode()
    assert str(Notice.objects.get()) == "Decision to casey@example.org"


def test_occurrence_keys_keep_their_formats():
    closes = datetime.datetime(2026, 5, 25, 23, 59, 0)
    assert occurrences.eoi(7) == "eoi:7"
    assert occurrences.team_withdrawal(7) == "eoi:7:team-withdrawal"
    assert occurrences.referee_request(7, "Robin@Example.org") == "eoi:7:referee:robin@example.org"
    assert (
        occurrences.referee_request(7, "r@example.org", closes)
        == "eoi:7:referee:r@example.org:20260525235900"
    )
    assert occurrences.question(3) == "question:3"
    assert occurrences.account_email(5, "password_changed").startswith(
        "account:user-5:password_changed:"
    )
    assert occurrences.account_email(None, "unknown_account").startswith("account:unknown_account:")
    assert occurrences.closing_reminder(2, closes, 7) == "call:2:closes:20260525T235900:7d"
    assert (
        occurrences.closing_reminder(2, closes, 1, programme=True)
        == "call:2:closes:20260525T235900:1d:programme"
    )
    assert occurrences.call_closed(2, closes) == "call:2:closes:20260525T235900:closed"
    assert occurrences.closing_summary(2, closes, "W1") == (
        "call:2:closes:20260525T235900:closed:summary:W1"
    )
    assert occurrences.milestone_reminder(4, closes.date(), 1) == "milestone:4:20260525:1d"


def test_occurrence_queries_find_exactly_what_their_keys_name(db):
    closes = datetime.datetime(2026, 5, 25, 23, 59, 0)
    moved = closes + datetime.timedelta(days=1)
    keys = [
        occurrences.eoi(1),
        occurrences.referee_request(1, "r@example.org"),
        occurrences.eoi(12),
        occurrences.question(1),
        occurrences.account_email(1, "password_changed"),
        occurrences.account_email(12, "password_changed"),
        occurrences.closing_reminder(1, closes, 7),
        occurrences.closing_reminder(1, moved, 7),
        occurrences.closing_reminder(11, closes, 7),
        occurrences.milestone_reminder(1, closes.date(), 7),
        occurrences.milestone_reminder(1, moved.date(), 7),
    ]
    for key in keys:
        Notice.objects.create(reason="account", recipient="a@example.org", occurrence=key)

    def found(condition):
        return sorted(Notice.objects.filter(condition).values_list("occurrence", flat=True))

    assert found(occurrences.about_eois([1])) == sorted(keys[:2])
    assert found(occurrences.about_questions([1])) == [keys[3]]
    assert found(occurrences.for_account(1)) == [keys[4]]
    assert found(occurrences.closing_date_moved(1, moved)) == [keys[6]]
    assert found(occurrences.milestone_date_moved(1, moved.date())) == [keys[9]]
