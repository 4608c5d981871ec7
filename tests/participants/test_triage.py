import pytest

from participants import triage
from participants.models import ExpressionOfInterest, IllegalTransition, StatusChange
from tests.factories import ExpressionOfInterestFactory, UserFactory, login_with_two_factor

Status = ExpressionOfInterest.Status


@pytest.fixture
def office(superuser):
    # In these tests the office acts as a superuser.
    return superuser


def make_eoi(call, status, number=0):
    return ExpressionOfInterestFactory(
        applicant=UserFactory(email=f"applicant{number}@example.org", stakeholder=True),
        call=call,
        **{str(status): True},
    )


@pytest.mark.parametrize(
    "start, end",
    [
        (Status.SUBMITTED, Status.UNDER_REVIEW),
        (Status.SUBMITTED, Status.DECLINED),
        (Status.UNDER_REVIEW, Status.SHORTLISTED),
        (Status.UNDER_REVIEW, Status.DECLINED),
    ],
)
def test_allowed_moves_are_recorded_with_who_and_when(open_call, office, start, end):
    eoi = make_eoi(open_call, start)

    change = eoi.move_to(end, by=office)

    eoi.refresh_from_db()
    assert eoi.status == end
    assert (change.from_status, change.to_status, change.changed_by) == (start, end, office)
    assert change.changed_at is not None


@pytest.mark.parametrize(
    "start, end",
    [
        (Status.DRAFT, Status.UNDER_REVIEW),
        (Status.SUBMITTED, Status.SHORTLISTED),
        (Status.SUBMITTED, Status.ACCEPTED),
        (Status.UNDER_REVIEW, Status.ACCEPTED),
        (Status.ACCEPTED, Status.DECLINED),
        (Status.DECLINED, Status.SHORTLISTED),
        (Status.WITHDRAWN, Status.UNDER_REVIEW),
        (Status.WITHDRAWN, Status.SUBMITTED),
        (Status.SHORTLISTED, Status.SHORTLISTED),
        # A shortlisted EOI is decided by its decisions, project by project.
        (Status.SHORTLISTED, Status.ACCEPTED),
        (Status.SHORTLISTED, Status.DECLINED),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(open_call, office, start, end):
    eoi = make_eoi(open_call, start)

    with pytest.raises(IllegalTransition, match=f"{eoi.reference} is"):
        eoi.move_to(end, by=office)

    eoi.refresh_from_db()
    assert eoi.status == start
    assert StatusChange.objects.count() == 0


def test_bulk_move_of_500_moves_the_allowed_and_reports_the_rest(open_call, office):
    from participants.models import User

    users = User.objects.bulk_create(User(email=f"bulk{n}@example.org") for n in range(500))
    eois = ExpressionOfInterest.objects.bulk_create(
        ExpressionOfInterest(applicant=user, call=open_call, status=Status.SUBMITTED)
        for user in users[:498]
    )
    draft = ExpressionOfInterest.objects.create(
        applicant=users[498], call=open_call, status=Status.DRAFT
    )
    withdrawn = ExpressionOfInterest.objects.create(
        applicant=users[499], call=open_call, status=Status.WITHDRAWN
    )

    moved, refused = triage.move(
        [e.pk for e in [*eois, draft, withdrawn]], Status.UNDER_REVIEW, by=office
    )

    assert len(moved) == 498
    assert len(refused) == 2
    assert ExpressionOfInterest.objects.filter(status=Status.UNDER_REVIEW).count() == 498
    assert (
        StatusChange.objects.filter(to_status=Status.UNDER_REVIEW, changed_by=office).count() == 498
    )


def test_admin_bulk_actions_report_refusals(client, open_call, office):
    submitted = make_eoi(open_call, Status.SUBMITTED, 1)
    withdrawn = make_eoi(open_call, Status.WITHDRAWN, 2)
    login_with_two_factor(client, office)

    response = client.post(
        "/admin/participants/expressionofinterest/",
        {"action": "move_to_under_review", "_selected_action": [submitted.pk, withdrawn.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "1 moved to under review." in html
    assert f"{withdrawn.reference} is withdrawn: it cannot be moved to under review." in html
    submitted.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (submitted.status, withdrawn.status) == ("under_review", "withdrawn")


def test_sending_and_withdrawing_are_recorded_too(applicant_client, complete_draft):
    applicant_client.post(f"/applications/{complete_draft.reference}/check-your-answers/")
    applicant_client.post(f"/applications/{complete_draft.reference}/withdraw/", {"reason": ""})

    changes = list(
        StatusChange.objects.order_by("changed_at", "pk").values_list(
            "from_status", "to_status", "changed_by__email"
        )
    )
    assert changes == [
        ("draft", "submitted", "alex@example.org"),
        ("submitted", "withdrawn", "alex@example.org"),
    ]
