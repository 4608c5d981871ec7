import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects.models import Call
from projects.services import LONDON, open_demonstration_call


@pytest.mark.django_db
def test_demonstration_call_closes_four_weeks_from_today(loaded_programme):
    call = open_demonstration_call(today=datetime.date(2026, 11, 28))

    assert call.is_demonstration is True
    assert timezone.localtime(call.opens, LONDON).isoformat() == "2026-11-28T00:00:00+00:00"
    assert timezone.localtime(call.closes, LONDON).isoformat() == "2026-12-26T23:59:59+00:00"
    assert call.projects.count() == 25
    assert call.contact_email == "stepchange@met.police.uk"


@pytest.mark.django_db
def test_the_real_call_keeps_the_documents_dates(loaded_programme):
    open_demonstration_call()

    real = Call.objects.get(is_demonstration=False)
    assert timezone.localtime(real.closes, LONDON).date() == datetime.date(2018, 5, 25)


@pytest.mark.django_db
def test_demonstration_call_is_current_and_opening_it_again_changes_nothing(loaded_programme):
    call_command("loadprogramme", "--demonstration")
    first = Call.objects.get(is_demonstration=True)

    call_command("loadprogramme", "--demonstration")

    assert Call.objects.filter(is_demonstration=True).count() == 1
    again = Call.objects.get(is_demonstration=True)
    assert (again.pk, again.opens, again.closes) == (first.pk, first.opens, first.closes)
    assert Call.objects.current() == first
    assert first.is_open() is True


@pytest.mark.django_db
def test_a_closed_demonstration_call_is_reopened(loaded_programme):
    old = open_demonstration_call(today=datetime.date(2026, 1, 1))

    reopened = open_demonstration_call(today=datetime.date(2026, 11, 28))

    assert reopened.pk == old.pk
    assert timezone.localtime(reopened.closes, LONDON).date() == datetime.date(2026, 12, 26)


def test_demonstration_needs_the_programme_first(db):
    with pytest.raises(ValueError, match="loadprogramme"):
        open_demonstration_call()
