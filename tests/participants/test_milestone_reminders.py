import datetime

import pytest
from django.contrib.auth.models import Group

from participants.models import ExpressionOfInterest, User
from participants.reminders import milestone_due_offset, queue_milestone_reminders
from projects.models import Milestone
from projects.services import LONDON
from stepchange.models import Notice
from workstreams.models import Workstream

from .conftest import verified_user


def at(date, hour=9, minute=0):
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def milestone(open_call):
    return Milestone.objects.create(
        date=datetime.date(2026, 12, 20),
        title="Projects shared with co-chairs",
        audiences=["co_chairs", "coordination_office", "applicants", "opted_in"],
    )


@pytest.fixture
def people(open_call):
    chair = verified_user("chair@example.org")
    Workstream.objects.filter(code="CP").update(business_co_chair=chair)
    office = verified_user("pco@example.org")
    office.groups.add(Group.objects.get_or_create(name="Coordination office")[0])
    sent = verified_user("sent@example.org")
    ExpressionOfInterest.objects.create(applicant=sent, call=open_call, status="submitted")
    draft = verified_user("draft@example.org")
    ExpressionOfInterest.objects.create(applicant=draft, call=open_call, status="draft")
    keen = verified_user("keen@example.org")
    User.objects.filter(pk=keen.pk).update(programme_reminders=True)
    verified_user("quiet@example.org")


def recipients():
    return sorted(
        Notice.objects.filter(reason="milestone_reminder").values_list("recipient", flat=True)
    )


def test_due_offsets_at_9am_london(milestone):
    assert milestone_due_offset(milestone, at(datetime.date(2026, 12, 13), 8, 59)) is None
    assert milestone_due_offset(milestone, at(datetime.date(2026, 12, 13))) == 7
    assert milestone_due_offset(milestone, at(datetime.date(2026, 12, 19))) == 1
    assert milestone_due_offset(milestone, at(datetime.date(2026, 12, 20), 23, 59)) == 1
    assert milestone_due_offset(milestone, at(datetime.date(2026, 12, 21), 0, 0)) is None


def test_each_audience_reminded_once(milestone, people):
    when = at(datetime.date(2026, 12, 13))

    assert queue_milestone_reminders(now=when) == 5
    assert queue_milestone_reminders(now=when) == 0
    assert recipients() == [
        "chair@example.org",
        "keen@example.org",
        "pco@example.org",
        "sent@example.org",
        "stepchange@met.police.uk",
    ]
    notices = {n.recipient: n for n in Notice.objects.all()}
    assert "List-Unsubscribe" in notices["sent@example.org"].headers
    assert notices["chair@example.org"].headers == {}  # reminded because of the role
    assert notices["sent@example.org"].subject == (
        "Step-Change Programme: in 7 days: Projects shared with co-chairs"
    )


def test_a_moved_milestone_sends_nothing_for_the_old_date(milestone, people):
    queue_milestone_reminders(now=at(datetime.date(2026, 12, 13)))
    Milestone.objects.filter(pk=milestone.pk).update(date=datetime.date(2027, 1, 20))

    assert queue_milestone_reminders(now=at(datetime.date(2026, 12, 19))) == 0
    assert set(Notice.objects.values_list("state", flat=True)) == {"cancelled"}


def test_past_milestones_of_2018_send_nothing(loaded_programme):
    assert queue_milestone_reminders() == 0
