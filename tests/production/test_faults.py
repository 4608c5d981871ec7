"""Faults on the production stack: Redis and PostgreSQL stopped and started, a worker killed.

Each test leaves the stack healthy for the next.
"""

import json
import re
import time
from pathlib import Path

import pytest

from tests.production.conftest import (
    FAST_INTERVAL,
    applicant,
    json_lines,
    messages_to,
    sign_in,
    sign_up,
    subject_of,
    wait_for,
    wait_for_outbox_sent,
)

pytestmark = pytest.mark.production

UNAVAILABLE = '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>'


def test_with_redis_stopped_an_eoi_is_sent_and_its_emails_follow_once_redis_returns(stack):
    browser, reference, email, referee = applicant(stack, "redis")

    stack.stop_redis()
    try:
        started = time.monotonic()
        response = browser.submit(f"/applications/{reference}/check-your-answers/")
        took = time.monotonic() - started
        confirmation = browser.get(response.location)
        status, health = stack.health()
        # Down long enough for beat to try to send its tasks, and carry on.
        time.sleep(max(0, FAST_INTERVAL + 1 - (time.monotonic() - started)))
        waiting = stack.sql(
            "SELECT recipient, state FROM stepchange_notice WHERE recipient = ANY(%s) "
            "AND reason <> 'account' ORDER BY recipient",
            ([email, referee],),
        )
    finally:
        stack.start_redis()

    assert response.location == f"/applications/{reference}/confirmation/"
    assert took < 10
    assert confirmation.status == 200
    assert "Expression of interest sent" in confirmation.text
    assert (status, health["checks"]["broker"]) == (503, "failing: OperationalError")
    assert waiting == [(email, "pending"), (referee, "pending")]
    assert messages_to(stack.sink, referee) == []
    # The broker never had their tasks: beat's sweep queues them once they have
    # waited its grace (two minutes; here the clock moves on at once).
    stack.sql(
        "UPDATE stepchange_notice SET created_at = created_at - interval '3 minutes', "
        "not_before = not_before - interval '3 minutes' WHERE recipient = ANY(%s)",
        ([email, referee],),
    )
    wait_for_outbox_sent(stack, [email, referee], timeout=120)
    assert [subject_of(message) for message in messages_to(stack.sink, email)] == [
        "Step-Change Programme: Confirm your email address",
        f"Step-Change Programme: we have your expression of interest {reference}",
    ]
    assert len(messages_to(stack.sink, referee)) == 1
    stack.wait_healthy()


def test_with_postgresql_stopped_pages_answer_503_and_recover_by_themselves(stack):
    # Signed in, so that no page comes from the public page cache.
    email = "applicant-postgresql@example.org"
    sign_up(stack, email)
    browser = sign_in(stack, email)
    project = "/projects/CP2/"
    assert browser.get(project).status == 200
    web = _process_group(stack.processes["web"].pid)

    stack.stop_postgres()
    try:
        home, project_page = browser.get("/"), browser.get(project)
        health = stack.request("GET", "/health/")
        # Down long enough for beat and the worker to meet it too.
        time.sleep(FAST_INTERVAL + 1)
    finally:
        stack.start_postgres()
    restarted = stack.sql("SELECT now()")[0][0]

    for page in (home, project_page):
        assert page.status == 503
        assert UNAVAILABLE in page.text
        assert page.headers["Retry-After"] == "30"
        assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-ID"] or "")
    assert (health.status, json.loads(health.body)["checks"]) == (
        503,
        {
            "database": "failing: OperationalError",
            "broker": "ok",
            "worker": "unknown: the database is failing",
            "beat": "unknown: the database is failing",
        },
    )
    # Each answer's log lines carry its id, Django's own error line as well.
    assert [
        (line["logger"], line["message"], line.get("status"))
        for line in json_lines(stack.log("web"))
        if line["request_id"] == health.headers["X-Request-ID"]
    ] == [
        ("stepchange.requests", "request", 503),
        ("django.request", "Service Unavailable: /health/", None),
    ]
    [logged] = [
        line
        for line in json_lines(stack.log("web"))
        if line["request_id"] == home.headers["X-Request-ID"]
        and line["logger"] == "stepchange.requests"
    ]
    assert (logged["path"], logged["status"], logged["user"]) == ("/", 503, None)
    # Back without a restart: the same gunicorn processes answer, still signed in.
    wait_for(lambda: browser.get("/").status == 200, 60, "the home page to answer again")
    assert "Sign out" in browser.get(project).text
    assert _process_group(stack.processes["web"].pid) == web
    # Beat queues the worker's heartbeat again, and the worker records it.
    wait_for(
        lambda: stack.sql(
            "SELECT 1 FROM stepchange_heartbeat WHERE name = 'worker' AND beat_at > %s",
            (restarted,),
        ),
        60,
        "a worker heartbeat after the restart",
    )
    stack.wait_healthy()


QUEUE_BATCH = """
from django.db import transaction
from stepchange.notices import outbox

with transaction.atomic():
    for number in range(20):
        outbox.queue_notice(
            recipient=f"batch-{number:03}@example.org",
            occurrence="call:1:closed",
            key="participants/email/referee_request",
            context={"full_name": "A", "referee_name": "B", "link": "x", "days": 1},
        )
"""


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(stack):
    expected = [f"batch-{number:03}@example.org" for number in range(20)]

    def delivered():
        return sorted(
            address
            for item in stack.sink.messages
            for address in item["to"]
            if address.startswith("batch-")
        )

    stack.sink.handler.hold = 0.6  # a busy mail server: each message takes a while
    try:
        stack.manage("shell", "-c", QUEUE_BATCH)
        wait_for(
            lambda: len(delivered()) >= 3 and stack.sink.handler.holding,
            60,
            "the batch to start and the server to hold a message",
            interval=0.01,
        )
        # Killed while the server holds the message. Killed in the instant
        # between the server's "250" and the outbox recording it, a worker would
        # send that message again (README: SMTP cannot close that window).
        time.sleep(0.1)
        stack.kill_worker()
        before_restart = len(delivered())
        stack.sink.handler.hold = 0.0  # the kill is done: the rest need not wait
        in_flight = stack.sql("SELECT count(*) FROM stepchange_notice WHERE state = 'sending'")
        # The dead worker's claim runs out (its five-minute lease) and the sweep's
        # grace passes: the clock moves on.
        stack.sql(
            "UPDATE stepchange_notice SET claimed_at = claimed_at - interval '6 minutes', "
            "not_before = not_before - interval '3 minutes' WHERE state = 'sending'"
        )
        stack.start_worker()
        wait_for_outbox_sent(stack, expected, timeout=90)
    finally:
        stack.sink.handler.hold = 0.0

    assert 3 <= before_restart < 20
    assert in_flight == [(1,)]
    assert delivered() == expected
    assert stack.processes["beat"].poll() is None
    stack.wait_healthy()


def _process_group(group):
    """The ids of the processes in a process group (gunicorn's master and workers)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
        if int(fields[2]) == group:
            found.add(int(stat.parent.name))
    return found
