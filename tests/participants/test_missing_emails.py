"""The emails that were missing (issue 15, point 11): the applicant's confirmation
when they withdraw, the coordination office told when a team member withdraws,
and a newly appointed co-chair told what the workspace is. Each through the
outbox, exactly once."""

import pytest

from participants import services
from participants.models import IllegalTransition, TeamMembership
from projects.models import Project
from stepchange.models import Notice
from tests.factories import UserFactory, applicant_for, appoint_co_chair
from workstreams.models import Workstream


def withdrawal_notices():
    return Notice.objects.filter(reason="withdrawal").order_by("recipient")


def test_the_applicant_is_told_once_that_they_withdrew(client, open_call):
    eoi = applicant_for(open_call, "Blake Applicant", "CP1", "lead")
    client.force_login(eoi.applicant)

    response = client.post(f"/applications/{eoi.reference}/withdraw/", {"reason": "New job."})
    with pytest.raises(IllegalTransition):
        services.withdraw(eoi)

    assert response.status_code == 302
    notice = withdrawal_notices().get()  # no team place: the office is not told
    assert (notice.recipient, notice.occurrence) == (
        "blake@example.org",
        f"eoi:{eoi.pk}:withdrawal",
    )
    assert notice.subject.endswith(
        f"you have withdrawn your expression of interest {eoi.reference}"
    )
    assert "Dear Blake Applicant," in notice.body_text
    assert "you cannot send another for this call" in notice.body_text
    assert "project teams" not in notice.body_text
    assert open_call.contact_email in notice.body_text
    assert notice.reply_to == open_call.contact_email


def test_a_team_member_withdrawing_tells_the_office_and_them_which_teams(client, open_call):
    eoi = applicant_for(open_call, "Blake Member", "CP1", "lead", status="accepted")
    for code, role in [("CP1", "lead"), ("SR1", "deliver")]:
        TeamMembership.objects.create(
            project=Project.objects.get(code=code),
            member=eoi.applicant,
            role=role,
            expression_of_interest=eoi,
        )
    client.force_login(eoi.applicant)

    client.post(f"/applications/{eoi.reference}/withdraw/", {"reason": "I am moving job."})
    services.queue_team_withdrawal_notices(eoi, [])  # a retry adds nothing

    office, applicant = (
        withdrawal_notices().get(recipient=open_call.contact_email),
        withdrawal_notices().get(recipient="blake@example.org"),
    )
    assert withdrawal_notices().count() == 2
    assert office.occurrence == f"eoi:{eoi.pk}:member-withdrawal"
    assert office.subject.endswith(f"a project team member has withdrawn ({eoi.reference})")
    assert "Blake Member" in office.body_text
    assert "these project teams: CP1 as lead, SR1 as deliver" in office.body_text
    assert "The reason they gave: I am moving job." in office.body_text
    assert f"/admin/participants/expressionofinterest/{eoi.pk}/change/" in office.body_text
    assert "You have left the project teams you were in: CP1 as lead, SR1 as deliver" in (
        applicant.body_text
    )


def appointment_notices():
    return Notice.objects.filter(reason="co_chair_appointed").order_by("pk")


def test_a_new_co_chair_is_told_once_what_the_workspace_is(loaded_programme, open_call):
    person = UserFactory(email="sam.chair@example.org", full_name="Sam Chair", stakeholder=True)
    transport = Workstream.objects.get(slug="transport")

    appoint_co_chair(person, transport, "police_co_chair")
    transport.save()  # saved again, as the admin does when something else changes
    appoint_co_chair(person, transport, "police_co_chair")

    notice = appointment_notices().get()
    assert notice.recipient == "sam.chair@example.org"
    assert notice.occurrence.startswith(f"co-chair:{transport.pk}:police:user-{person.pk}:")
    assert notice.subject.endswith(f"you are now a co-chair of {transport.name}")
    assert f"made you the police co-chair of the {transport.name} workstream" in notice.body_text
    assert "two-factor authentication" in notice.body_text
    assert "authenticator app" in notice.body_text
    assert "/workspace/" in notice.body_text
    assert 'href="http' in notice.body_html and "/workspace/" in notice.body_html


def test_each_appointment_is_its_own_email(loaded_programme):
    first = UserFactory(email="first@example.org", full_name="First Chair", stakeholder=True)
    second = UserFactory(email="second@example.org", full_name="Second Chair", stakeholder=True)
    transport = Workstream.objects.get(slug="transport")

    appoint_co_chair(first, transport, "business_co_chair")
    appoint_co_chair(second, transport, "business_co_chair")
    appoint_co_chair(first, transport, "business_co_chair")  # given the seat back
    transport.business_co_chair = None
    transport.save()  # nobody in the seat: nobody to tell

    assert [n.recipient for n in appointment_notices()] == [
        "first@example.org",
        "second@example.org",
        "first@example.org",
    ]


def test_appointing_in_the_admin_queues_the_email(client, loaded_programme, superuser):
    from tests.admin_forms import change_form_data
    from tests.factories import login_with_two_factor

    person = UserFactory(email="sam.chair@example.org", full_name="Sam Chair", stakeholder=True)
    transport = Workstream.objects.get(slug="transport")
    login_with_two_factor(client, superuser)
    url = f"/admin/workstreams/workstream/{transport.pk}/change/"
    data = change_form_data(client.get(url))
    data["police_co_chair"] = person.pk

    response = client.post(url, data)

    assert response.status_code == 302
    assert appointment_notices().get().recipient == "sam.chair@example.org"
