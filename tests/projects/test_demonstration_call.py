import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects.models import Call, Project
from projects.services import (
    DEMONSTRATION_CONTACT_EMAIL,
    LONDON,
    ask_question,
    open_demonstration_call,
)
from stepchange.models import Notice
from tests.conftest import deliver_outbox

# The 2018 programme's real mailbox, from the Call to Action.
REAL_ADDRESS = "stepchange@met.police.uk"


@pytest.mark.django_db
def test_demonstration_call_closes_four_weeks_from_today(loaded_programme):
    call = open_demonstration_call(today=datetime.date(2026, 11, 28))

    assert call.is_demonstration is True
    assert timezone.localtime(call.opens, LONDON).isoformat() == "2026-11-28T00:00:00+00:00"
    assert timezone.localtime(call.closes, LONDON).isoformat() == "2026-12-26T23:59:59+00:00"
    assert call.projects.count() == 25
    assert call.contact_email == DEMONSTRATION_CONTACT_EMAIL


@pytest.mark.django_db
def test_the_real_call_keeps_the_documents_dates(loaded_programme):
    open_demonstration_call()

    real = Call.objects.get(is_demonstration=False)
    assert timezone.localtime(real.closes, LONDON).date() == datetime.date(2018, 5, 25)


@pytest.mark.django_db
def test_demonstration_call_is_current_and_opening_it_again_changes_nothing(loaded_programme):
    call_command("loadprogramme", "--demonstration")
    first = Call.objects.get(is_demonstration=True)

    call_command("loadprogramme", "--demonstration")

    assert Call.objects.filter(is_demonstration=True).count() == 1
    again = Call.objects.get(is_demonstration=True)
    assert (again.pk, again.opens, again.closes) == (first.pk, first.opens, first.closes)
    assert Call.objects.current() == first
    assert first.is_open() is True


@pytest.mark.django_db
def test_a_closed_demonstration_call_is_reopened(loaded_programme):
    old = open_demonstration_call(today=datetime.date(2026, 1, 1))

    reopened = open_demonstration_call(today=datetime.date(2026, 11, 28))

    assert reopened.pk == old.pk
    assert timezone.localtime(reopened.closes, LONDON).date() == datetime.date(2026, 12, 26)


def test_demonstration_needs_the_programme_first(db):
    with pytest.raises(ValueError, match="loadprogramme"):
        open_demonstration_call()


# Every page that shows the current call's contact address, and the others people read.
PAGES = [
    "/",
    "/timeline/",
    "/participation-and-ethics/",
    "/projects/",
    "/projects/CP1/",
    "/projects/SR5/",
    "/contact/",
    "/privacy/",
    "/applications/",
]


@pytest.mark.django_db
def test_the_demonstration_shows_and_sends_no_real_address(applicant_client, sent_eoi):
    """With the demonstration loaded, no page and no queued email (the applicant's
    confirmation and decision, the referee's request, a question to the office)
    carries the programme's real mailbox: its address is on a reserved domain."""
    deliver_outbox()  # an EOI's notices are rendered when they are sent
    ask_question(
        Project.objects.get(code="CP1"),
        name="Sam Asker",
        email="sam@example.org",
        question="What does the project need?",
        senders=["address:192.0.2.1"],
    )

    pages = {url: applicant_client.get(url).content.decode() for url in PAGES}
    assert [url for url, html in pages.items() if REAL_ADDRESS in html] == []
    assert DEMONSTRATION_CONTACT_EMAIL in pages["/contact/"]
    assert DEMONSTRATION_CONTACT_EMAIL in pages["/projects/CP1/"]
    notices = list(Notice.objects.all())
    assert {notice.reason for notice in notices} >= {
        "eoi_confirmation",
        "referee_request",
        "project_question",
    }
    leaks = [
        notice.reason
        for notice in notices
        if REAL_ADDRESS
        in f"{notice.recipient} {notice.reply_to} {notice.body_text} {notice.body_html}"
    ]
    assert leaks == []
    question = Notice.objects.get(reason="project_question")
    assert question.recipient == DEMONSTRATION_CONTACT_EMAIL
    confirmation = Notice.objects.filter(reason="eoi_confirmation").first()
    assert DEMONSTRATION_CONTACT_EMAIL in confirmation.body_text


@pytest.mark.django_db
def test_the_real_call_keeps_the_documents_address(client, loaded_programme):
    open_demonstration_call()

    assert Call.objects.get(is_demonstration=False).contact_email == REAL_ADDRESS
    Call.objects.filter(is_demonstration=True).delete()
    assert REAL_ADDRESS in client.get("/contact/").content.decode()


@pytest.mark.django_db
def test_an_open_demonstration_with_the_real_address_is_moved_off_it(loaded_programme):
    call = open_demonstration_call()
    Call.objects.filter(pk=call.pk).update(contact_email=REAL_ADDRESS)

    call_command("loadprogramme", "--demonstration")

    call.refresh_from_db()
    assert call.contact_email == DEMONSTRATION_CONTACT_EMAIL
    assert Call.objects.get(is_demonstration=False).contact_email == REAL_ADDRESS
