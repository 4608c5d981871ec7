"""The production stack on loopback, seen over HTTP as a visitor and an operator see it."""

import gzip
import re
import secrets
from pathlib import Path

import pytest

from tests.production.conftest import (
    applicant,
    json_lines,
    messages_to,
    subject_of,
    text_of,
    wait_for,
    wait_for_outbox_sent,
)

pytestmark = pytest.mark.production

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


def test_the_health_endpoint_reports_every_part_ok(stack):
    checks = stack.wait_healthy()
    response = stack.request("GET", "/health/")

    assert checks == {"database": "ok", "broker": "ok", "worker": "ok", "beat": "ok"}
    assert response.headers["Content-Type"] == "application/json"
    assert "no-cache" in response.headers["Cache-Control"]


def test_the_home_page_and_a_project_page_are_served_with_request_ids(stack):
    browser = stack.browser()

    home = browser.get("/")
    projects = browser.get("/projects/")
    project_paths = sorted(set(re.findall(r'href="(/projects/[A-Za-z0-9-]+/)"', projects.text)))
    project = browser.get(project_paths[0])

    assert home.status == 200
    assert 'href="/projects/"' in home.text
    assert projects.status == 200
    assert len(project_paths) == 25
    assert project.status == 200
    assert all(
        GENERATED_ID.fullmatch(response.headers["X-Request-ID"] or "")
        for *_, response in browser.responses
    )


def test_the_stylesheet_is_hashed_and_compressed_by_whitenoise(stack):
    home = stack.request("GET", "/")
    [stylesheet] = re.findall(r'href="(/static/dist/portal\.[0-9a-f]{12}\.css)"', home.text)

    compressed = stack.request("GET", stylesheet, headers={"Accept-Encoding": "gzip"})
    plain = stack.request("GET", stylesheet)

    assert compressed.status == 200
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert compressed.headers["Content-Type"].startswith("text/css")
    assert compressed.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert GENERATED_ID.fullmatch(compressed.headers["X-Request-ID"])
    assert gzip.decompress(compressed.body) == plain.body
    assert plain.headers["Content-Encoding"] is None
    assert len(compressed.body) < len(plain.body) / 3


def test_gunicorn_runs_two_worker_processes(stack):
    master = stack.processes["web"].pid
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:  # it ended while we looked
            continue
        if parent == master and b"gunicorn" in command:
            children.append(stat.parent.name)

    assert len(children) == 2


def test_a_request_line_longer_than_gunicorn_allows_never_reaches_django(stack):
    """The premise of tests/hostile_input.py's LONG_VALUE_IN_URL: no view reads more."""
    from tests.hostile_input import LONG_VALUE_IN_URL, REQUEST_LINE_LIMIT

    fits = "/projects/?q=" + "x" * (REQUEST_LINE_LIMIT - len("GET /projects/?q= HTTP/1.1"))
    too_long = fits + "x"

    assert len(LONG_VALUE_IN_URL) >= REQUEST_LINE_LIMIT
    assert stack.request("GET", fits).status == 200
    refused = stack.request("GET", too_long)
    assert refused.status == 400
    assert "X-Request-ID" not in refused.headers  # gunicorn answered, not Django


def test_each_request_is_one_json_log_line_with_its_id(stack):
    given = f"production-test-{secrets.token_hex(8)}"

    response = stack.request("GET", "/privacy/", headers={"X-Request-ID": given})

    [line] = wait_for(
        lambda: [line for line in json_lines(stack.log("web")) if line["request_id"] == given],
        10,
        "the request's log line",
    )
    assert response.headers["X-Request-ID"] == given
    assert {key: line[key] for key in ("level", "logger", "message", "method", "path")} == {
        "level": "INFO",
        "logger": "stepchange.requests",
        "message": "request",
        "method": "GET",
        "path": "/privacy/",
    }
    assert (line["status"], line["user"]) == (200, None)
    assert isinstance(line["duration_ms"], float)


def test_an_applicant_signs_up_sends_an_eoi_and_each_email_arrives_once(stack):
    browser, reference, email, referee = applicant(stack, "happy")
    given = f"production-submit-{secrets.token_hex(8)}"
    page = browser.get(f"/applications/{reference}/check-your-answers/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]

    response = browser.request(
        "POST",
        f"/applications/{reference}/check-your-answers/",
        {"csrfmiddlewaretoken": token},
        headers={"X-Request-ID": given},
    )
    confirmation = browser.get(response.location)

    assert response.status == 302
    assert response.location == f"/applications/{reference}/confirmation/"
    assert confirmation.status == 200
    assert "Expression of interest sent" in confirmation.text
    assert all("X-Request-ID" in answer.headers for *_, answer in browser.responses)
    wait_for_outbox_sent(stack, [email, referee])
    to_applicant = messages_to(stack.sink, email)
    to_referee = messages_to(stack.sink, referee)
    assert [subject_of(message) for message in to_applicant] == [
        "Step-Change Programme: Confirm your email address",
        f"Step-Change Programme: we have your expression of interest {reference}",
    ]
    assert [subject_of(message) for message in to_referee] == [
        "Step-Change Programme: can you confirm who Alex Applicant is?"
    ]
    assert f"{stack.env['SITE_URL']}/referee/" in text_of(to_referee[0])
    # The task the submission queued (both emails, one batch) logs the id of the
    # request that queued it.
    assert [
        (line["task"], line["state"])
        for line in json_lines(stack.worker_logs())
        if line["request_id"] == given and line["logger"] == "stepchange.tasks"
    ] == [("stepchange.send_notices", "SUCCESS")]
