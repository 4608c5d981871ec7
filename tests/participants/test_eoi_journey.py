import re
import time

import pytest
from django.core import mail, signing

from participants.models import Amendment, ExpressionOfInterest, ValidationCheck
from participants.referees import REFEREE_SALT
from participants.sections import task_list
from stepchange.models import Notice
from tests.answers import ANSWERS, section_url
from tests.conftest import deliver_outbox
from tests.factories import UserFactory


def test_express_interest_needs_sign_in(client, open_call):
    response = client.get("/applications/express-interest/?project=T1")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_express_interest_starts_a_draft_with_the_project_chosen(
    applicant_client, open_call, applicant
):
    response = applicant_client.get("/applications/express-interest/?project=cp3")

    eoi = ExpressionOfInterest.objects.get(applicant=applicant)
    assert (eoi.status, eoi.call, eoi.full_name, eoi.work_email) == (
        "draft",
        open_call,
        "Alex Applicant",
        "alex@example.org",
    )
    assert response.url == f"/applications/{eoi.reference}/projects/?add=CP3"
    page = applicant_client.get(response.url).content.decode()
    assert 'id="id_projects_CP3" name="projects" type="checkbox" value="CP3" checked' in page


def test_express_interest_twice_continues_the_same_draft(applicant_client, open_call, applicant):
    applicant_client.get("/applications/express-interest/?project=T1")
    applicant_client.get("/applications/express-interest/?project=T2")

    assert ExpressionOfInterest.objects.filter(applicant=applicant).count() == 1


def test_reference_is_unguessable():
    from participants.models import new_reference

    references = {new_reference() for _ in range(2000)}
    assert len(references) == 2000
    assert all(
        re.fullmatch(r"SC-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", r) for r in references
    )


def test_task_list_statuses_follow_the_answers(applicant_client, open_call, applicant):
    applicant_client.get("/applications/express-interest/")
    eoi = ExpressionOfInterest.objects.get(applicant=applicant)

    rows, all_done = task_list(eoi)
    assert [row["status"] for row in rows] == [
        "incomplete",  # your details: name and email prefilled, but not job or phone
        "incomplete",
        "incomplete",
        "incomplete",
        "cannot_start",  # conflicts need the projects first
        "incomplete",
    ]
    assert all_done is False
    page = applicant_client.get(f"/applications/{eoi.reference}/").content.decode()
    assert page.count("Cannot start yet") == 2  # conflicts, and check and send
    assert applicant_client.get(section_url(eoi, "conflicts-of-interest")).status_code == 302


def test_every_section_saves_and_the_draft_is_complete(complete_draft):
    rows, all_done = task_list(complete_draft)

    assert [row["status"] for row in rows] == ["completed"] * 6
    assert all_done is True
    assert complete_draft.ieg_member is False
    assert complete_draft.cssc_member is True
    assert complete_draft.website == "https://www.example.org"
    assert complete_draft.sia_licence_number == "1234567890123456"
    assert complete_draft.privacy_notice_version == "2026-12"
    assert [
        (i.project.code, i.role, i.preference) for i in complete_draft.project_interests.all()
    ] == [("CP2", "lead", 1), ("T1", "deliver", 2)]


def test_check_answers_lists_every_answer_with_change_links(applicant_client, complete_draft):
    page = applicant_client.get(f"/applications/{complete_draft.reference}/check-your-answers/")

    html = page.content.decode()
    for value in [
        "Head of Security",
        "Example Venues Ltd",
        "Robin Referee",
        "CP2",
        "Vetting policy for 2,000 staff.",
    ]:
        assert value in html
    assert html.count(">Change<span") >= 20
    assert "Confirm and send" in html


def test_submit_queues_confirmation_and_referee_notices(applicant_client, complete_draft):
    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/check-your-answers/"
    )

    assert response.url == f"/applications/{complete_draft.reference}/confirmation/"
    complete_draft.refresh_from_db()
    assert complete_draft.status == "submitted"
    assert complete_draft.submitted_at is not None
    assert list(Notice.objects.order_by("pk").values_list("reason", "recipient", "state")) == [
        ("eoi_confirmation", "alex@example.org", "pending"),
        ("referee_request", "robin@example.org", "pending"),
    ]
    deliver_outbox()
    assert [message.to for message in mail.outbox] == [["alex@example.org"], ["robin@example.org"]]
    confirmation = mail.outbox[0]
    assert confirmation.subject == (
        f"Step-Change Programme: we have your expression of interest {complete_draft.reference}"
    )
    assert "Ran the venue partnership programme for five years." in confirmation.body
    assert [mimetype for _, mimetype in confirmation.alternatives] == ["text/html"]
    assert confirmation.extra_headers["Message-ID"].startswith("<notice-")
    page = applicant_client.get(response.url).content.decode()
    assert "govuk-panel--confirmation" in page
    assert complete_draft.reference in page


def test_submit_twice_queues_once(applicant_client, complete_draft):
    url = f"/applications/{complete_draft.reference}/check-your-answers/"
    applicant_client.post(url)
    applicant_client.post(url)

    assert Notice.objects.count() == 2


def test_an_incomplete_draft_cannot_be_sent(applicant_client, open_call, applicant):
    applicant_client.get("/applications/express-interest/")
    eoi = ExpressionOfInterest.objects.get(applicant=applicant)

    response = applicant_client.post(f"/applications/{eoi.reference}/check-your-answers/")

    assert response.status_code == 400
    assert "Complete these sections first: Your details" in response.content.decode()
    eoi.refresh_from_db()
    assert eoi.status == "draft"


def test_an_unverified_email_cannot_send(client, open_call, complete_draft):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=complete_draft.applicant).update(verified=False)
    client.force_login(complete_draft.applicant)

    response = client.post(f"/applications/{complete_draft.reference}/check-your-answers/")

    assert response.status_code == 400
    assert "Confirm your email address first" in response.content.decode()


def test_amending_a_sent_eoi_is_recorded(applicant_client, complete_draft):
    applicant_client.post(f"/applications/{complete_draft.reference}/check-your-answers/")
    changed = {**ANSWERS["your-details"], "job_title": "Director of Security"}

    response = applicant_client.post(section_url(complete_draft, "your-details"), changed)

    assert response.url == f"/applications/{complete_draft.reference}/check-your-answers/"
    amendment = Amendment.objects.get()
    assert (amendment.section, amendment.changes) == (
        "your-details",
        {"job_title": ["Head of Security", "Director of Security"]},
    )
    projects = {**ANSWERS["projects"], "hours_per_month": "12"}
    applicant_client.post(section_url(complete_draft, "projects"), projects)
    assert Amendment.objects.first().changes == {"hours a month": [8, 12]}


def test_drafts_record_no_amendments(complete_draft):
    assert Amendment.objects.count() == 0


def test_withdraw_with_a_reason_after_confirming(applicant_client, complete_draft):
    url = f"/applications/{complete_draft.reference}/withdraw/"
    page = applicant_client.get(url).content.decode()
    assert "Are you sure you want to withdraw" in page

    response = applicant_client.post(url, {"reason": "Changed jobs"})

    assert response.url == "/applications/"
    complete_draft.refresh_from_db()
    assert (complete_draft.status, complete_draft.withdrawal_reason) == (
        "withdrawn",
        "Changed jobs",
    )
    assert complete_draft.withdrawn_at is not None
    # Nothing leaves withdrawn.
    assert (
        applicant_client.post(
            section_url(complete_draft, "your-details"), ANSWERS["your-details"]
        ).status_code
        == 403
    )
    assert "cannot withdraw" in applicant_client.get(url).content.decode()
    assert (
        "You withdrew" in applicant_client.get("/applications/express-interest/").content.decode()
    )


def test_your_applications_lists_status(applicant_client, complete_draft):
    html = applicant_client.get("/applications/").content.decode()

    assert complete_draft.reference in html
    assert "CP2, T1" in html
    assert ">Draft<" in html


@pytest.mark.parametrize(
    "path",
    [
        "",
        "your-details/",
        "projects/",
        "check-your-answers/",
        "confirmation/",
        "withdraw/",
        "conflicts-of-interest/add/",
    ],
)
def test_another_persons_eoi_is_not_found(client, complete_draft, path):
    client.force_login(
        UserFactory(email="other@example.org", full_name="Alex Applicant", stakeholder=True)
    )

    assert client.get(f"/applications/{complete_draft.reference}/{path}").status_code == 404
    assert client.post(f"/applications/{complete_draft.reference}/{path}", {}).status_code == 404


def test_another_persons_eoi_by_id_is_not_found(client, complete_draft):
    client.force_login(
        UserFactory(email="other@example.org", full_name="Alex Applicant", stakeholder=True)
    )

    assert client.get(f"/applications/{complete_draft.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["", "your-details/", "check-your-answers/", "withdraw/"])
def test_signed_out_visitors_are_sent_to_sign_in_then_get_404(client, complete_draft, path):
    url = f"/applications/{complete_draft.reference}/{path}"
    client.logout()

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_referee_confirms_by_signed_link(client, applicant_client, complete_draft):
    applicant_client.post(f"/applications/{complete_draft.reference}/check-your-answers/")
    deliver_outbox()
    link = re.search(r"http://[^\s]+/referee/[^\s]+/", mail.outbox[1].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1] if "127.0.0.1:8000" in link else link
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm who Alex Applicant is" in page.content.decode()
    assert "1234567890123456" not in page.content.decode()  # no vetting details to the referee

    response = client.post(path, {"confirms": "yes", "comment": "Known for ten years"})

    assert response.status_code == 200
    check = ValidationCheck.objects.get()
    assert (check.method, check.result) == ("referee_confirmed", "passed")
    assert "Known for ten years" in check.note
    assert "already answered" in client.get(path).content.decode()
    client.post(path, {"confirms": "no"})
    assert ValidationCheck.objects.count() == 1


def test_referee_can_deny(client, complete_draft):
    from participants.referees import referee_link

    path = referee_link(complete_draft).split("127.0.0.1:8000", 1)[1]
    client.logout()  # the referee, not the applicant this client signed in as

    client.post(path, {"confirms": "no"})

    assert ValidationCheck.objects.get().result == "failed"


def test_tampered_or_expired_referee_links(client, complete_draft, settings):
    from participants.referees import referee_link

    path = referee_link(complete_draft).split("127.0.0.1:8000", 1)[1]
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.get("/referee/not-a-token/").status_code == 404

    class SignerFromLastMonth(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 31 * 24 * 3600)

    token = SignerFromLastMonth(salt=REFEREE_SALT).sign_object(
        {"eoi": complete_draft.pk, "referee": "robin@example.org"}
    )
    response = client.get(f"/referee/{token}/")
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert ValidationCheck.objects.count() == 0


def test_referee_link_stops_working_when_the_referee_changes(
    client, applicant_client, complete_draft
):
    from participants.referees import referee_link

    path = referee_link(complete_draft).split("127.0.0.1:8000", 1)[1]
    ExpressionOfInterest.objects.filter(pk=complete_draft.pk).update(
        referee_email="new@example.org"
    )

    assert client.get(path).status_code == 404
