"""Data kept by address is a person's only through an address they have verified.

An attacker adds someone else's address to their own account (a referee's,
another applicant's) and never confirms it: subject access must not show that
person's emails and questions, and erasing the account must not delete them.
"""

import json

import pytest
from allauth.account.models import EmailAddress

from participants import services
from participants.addresses import verified_addresses
from participants.data_protection.erasure import erase_account
from participants.models import ExpressionOfInterest
from projects.models import Project, ProjectQuestion
from projects.services import ask_question
from stepchange.models import Notice
from tests.conftest import deliver_outbox
from tests.factories import UserFactory

YOUR_DATA = "/accounts/your-data/"
YOUR_DATA_JSON = "/accounts/your-data.json"


@pytest.fixture
def someone_else(open_call):
    """Sam, with an EOI sent (their confirmation, their referee Rory's request)
    and a question asked without signing in, by email only."""
    sam = UserFactory(email="sam@example.org", full_name="Sam Someone", stakeholder=True)
    eoi = ExpressionOfInterest.objects.create(
        applicant=sam,
        call=open_call,
        full_name="Sam Someone",
        work_email="sam@example.org",
        referee_name="Rory Referee",
        referee_email="rory@example.org",
    )
    eoi.mark_submitted()
    services.queue_submission_notices(
        ExpressionOfInterest.objects.select_related("call", "applicant").get(pk=eoi.pk)
    )
    deliver_outbox()  # an EOI's notices are rendered when they are sent
    question = ask_question(
        Project.objects.get(code="T1"),
        name="Sam Someone",
        email="Sam@Example.org",
        question="Does T1 need people in Leeds?",
        senders=["ip:192.0.2.1"],
    )
    return {
        "eoi": eoi,
        "question": question,
        "notices": set(Notice.objects.values_list("pk", flat=True)),
    }


@pytest.fixture
def with_their_addresses(applicant_client, applicant, someone_else):
    """Alex adds Rory's address on the account page, and has Sam's unverified too."""
    response = applicant_client.post(
        "/accounts/email/", {"action_add": "", "email": "rory@example.org"}
    )
    assert response.status_code == 302
    EmailAddress.objects.create(user=applicant, email="SAM@example.org", verified=False)
    assert set(
        EmailAddress.objects.filter(user=applicant, verified=False).values_list("email", flat=True)
    ) == {"rory@example.org", "SAM@example.org"}
    return applicant_client


def test_only_verified_addresses_are_yours(db):
    user = UserFactory(email="Alex@Example.org", full_name="Alex Applicant", stakeholder=True)
    EmailAddress.objects.create(user=user, email="other@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=" Second@Example.org", verified=True)
    unconfirmed = UserFactory(email="new@example.org", full_name="Alex Applicant", stakeholder=True)
    EmailAddress.objects.filter(user=unconfirmed).update(verified=False)

    assert verified_addresses(user) == ["alex@example.org", "second@example.org"]
    assert verified_addresses(unconfirmed) == []


def test_your_data_leaves_out_what_was_sent_to_an_unverified_address(
    with_their_addresses, someone_else
):
    ProjectQuestion.objects.create(
        project=Project.objects.get(code="T1"),
        name="Alex Applicant",
        email="alex@example.org",
        question="Who leads T1?",
    )
    Notice.objects.create(
        reason="account", recipient="alex@example.org", occurrence="alex", subject="For Alex"
    )

    page = with_their_addresses.get(YOUR_DATA).content.decode()
    data = json.loads(with_their_addresses.get(YOUR_DATA_JSON).content)

    # The link to confirm Rory's address was sent for Alex's account: it is Alex's.
    assert [(n["recipient"], n["subject"]) for n in data["emails_sent_to_you"]] == [
        ("rory@example.org", "Step-Change Programme: Confirm your email address"),
        ("alex@example.org", "For Alex"),
    ]
    assert [question["question"] for question in data["questions_asked"]] == ["Who leads T1?"]
    assert data["expressions_of_interest"] == []
    others = Notice.objects.filter(pk__in=someone_else["notices"])
    assert sorted(others.values_list("reason", flat=True)) == [
        "eoi_confirmation",
        "project_question",
        "referee_request",
    ]
    for text in [
        *others.values_list("subject", flat=True),
        "Does T1 need people in Leeds?",
        "Sam Someone",
        someone_else["eoi"].reference,
    ]:
        assert text not in page
        assert text not in json.dumps(data)


def test_erasure_leaves_what_was_sent_to_an_unverified_address(
    with_their_addresses, applicant, someone_else
):
    own = Notice.objects.create(
        reason="account", recipient="alex@example.org", occurrence="alex", subject="For Alex"
    )

    confirmation = Notice.objects.get(recipient="rory@example.org", reason="account")

    erase_account(applicant)

    assert set(Notice.objects.values_list("pk", flat=True)) == someone_else["notices"]
    assert not Notice.objects.filter(pk__in=[own.pk, confirmation.pk]).exists()
    assert list(ProjectQuestion.objects.values_list("pk", flat=True)) == [
        someone_else["question"].pk
    ]
    assert ExpressionOfInterest.objects.get().full_name == "Sam Someone"
    assert verified_addresses(someone_else["eoi"].applicant) == ["sam@example.org"]


def test_erasure_takes_what_was_sent_to_an_address_once_verified(applicant, someone_else):
    # Rory has confirmed the address on an account of their own: their mail is theirs.
    rory = UserFactory(email="rory@example.org", full_name="Rory Referee", stakeholder=True)

    erase_account(rory)

    reasons = Notice.objects.filter(pk__in=someone_else["notices"]).values_list("reason", flat=True)
    assert sorted(reasons) == ["eoi_confirmation", "project_question"]


def test_account_emails_name_the_account_they_were_sent_for(rf, applicant, settings):
    from allauth.account.adapter import get_adapter
    from allauth.core import context

    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    request = rf.get("/accounts/password/change/")
    request.user = applicant
    with context.request_context(request):
        get_adapter(request).send_notification_mail(
            "account/email/password_changed", applicant, email="old@example.org"
        )

    notice = Notice.objects.get(reason="account")
    assert notice.recipient == "old@example.org"
    assert notice.occurrence.startswith(f"account:user-{applicant.pk}:password_changed:")
    erase_account(applicant)
    assert not Notice.objects.exists()
