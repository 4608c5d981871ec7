import datetime

import pytest

from participants.reminders import milestone_due_offset, queue_milestone_reminders
from projects.models import Milestone
from projects.services import LONDON
from stepchange.models import Notice
from tests.factories import ExpressionOfInterestFactory, UserFactory
from workstreams.models import Workstream


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
    UserFactory(
        email="chair@example.org",
        stakeholder=True,
        business_co_chair_of=Workstream.objects.get(code="CP"),
    )
    # In the office's group, not staff: the group alone puts them in the audience.
    UserFactory(email="pco@example.org", stakeholder=True, staff_group="Coordination office")
    ExpressionOfInterestFactory(applicant__email="sent@example.org", call=open_call, submitted=True)
    ExpressionOfInterestFactory(applicant__email="draft@example.org", call=open_call, draft=True)
    UserFactory(email="keen@example.org", stakeholder=True, programme_reminders=True)
    UserFactory(email="quiet@example.org", stakeholder=True)


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
        "stepchange@demo.stepchange.invalid",
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
    reminders = Notice.objects.filter(reason="milestone_reminder")
    assert set(reminders.values_list("state", flat=True)) == {"cancelled"}


def test_past_milestones_of_2018_send_nothing(loaded_programme):
    assert queue_milestone_reminders() == 0
