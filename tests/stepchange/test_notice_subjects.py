"""A notice's subject is one line whatever its placeholders hold, so a name with
a line break in it cannot break the email's headers (Django refuses such a
header with BadHeaderError, and the notice would fail for good)."""

from email.header import decode_header, make_header

import pytest
from django.core import mail

from participants.models import ExpressionOfInterest
from participants.services import queue_submission_notices
from stepchange.models import Notice, NoticeTemplate
from stepchange.notices import outbox, registry, sending
from tests.conftest import deliver_outbox

HOSTILE = "Alex\r\nBcc: x@example.org"
KEYS = sorted(registry.TYPES)


def hostile(value):
    """`value` with every string in it, rows' included, replaced by HOSTILE."""
    if isinstance(value, str):
        return HOSTILE
    if isinstance(value, list):
        return [hostile(item) for item in value]
    if isinstance(value, dict):
        return {name: hostile(item) for name, item in value.items()}
    return value


@pytest.mark.parametrize("office", [False, True], ids=["files", "office wording"])
@pytest.mark.parametrize("key", KEYS)
def test_every_subject_is_one_line(submitted, key, office):
    context = hostile(registry.preview_context(key, submitted))
    if office:
        # Every placeholder in the subject, as the office might put them.
        NoticeTemplate.objects.create(
            key=key,
            is_active=True,
            subject="".join(f"{{{{ {name} }}}}" for name in context),
            body_text="x",
            body_html="x",
        )

    notice, _ = outbox.queue_notice(
        recipient="casey@example.org",
        occurrence=f"test:{key}",
        key=key,
        context=context,
    )

    assert "\r" not in notice.subject
    assert "\n" not in notice.subject
    assert notice.subject == " ".join(notice.subject.split())
    message = sending.build_message(notice).message()  # BadHeaderError on a line break
    unfolded = message["Subject"].replace("\n", "")
    assert str(make_header(decode_header(unfolded))) == notice.subject


def test_a_name_with_a_line_break_reaches_the_referee_in_a_one_line_subject(submitted):
    Notice.objects.all().delete()
    ExpressionOfInterest.objects.filter(pk=submitted.pk).update(full_name=HOSTILE)
    eoi = ExpressionOfInterest.objects.select_related("call", "applicant").get(pk=submitted.pk)

    queue_submission_notices(eoi)
    deliver_outbox()

    referee = Notice.objects.get(reason="referee_request")
    assert (referee.state, referee.subject) == (
        Notice.State.SENT,
        "Step-Change Programme: can you confirm who Alex Bcc: x@example.org is?",
    )
    assert [message.subject for message in mail.outbox] == [
        f"Step-Change Programme: we have your expression of interest {eoi.reference}",
        "Step-Change Programme: can you confirm who Alex Bcc: x@example.org is?",
    ]
    assert [message.recipients() for message in mail.outbox] == [
        ["alex@example.org"],
        ["robin@example.org"],
    ]
