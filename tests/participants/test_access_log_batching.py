"""The access log writes one row per person, page and minute, before the response
leaves; a crash or a lost cache costs a duplicate row, never a missing one."""

from unittest import mock

import pytest
from django.core.cache import cache

from participants.data_protection import access_log
from participants.models import PersonalDataAccess
from tests.factories import login_with_two_factor

LIST = "/admin/participants/expressionofinterest/"


@pytest.fixture
def office_client(client, office):
    login_with_two_factor(client, office)
    return client


def _rows():
    return list(PersonalDataAccess.objects.order_by("pk").values_list("what", "path"))


def test_a_page_seen_again_within_the_minute_is_one_row(office_client):
    with mock.patch.object(access_log.time, "time", return_value=6_000_000.0):
        for _ in range(3):
            assert office_client.get(LIST).status_code == 200
    assert _rows() == [("EOI list viewed in the admin", LIST)]


def test_the_next_minute_and_other_filters_are_rows_of_their_own(office_client):
    with mock.patch.object(access_log.time, "time", return_value=6_000_000.0):
        office_client.get(LIST)
        office_client.get(f"{LIST}?status__exact=submitted")
    with mock.patch.object(access_log.time, "time", return_value=6_000_060.0):
        office_client.get(LIST)
    assert _rows() == [
        ("EOI list viewed in the admin", LIST),
        ("EOI list viewed in the admin (by status__exact)", LIST),
        ("EOI list viewed in the admin", LIST),
    ]


def test_each_export_is_a_row(office_client):
    for _ in range(2):
        assert office_client.get(f"{LIST}export/csv/").status_code == 200
    assert len(_rows()) == 2


def test_a_crash_after_the_insert_costs_a_duplicate_not_a_loss(office_client):
    # The process died after writing the row, before the cache heard of it.
    with mock.patch.object(access_log.cache, "set"):
        office_client.get(LIST)
    office_client.get(LIST)
    assert len(_rows()) == 2


def test_a_failed_insert_is_not_remembered_as_written(office_client):
    failing = mock.patch.object(access_log, "record_access", side_effect=RuntimeError("db gone"))
    with failing, pytest.raises(RuntimeError):
        office_client.get(LIST)  # no page without its row
    assert _rows() == []
    office_client.get(LIST)
    assert _rows() == [("EOI list viewed in the admin", LIST)]


def test_an_emptied_cache_writes_again(office_client):
    office_client.get(LIST)
    cache.clear()  # Redis restarted, or down (get answers None)
    office_client.get(LIST)
    assert len(_rows()) == 2
