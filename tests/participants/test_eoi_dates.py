"""The closing date is enforced on the server, in Europe/London."""

import datetime

import pytest
from django.utils import timezone

from participants.models import ExpressionOfInterest
from projects.models import Call
from tests.answers import ANSWERS, section_url


def move_closing(call, **delta):
    Call.objects.filter(pk=call.pk).update(closes=timezone.now() + datetime.timedelta(**delta))


def move_opening(call, **delta):
    Call.objects.filter(pk=call.pk).update(opens=timezone.now() + datetime.timedelta(**delta))


def test_a_second_before_closing_changes_are_accepted(applicant_client, complete_draft, open_call):
    move_closing(open_call, seconds=60)

    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/check-your-answers/"
    )

    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == "submitted"


def test_after_closing_nothing_is_accepted_and_everything_stays_readable(
    applicant_client, complete_draft, open_call
):
    move_closing(open_call, seconds=-1)
    ref = complete_draft.reference

    response = applicant_client.post(f"/applications/{ref}/check-your-answers/")
    assert response.status_code == 403
    assert "The call closed at" in response.content.decode()

    changed = {**ANSWERS["your-details"], "job_title": "Changed"}
    assert (
        applicant_client.post(section_url(complete_draft, "your-details"), changed).status_code
        == 403
    )
    assert (
        applicant_client.post(
            section_url(complete_draft, "projects"), ANSWERS["projects"]
        ).status_code
        == 403
    )
    assert (
        applicant_client.post(f"/applications/{ref}/conflicts-of-interest/add/", {}).status_code
        == 403
    )
    complete_draft.refresh_from_db()
    assert (complete_draft.status, complete_draft.job_title) == ("draft", "Head of Security")

    # Reading still works: the question pages lead to the answers, read only.
    assert (
        applicant_client.get(section_url(complete_draft, "your-details")).url
        == f"/applications/{ref}/check-your-answers/"
    )
    page = applicant_client.get(f"/applications/{ref}/check-your-answers/").content.decode()
    assert "Head of Security" in page
    assert "Confirm and send" not in page
    assert ">Change<" not in page
    assert "You can read your answers but can no longer change them" in page


def test_no_new_draft_after_closing(applicant_client, open_call, applicant):
    move_closing(open_call, seconds=-1)

    response = applicant_client.get("/applications/express-interest/?project=T1")

    assert response.status_code == 403
    assert "The call has closed" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 0


def test_no_new_draft_before_opening(applicant_client, open_call, applicant):
    Call.objects.filter(is_demonstration=False).delete()
    move_opening(open_call, hours=1)

    response = applicant_client.get("/applications/express-interest/")

    assert response.status_code == 403
    assert "The call is not open yet" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 0


def test_withdrawing_is_possible_after_closing(applicant_client, complete_draft, open_call):
    move_closing(open_call, seconds=-1)

    applicant_client.post(f"/applications/{complete_draft.reference}/withdraw/", {"reason": ""})

    complete_draft.refresh_from_db()
    assert complete_draft.status == "withdrawn"


def test_closing_boundary_is_the_minute_the_document_gives(loaded_programme):
    from projects.services import LONDON

    call = Call.objects.get(is_demonstration=False)
    last_second = datetime.datetime(2018, 5, 25, 23, 59, 59, tzinfo=LONDON)

    assert call.is_open(last_second) is True
    assert call.is_open(last_second - datetime.timedelta(minutes=1)) is True
    assert call.is_open(last_second + datetime.timedelta(seconds=1)) is False
    # 23:59 London in May is 22:59 UTC (British Summer Time).
    assert call.closes.astimezone(datetime.UTC).strftime("%H:%M") == "22:59"


@pytest.mark.parametrize("project_page", ["/projects/t1/"])
def test_project_page_offers_express_interest_only_while_open(client, open_call, project_page):
    assert "Express interest" in client.get(project_page).content.decode()

    move_closing(open_call, seconds=-1)
    Call.objects.filter(is_demonstration=False).delete()

    assert "Express interest" not in client.get(project_page).content.decode()
