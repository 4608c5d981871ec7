"""The production stack on loopback, for tests that talk to it over HTTP.

One stack serves every test in this folder (tests/loopback/portal.py: its own
PostgreSQL cluster and Redis, so that a test may stop and start them, two
gunicorn processes with the deployment's gunicorn.conf.py, one Celery worker
and one beat, with the settings production uses) and an SMTP sink in this
process for the mail server. Every process writes to a log file; a failing
test's report ends with their last lines. Everything is stopped and deleted
when the folder's tests are done. Under pytest-xdist the folder's tests run
on one worker (tests/conftest.py groups them), so one stack is started, not one a worker.

Two things are made faster than production, and only these: the worker's
heartbeat and the outbox sweep run every 5 seconds instead of every minute,
so that the health check and a recovery are seen within a test's patience.
"""

import contextlib
import copy
import json
import re
import time
import urllib.parse

import pytest

from tests.answers import ANSWERS
from tests.loopback.portal import Stack
from tests.loopback.processes import wait_for
from tests.loopback.smtp import SmtpSink

PASSWORD = "a long unusual passphrase"
FAST_INTERVAL = 5  # seconds between the worker's heartbeats and between outbox sweeps

SHORTEN_INTERVALS = f"""
from django_celery_beat.models import IntervalSchedule, PeriodicTask
fast, _ = IntervalSchedule.objects.get_or_create(every={FAST_INTERVAL}, period="seconds")
for task in PeriodicTask.objects.filter(task__in=["stepchange.heartbeat", "stepchange.sweep_outbox"]):
    task.interval = fast
    task.save()
"""


class ProductionStack(Stack):
    """The stack as the production tests use it: over HTTP, as a visitor and an operator."""

    def __init__(self, sink):
        # The one proxy in front of gunicorn; this stack's requests come without
        # X-Forwarded-For unless a test plays the proxy.
        super().__init__(sink=sink, env={"TRUSTED_PROXY_COUNT": "1"})

    def browser(self):
        return Browser(self)

    def health(self):
        response = self.request("GET", "/health/")
        return response.status, json.loads(response.body)

    def wait_healthy(self, timeout=90):
        """Wait until /health/ answers 200, every part ok; return its checks."""
        last = {}

        def healthy():
            nonlocal last
            try:
                status, last = self.health()
            except (OSError, ValueError):
                return False
            return status == 200 and last

        try:
            return wait_for(healthy, timeout, "a healthy stack", interval=1)["checks"]
        except AssertionError as problem:
            raise AssertionError(f"{problem}; last answer: {last}") from None


class Browser:
    """A visitor with cookies, over plain HTTP.

    With DEBUG off the session and CSRF cookies are __Host- and Secure: a
    browser would keep them only over HTTPS (the load balancer's), and so
    would http.cookiejar. This one keeps them for the loopback stack.
    Redirects are not followed, so that each answer can be checked.
    """

    def __init__(self, stack):
        self.stack = stack
        self.cookies = {}
        self.responses = []

    def request(self, method, path, data=None, headers=None):
        headers = dict(headers or {})
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.stack.request(method, path, body=body, headers=headers)
        for cookie in response.headers.get_all("Set-Cookie") or []:
            pair, *attributes = (part.strip() for part in cookie.split(";"))
            name, _, value = pair.partition("=")
            if any(attribute.lower() == "max-age=0" for attribute in attributes):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        self.responses.append((method, path, response))
        return response

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def submit(self, path, data=None, expect=302):
        """Fill in the form on the page at `path` and send it, as a person would."""
        page = self.get(path)
        assert page.status == 200, (path, page.status, page.text[:2000])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token in the form at {path}"
        response = self.request("POST", path, {**(data or {}), "csrfmiddlewaretoken": token[1]})
        if expect is not None:
            assert response.status == expect, (path, response.status, response.text[:3000])
        return response


# Mail


def text_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def subject_of(message):
    """The Subject header unfolded (a long one arrives over two lines)."""
    return re.sub(r"\r?\n(?=[ \t])", "", message["Subject"])


def messages_to(sink, address):
    return [item["message"] for item in sink.messages if address in item["to"]]


def wait_for_mail(sink, address, count=1, timeout=60):
    return wait_for(
        lambda: len(messages_to(sink, address)) >= count and messages_to(sink, address),
        timeout,
        f"{count} email(s) to {address}",
    )


# The applicant's journey, through the pages


def sign_up(stack, email):
    """Create an account and confirm its address by the link emailed to it."""
    browser = stack.browser()
    response = browser.submit(
        "/accounts/signup/",
        {
            "full_name": "Pat Production",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.location == "/accounts/confirm-email/"
    [message] = wait_for_mail(stack.sink, email)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text_of(message))
    assert link, text_of(message)
    assert link[0].startswith(stack.env["SITE_URL"]), link[0]
    browser.submit(urllib.parse.urlsplit(link[0]).path)


def sign_in(stack, email):
    browser = stack.browser()
    response = browser.submit("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.location == "/applications/"
    assert "__Host-sessionid" in browser.cookies
    return browser


def answers_for(email, referee_email):
    answers = copy.deepcopy(ANSWERS)
    answers["your-details"]["work_email"] = email
    answers["validation"]["referee_email"] = referee_email
    return answers


def complete_draft(browser, email, referee_email):
    """Start an EOI and answer every section; return its reference."""
    response = browser.get("/applications/express-interest/")
    assert response.status == 302, response
    reference = response.location.strip("/").split("/")[-1]
    for section, data in answers_for(email, referee_email).items():
        response = browser.submit(f"/applications/{reference}/{section}/", data)
    assert browser.get(f"/applications/{reference}/check-your-answers/").status == 200
    return reference


def applicant(stack, tag):
    """A signed-in applicant with a complete draft: (browser, reference, email, referee)."""
    email = f"applicant-{tag}@example.org"
    referee = f"referee-{tag}@example.org"
    sign_up(stack, email)
    browser = sign_in(stack, email)
    return browser, complete_draft(browser, email, referee), email, referee


def wait_for_outbox_sent(stack, recipients, timeout=60):
    """Wait until every notice to the recipients is sent; then a moment for a repeat to show."""

    def all_sent():
        states = stack.sql(
            "SELECT state FROM stepchange_notice WHERE recipient = ANY(%s)", (recipients,)
        )
        return states and all(state == "sent" for (state,) in states)

    wait_for(all_sent, timeout, f"every notice to {recipients} to be sent")
    time.sleep(1)


def json_lines(text):
    """The log lines that are JSON objects (gunicorn's and Celery's banners are not)."""
    for line in text.splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                yield json.loads(line)


# Fixtures


@pytest.fixture(scope="package")
def stack():
    sink = SmtpSink().start()
    running = ProductionStack(sink)
    try:
        try:
            running.start(before_web=[SHORTEN_INTERVALS])
        except Exception as problem:
            raise AssertionError(
                f"the stack did not start: {problem}\n{running.log_tails()}"
            ) from None
        yield running
    finally:
        running.stop()
        sink.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    running = getattr(item, "funcargs", {}).get("stack")
    if report.failed and isinstance(running, ProductionStack):
        report.sections.append(("the stack's logs", running.log_tails()))
    return report
