"""gunicorn as deployed, behind one proxy: each visitor is counted by the address
our proxy appended to X-Forwarded-For, whatever the visitor wrote there first."""

import http.client

import pytest

pytestmark = pytest.mark.production

ALICE = "198.51.100.7"
BOB = "198.51.100.8"
QUESTION_FORM = "/projects/cp1/question/"
# Every question slot of Alice's address taken, as her earlier questions would.
USE_UP = """
from django.core.cache import cache
from django.utils import timezone
from stepchange import ratelimit
from projects.services import QUESTION_LIMITS
keys = ratelimit._keys("project-question:address", "ip:{address}", QUESTION_LIMITS["per_address"])
cache.set_many(dict.fromkeys(keys, timezone.now()), timeout=3600)
"""


def status(stack, path, headers):
    """GET `path` with `headers`, a list of (name, value) in which a name may repeat."""
    connection = http.client.HTTPConnection("127.0.0.1", stack.web_port, timeout=60)
    try:
        connection.putrequest("GET", path)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_behind_the_proxy_each_visitor_is_counted_by_the_address_it_appended(stack):
    stack.manage("shell", "-c", USE_UP.format(address=ALICE))

    # As our proxy passes Alice's request on.
    assert status(stack, QUESTION_FORM, [("X-Forwarded-For", ALICE)]) == 429
    # Alice's own address in front, in the same header or in one of its own.
    assert status(stack, QUESTION_FORM, [("X-Forwarded-For", f"{BOB}, {ALICE}")]) == 429
    assert (
        status(stack, QUESTION_FORM, [("X-Forwarded-For", BOB), ("X-Forwarded-For", ALICE)]) == 429
    )
    # An underscore spelling is not taken for the header (gunicorn drops it).
    assert (
        status(stack, QUESTION_FORM, [("X_Forwarded_For", BOB), ("X-Forwarded-For", ALICE)]) == 429
    )
    # Bob, through the same proxy, is not held back by Alice.
    assert status(stack, QUESTION_FORM, [("X-Forwarded-For", BOB)]) == 200
