import datetime

import pytest

from projects.services import LONDON
from stepchange.templatetags.govuk import govuk_datetime, govuk_paragraphs, govuk_time


@pytest.mark.parametrize(
    "hour, minute, expected",
    [(0, 0, "midnight"), (12, 0, "midday"), (9, 0, "9am"), (23, 59, "11:59pm"), (13, 5, "1:05pm")],
)
def test_govuk_time(hour, minute, expected):
    assert govuk_time(datetime.datetime(2018, 5, 25, hour, minute, tzinfo=LONDON)) == expected


def test_govuk_datetime_is_in_london_time():
    utc = datetime.datetime(2018, 5, 25, 22, 59, 59, tzinfo=datetime.UTC)

    assert govuk_datetime(utc) == "11:59pm on Friday 25 May 2018"


def test_govuk_paragraphs_escapes():
    assert (
        govuk_paragraphs("One <b>\n\nTwo")
        == '<p class="govuk-body">One &lt;b&gt;</p>\n<p class="govuk-body">Two</p>'
    )
