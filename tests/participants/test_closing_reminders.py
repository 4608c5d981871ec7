import datetime

import pytest

from participants.reminders import queue_closing_reminders
from projects.models import Call
from stepchange.models import Notice
from tests.factories import ExpressionOfInterestFactory, UserFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def drafts(open_call):
    """Two drafts, one sent and one withdrawn EOI in the open call."""
    made = {}
    for name, status in [
        ("d1", "draft"),
        ("d2", "draft"),
        ("sent", "submitted"),
        ("gone", "withdrawn"),
    ]:
        made[name] = ExpressionOfInterestFactory(
            applicant=UserFactory(email=f"{name}@example.org", stakeholder=True),
            call=open_call,
            **{status: True},
        )
    return made


def reminders():
    return sorted(
        Notice.objects.filter(reason="closing_reminder").values_list(
            "recipient", "occurrence", "state"
        )
    )


def test_nothing_before_the_first_reminder(open_call, drafts):
    assert (
        queue_closing_reminders(now=open_call.closes - 7 * DAY - datetime.timedelta(seconds=1)) == 0
    )
    assert reminders() == []


def test_each_draft_gets_each_reminder_once(open_call, drafts):
    seven_days = open_call.closes - 7 * DAY

    assert queue_closing_reminders(now=seven_days) == 2
    assert queue_closing_reminders(now=seven_days + datetime.timedelta(hours=1)) == 0
    assert [recipient for recipient, _, _ in reminders()] == ["d1@example.org", "d2@example.org"]
    assert all(occurrence.endswith(":7d") for _, occurrence, _ in reminders())

    assert queue_closing_reminders(now=open_call.closes - DAY) == 2
    assert len(reminders()) == 4
    assert queue_closing_reminders(now=open_call.closes + datetime.timedelta(seconds=1)) == 0


def test_a_moved_closing_date_cancels_the_old_reminders_and_keys_new_ones(open_call, drafts):
    queue_closing_reminders(now=open_call.closes - 7 * DAY)
    Notice.objects.filter(recipient="d1@example.org").update(state="sent")
    moved = open_call.closes + 14 * DAY
    Call.objects.filter(pk=open_call.pk).update(closes=moved)
    open_call.refresh_from_db()

    assert queue_closing_reminders(now=moved - 10 * DAY) == 0
    assert [(r, s) for r, _, s in reminders()] == [
        ("d1@example.org", "sent"),
        ("d2@example.org", "cancelled"),
    ]

    assert queue_closing_reminders(now=moved - 7 * DAY) == 2
    new = [o for _, o, s in reminders() if s == "pending"]
    assert len(new) == 2
    assert all(f"{moved:%Y%m%dT%H%M%S}" in occurrence for occurrence in new)


def test_offsets_are_editable(open_call, drafts):
    Call.objects.filter(pk=open_call.pk).update(reminder_days="3")
    open_call.refresh_from_db()

    assert queue_closing_reminders(now=open_call.closes - 7 * DAY) == 0
    assert queue_closing_reminders(now=open_call.closes - 3 * DAY) == 2


def test_bad_offsets_are_refused(open_call):
    from django.core.exceptions import ValidationError

    open_call.reminder_days = "7, soon"
    with pytest.raises(ValidationError):
        open_call.full_clean()


def test_reminders_respect_the_applicants_choice(open_call, drafts):
    from participants.models import User

    User.objects.filter(email="d2@example.org").update(reminders_about_applications=False)

    queue_closing_reminders(now=open_call.closes - 7 * DAY)

    assert [recipient for recipient, _, _ in reminders()] == ["d1@example.org"]


def test_opted_in_stakeholders_without_an_eoi_get_the_programme_reminder(open_call, drafts):
    from participants.models import User

    keen = UserFactory(email="keen@example.org", stakeholder=True)
    User.objects.filter(pk=keen.pk).update(programme_reminders=True)
    User.objects.filter(email="d1@example.org").update(programme_reminders=True)  # has a draft

    queue_closing_reminders(now=open_call.closes - 7 * DAY)

    assert [(r, o.rsplit(":", 1)[-1]) for r, o, _ in reminders()] == [
        ("d1@example.org", "7d"),
        ("d2@example.org", "7d"),
        ("keen@example.org", "programme"),
    ]


def test_every_reminder_carries_unsubscribe_link_and_headers(open_call, drafts, client):
    queue_closing_reminders(now=open_call.closes - 7 * DAY)
    notice = Notice.objects.get(recipient="d1@example.org")

    url = notice.headers["List-Unsubscribe"].strip("<>")
    assert notice.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in notice.body_text
    assert url in notice.body_html
    path = url.split("127.0.0.1:8000", 1)[1]

    assert "Stop these reminders" in client.get(path).content.decode()
    # One-click unsubscribe: a POST without a session or a CSRF token (RFC 8058).
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    from participants.models import User

    assert User.objects.get(email="d1@example.org").reminders_about_applications is False
    assert client.get(path[:-4] + "xyz/").status_code == 404
