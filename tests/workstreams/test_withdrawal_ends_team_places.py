"""An accepted applicant who withdraws leaves their teams: no place, no
in-confidence notes, the history keeps who left and why, and each co-chair is
told once."""

import pytest
from django.conf import settings

from participants import services
from participants.models import CoChairInterest, IllegalTransition, TeamMembership
from projects.models import Project
from stepchange.models import Notice
from tests.factories import UserFactory, applicant_for, login_with_two_factor

NOTES = "The pilot venue is in Leeds."


@pytest.fixture
def police_co_chair(crowded_places):
    user = UserFactory(email="police-chair@example.org", full_name="Pat Police", stakeholder=True)
    crowded_places.police_co_chair = user
    crowded_places.save()
    return user


@pytest.fixture
def member(open_call, co_chair, police_co_chair):
    """Blake, accepted and placed as lead of CP1 and a developer of CP2."""
    eoi = applicant_for(open_call, "Blake Member", "CP1", "lead", status="accepted")
    for code, role in [("CP1", "lead"), ("CP2", "develop")]:
        TeamMembership.objects.create(
            project=Project.objects.get(code=code),
            member=eoi.applicant,
            role=role,
            expression_of_interest=eoi,
        )
    Project.objects.filter(code="CP1").update(in_confidence_notes=NOTES)
    return eoi


def test_withdrawing_ends_the_team_places_and_the_in_confidence_notes(client, member):
    cp1 = Project.objects.get(code="CP1")
    person = member.applicant
    login_with_two_factor(client, person)
    assert cp1.in_confidence_readers_include(person)
    assert NOTES in client.get("/projects/cp1/").content.decode()

    response = client.post(
        f"/applications/{member.reference}/withdraw/", {"reason": "I am moving job."}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "withdrawn"
    assert list(TeamMembership.objects.filter(member=person)) == []
    assert not cp1.in_confidence_readers_include(person)
    assert NOTES not in client.get("/projects/cp1/").content.decode()
    ended = TeamMembership.history.filter(history_type="-").order_by("project__code")
    assert [(h.project.code, h.role, h.history_user, h.history_change_reason) for h in ended] == [
        ("CP1", "lead", person, f"Withdrew {member.reference}"),
        ("CP2", "develop", person, f"Withdrew {member.reference}"),
    ]


def test_each_co_chair_is_told_once(client, member, co_chair, police_co_chair):
    client.force_login(member.applicant)
    client.post(f"/applications/{member.reference}/withdraw/", {"reason": ""})
    # Again, as a second request or a retried task would.
    with pytest.raises(IllegalTransition):
        services.withdraw(member)
    services.queue_team_withdrawal_notices(
        member, [TeamMembership(project=Project.objects.get(code="CP1"), role="lead")]
    )

    notices = Notice.objects.filter(reason="team_change").order_by("recipient")
    assert [(n.recipient, n.occurrence) for n in notices] == [
        ("chair@example.org", f"eoi:{member.pk}:team-withdrawal"),
        ("police-chair@example.org", f"eoi:{member.pk}:team-withdrawal"),
    ]
    notice = notices[0]
    assert notice.subject == (
        f"{settings.SERVICE_NAME}: a member of your project team has withdrawn"
    )
    assert "Blake Member, Member Ltd withdrew from the Step-Change Programme" in notice.body_text
    assert "- CP1, as lead\n- CP2, as develop" in notice.body_text
    assert f"{settings.SITE_URL}/workspace/" in notice.body_text
    assert "<li>CP1, as lead</li><li>CP2, as develop</li>" in notice.body_html
    assert "I am moving job" not in notice.body_text


def test_a_co_chair_from_whom_the_member_is_withheld_is_not_told_who(
    client, member, co_chair, police_co_chair
):
    CoChairInterest.objects.create(co_chair=co_chair, organisation="member ltd")
    client.force_login(member.applicant)
    client.post(f"/applications/{member.reference}/withdraw/", {"reason": ""})

    told = {n.recipient: n for n in Notice.objects.filter(reason="team_change")}
    withheld = told["chair@example.org"]
    for text in (withheld.subject, withheld.body_text, withheld.body_html):
        for detail in ["Blake", "Member Ltd", "blake@", "work.example.org"]:
            assert detail not in text
    assert withheld.body_text.startswith(
        "Hello,\n\nA member of the team from an organisation you declared an interest in withdrew"
    )
    assert "Blake Member, Member Ltd" in told["police-chair@example.org"].body_text


def test_withdrawing_a_draft_or_an_unplaced_eoi_tells_nobody(open_call, co_chair):
    eoi = applicant_for(open_call, "Sam Sent", "CP1", "lead", status="submitted")

    services.withdraw(eoi)

    assert not Notice.objects.filter(reason="team_change").exists()


def test_places_from_another_eoi_stay(open_call, member):
    """A place is ended by withdrawing the EOI that gave it, not another one."""
    from tests.factories import CallFactory

    other_call = CallFactory()
    draft = type(member).objects.create(applicant=member.applicant, call=other_call)

    services.withdraw(draft)

    assert TeamMembership.objects.filter(member=member.applicant).count() == 2
