"""An applicant cannot be their own referee: not by naming one of their own
addresses, not by opening the link themselves; and the office is warned of a
referee at a domain that is not the organisation's."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from participants import referees
from participants.models import ExpressionOfInterest, ValidationCheck
from tests.answers import ANSWERS, section_url
from tests.factories import UserFactory, login_with_two_factor

REFUSED = "Your referee must be someone else: enter their email address, not yours"


def referee_path(eoi):
    return referees.referee_link(eoi).removeprefix(settings.SITE_URL)


@pytest.mark.parametrize(
    "address",
    [
        "alex@example.org",  # the account's verified address
        "ALEX.Home@Example.org",  # another of the account's, not verified
        "alex@work.example.net",  # the work email the applicant gave
    ],
)
def test_the_referee_cannot_be_one_of_the_applicants_addresses(
    applicant_client, applicant, complete_draft, address
):
    EmailAddress.objects.create(user=applicant, email="alex.home@example.org", verified=False)
    ExpressionOfInterest.objects.filter(pk=complete_draft.pk).update(
        work_email="alex@work.example.net"
    )
    data = {**ANSWERS["validation"], "referee_email": address}

    response = applicant_client.post(section_url(complete_draft, "validation"), data)

    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert f'<a href="#id_referee_email">{REFUSED}</a>' in html
    assert html.count(REFUSED) == 2  # the error summary and the field
    complete_draft.refresh_from_db()
    assert complete_draft.referee_email == "robin@example.org"


def test_someone_elses_address_is_fine(applicant_client, complete_draft):
    data = {**ANSWERS["validation"], "referee_email": "morgan@example.org"}

    response = applicant_client.post(section_url(complete_draft, "validation"), data)

    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.referee_email == "morgan@example.org"


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_applicant_signed_in_cannot_answer_their_own_referee_request(
    applicant_client, complete_draft, method
):
    response = getattr(applicant_client, method)(
        referee_path(complete_draft), {"confirms": "yes", "comment": "It is me."}
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot answer this request" in html
    assert "sign out first and then open the link from the email again" in html
    assert not ValidationCheck.objects.exists()


def test_a_referee_address_the_applicant_added_afterwards_records_nothing(
    client, applicant, complete_draft
):
    """Sent, then the referee's address added to the applicant's own account:
    the link, opened by anyone, records nothing."""
    EmailAddress.objects.create(user=applicant, email="robin@example.org", verified=True)

    response = client.post(referee_path(complete_draft), {"confirms": "yes"})

    assert response.status_code == 403
    assert "You cannot answer this request" in response.content.decode()
    assert not ValidationCheck.objects.exists()
    with pytest.raises(referees.RefereeIsApplicant):
        referees.record_referee_answer(complete_draft, confirmed=True, user=applicant)


def test_the_referee_answers_signed_out_or_signed_in_as_themselves(client, complete_draft):
    referee = UserFactory(email="robin@example.org")
    client.force_login(referee)

    response = client.post(referee_path(complete_draft), {"confirms": "yes"})

    assert response.status_code == 200
    assert ValidationCheck.objects.get().result == "passed"


# The office's warning.


@pytest.mark.parametrize(
    "website, work_email, referee_email, differs",
    [
        ("https://www.example.org", "alex@example.org", "robin@example.org", False),
        ("https://WWW.Example.ORG/about", "alex@gmail.example", "robin@EXAMPLE.org", False),
        ("", "alex@venues.example", "robin@www.venues.example", False),
        ("https://example.org", "alex@example.org", "robin@webmail.example", True),
        ("", "", "robin@webmail.example", True),
        ("https://example.org", "alex@example.org", "", False),
    ],
)
def test_the_referee_domain_is_compared_with_the_organisations(
    website, work_email, referee_email, differs
):
    eoi = ExpressionOfInterest(website=website, work_email=work_email, referee_email=referee_email)

    assert eoi.referee_domain_differs() is differs


@pytest.fixture
def office_client(office):
    """Its own client: the applicant's (complete_draft) is signed in as them."""
    client = Client()
    login_with_two_factor(client, office)
    return client


def test_the_office_is_warned_on_the_eoi_page_and_in_the_list(office_client, complete_draft):
    ExpressionOfInterest.objects.filter(pk=complete_draft.pk).update(
        status="submitted", referee_email="robin@webmail.example"
    )
    page = office_client.get(
        f"/admin/participants/expressionofinterest/{complete_draft.pk}/change/"
    ).content.decode()
    listing = office_client.get("/admin/participants/expressionofinterest/").content.decode()

    assert (
        "Warning: webmail.example is neither the organisation website&#x27;s domain nor the "
        "applicant&#x27;s work email domain (example.org). Check that the referee works at "
        "Example Venues Ltd."
    ) in page
    # The answers are read only for the office: the address shown, not a field.
    assert "robin@webmail.example" in page
    assert 'name="referee_email"' not in page
    assert "Other domain" in listing


def test_no_warning_when_the_referee_is_at_the_organisation(office_client, complete_draft):
    page = office_client.get(
        f"/admin/participants/expressionofinterest/{complete_draft.pk}/change/"
    ).content.decode()
    listing = office_client.get("/admin/participants/expressionofinterest/").content.decode()

    assert "example.org: the organisation&#x27;s" in page
    assert "Warning:" not in page
    assert "Other domain" not in listing
