import datetime

import pytest

from projects.models import Call
from projects.services import LONDON
from tests.factories import CallFactory


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def call(db):
    return CallFactory(opens=london(2018, 5, 1, 0, 0), closes=london(2018, 5, 25, 23, 59, 59))


def test_call_states_around_its_dates(call):
    assert call.state(london(2018, 4, 30, 23, 59, 59)) == Call.State.UPCOMING
    assert call.state(london(2018, 5, 1, 0, 0)) == Call.State.OPEN
    assert call.state(london(2018, 5, 25, 23, 59, 59)) == Call.State.OPEN
    assert call.state(london(2018, 5, 26, 0, 0)) == Call.State.CLOSED


def test_current_call_prefers_the_open_one(call):
    later = CallFactory(opens=london(2019, 1, 1), closes=london(2019, 2, 1))

    assert Call.objects.current(at=london(2018, 5, 10)) == call
    assert Call.objects.current(at=london(2018, 12, 1)) == call
    assert Call.objects.current(at=london(2019, 1, 10)) == later
    assert Call.objects.current(at=london(2017, 1, 1)) == call


def test_current_call_is_none_without_calls(db):
    assert Call.objects.current() is None
