"""An EOI's emails are rendered by the worker that sends them, from the context
kept on the outbox row: once, with the wording in force, saved before sending."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participants import notices
from participants.data_protection import erasure
from participants.models import ExpressionOfInterest
from participants.services import queue_submission_notices
from stepchange.models import Notice, NoticeTemplate
from stepchange.notices import outbox, sending
from stepchange.notices.context import NoticeContextError, from_stored, to_stored
from stepchange.notices.rendering import full_subject, render_wording
from tests.conftest import deliver_outbox

CONFIRMATION = "participants/email/confirmation"
REFEREE = {"full_name": "Casey", "referee_name": "Jo", "link": "https://x", "days": 30}


def post(client, eoi):
    return client.post(f"/applications/{eoi.reference}/check-your-answers/")


def queue_later(occurrence="test:1", context=REFEREE):
    with outbox.rendered_at_send():
        notice, _ = outbox.queue_notice(
            key="participants/email/referee_request",
            recipient="casey@example.org",
            occurrence=occurrence,
            context=context,
        )
    return notice


def test_sending_an_eoi_queues_its_emails_unrendered(applicant_client, complete_draft):
    assert post(applicant_client, complete_draft).status_code == 302

    rows = list(Notice.objects.order_by("pk"))
    assert [(n.reason, n.template_key, n.state) for n in rows] == [
        ("eoi_confirmation", CONFIRMATION, "pending"),
        ("referee_request", "participants/email/referee_request", "pending"),
    ]
    assert all(
        n.awaits_rendering and (n.subject, n.body_text, n.body_html) == ("", "", "") for n in rows
    )
    assert rows[0].context["reference"] == complete_draft.reference
    assert rows[0].context["projects"][0] == {
        "__row__": {
            "preference": 1,
            "code": "CP2",
            "title": rows[0].context["projects"][0]["__row__"]["title"],
            "role": "Lead",
            "experience": rows[0].context["projects"][0]["__row__"]["experience"],
        }
    }


def test_queueing_an_eois_emails_reads_no_wording(applicant_client, complete_draft):
    eoi = ExpressionOfInterest.objects.select_related("call", "applicant").get(pk=complete_draft.pk)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        queue_submission_notices(eoi)
    # The projects and the conflicts, then one insert a notice: no NoticeTemplate.
    assert len(queries) == 4, [q["sql"] for q in queries]
    assert not [q for q in queries if "noticetemplate" in q["sql"]]


def test_the_worker_sends_the_words_the_request_would_have_rendered(
    applicant_client, complete_draft
):
    post(applicant_client, complete_draft)
    eoi = ExpressionOfInterest.objects.get(pk=complete_draft.pk)
    subject, text, html = render_wording(CONFIRMATION, notices.confirmation(eoi))

    deliver_outbox()

    notice = Notice.objects.get(reason="eoi_confirmation")
    assert (notice.state, notice.subject, notice.body_text, notice.body_html) == (
        "sent",
        full_subject(subject),
        text,
        html,
    )
    assert notice.context == {}  # the words are kept, the context is no longer needed
    sent = mail.outbox[0]
    assert (sent.subject, sent.body, sent.alternatives[0][0]) == (notice.subject, text, html)
    assert "Dear Alex Applicant" in text


@pytest.mark.parametrize("batch", [False, True], ids=["send", "send_many"])
def test_the_wording_in_force_when_sent_is_used(db, batch):
    notice = queue_later()
    NoticeTemplate.objects.create(
        key="participants/email/referee_request",
        subject="about {{ full_name }}",
        body_text="Text {{ link }}",
        body_html="<p>{{ referee_name }}</p>",
        is_active=True,
    )

    if batch:
        assert sending.send_many([notice.pk]) == {"sent": 1}
    else:
        assert sending.send(notice.pk) == "sent"

    notice.refresh_from_db()
    assert (notice.subject, notice.body_text, notice.body_html) == (
        "Step-Change Programme: about Casey",
        "Text https://x",
        "<p>Jo</p>",
    )
    assert [m.subject for m in mail.outbox] == ["Step-Change Programme: about Casey"]


def test_a_retry_sends_the_words_of_the_first_attempt(db, monkeypatch):
    notice = queue_later()
    real = EmailBackend.send_messages

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert sending.send(notice.pk) == "pending"
    notice.refresh_from_db()
    first = (notice.subject, notice.body_text, notice.body_html)
    assert notice.subject == "Step-Change Programme: can you confirm who Casey is?"

    # The office changes the wording between the two attempts.
    NoticeTemplate.objects.create(
        key="participants/email/referee_request",
        subject="changed",
        body_text="changed",
        body_html="changed",
        is_active=True,
    )
    monkeypatch.setattr(EmailBackend, "send_messages", real)
    Notice.objects.filter(pk=notice.pk).update(not_before=timezone.now())
    assert sending.send(notice.pk) == "sent"

    notice.refresh_from_db()
    assert (notice.subject, notice.body_text, notice.body_html) == first
    assert [m.subject for m in mail.outbox] == [first[0]]


def test_a_second_delivery_of_the_task_renders_and_sends_nothing(db):
    notice = queue_later()
    assert sending.send(notice.pk) == "sent"
    assert sending.send_many([notice.pk]) == {}
    assert len(mail.outbox) == 1


def test_a_notice_that_cannot_be_rendered_is_failed_with_the_reason(db):
    notice = queue_later()
    Notice.objects.filter(pk=notice.pk).update(context={"full_name": {"__object__": 1}})

    assert sending.send(notice.pk) == "failed"

    notice.refresh_from_db()
    assert notice.state == "failed"
    assert notice.last_error.startswith("Not rendered: ")
    assert notice.context == {"full_name": {"__object__": 1}}  # kept for "send again"
    assert mail.outbox == []

    Notice.objects.filter(pk=notice.pk).update(context=to_stored("", REFEREE))
    assert sending.send_again(notice)
    assert sending.send(notice.pk) == "sent"
    assert [m.to for m in mail.outbox] == [["casey@example.org"]]


def test_a_context_that_is_not_plain_values_is_refused_at_queueing(db, applicant):
    with pytest.raises(NoticeContextError):
        queue_later(context={**REFEREE, "full_name": applicant})
    with pytest.raises(NoticeContextError):
        queue_later(context={**REFEREE, "password": "x"})
    assert not Notice.objects.exists()


def test_the_stored_context_comes_back_as_it_was():
    when = datetime.datetime(2026, 3, 1, 9, 30, 15, 123, tzinfo=datetime.UTC)
    context = {
        "name": "Casey",
        "count": 3,
        "yes": True,
        "none": None,
        "on": datetime.date(2026, 3, 1),
        "at": when,
        "codes": ("CP1", "CP2"),
        "rows": [{"code": "CP1", "on": datetime.date(2026, 3, 2), "__date__": "x"}],
    }
    loaded = from_stored(to_stored("", context))
    assert loaded == {**context, "codes": ["CP1", "CP2"]}
    assert type(loaded["at"]) is datetime.datetime and loaded["at"].utcoffset() is not None
    assert type(loaded["on"]) is datetime.date


def test_erasure_leaves_no_stored_context(applicant_client, complete_draft, applicant):
    post(applicant_client, complete_draft)
    assert Notice.objects.filter(context__has_key="full_name").exists()

    erasure.erase_account(applicant)

    assert not Notice.objects.exclude(context={}).exists()
    assert not Notice.objects.filter(template_key=CONFIRMATION).exists()
