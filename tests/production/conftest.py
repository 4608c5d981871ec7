"""The production stack on loopback, for tests that talk to it over HTTP.

One stack serves every test in this folder: its own PostgreSQL cluster and
Redis (so that a test may stop and start them without touching the suite's),
two gunicorn processes with the deployment's gunicorn.conf.py, one Celery
worker and one beat, with the settings production uses (DEBUG off, WhiteNoise's
hashed and compressed static files, JSON logs) and an SMTP sink in this
process for the mail server. Every process writes to a log file; a failing
test's report ends with their last lines. Everything is stopped and deleted
when the folder's tests are done.

Two things are made faster than production, and only these: the worker's
heartbeat and the outbox sweep run every 5 seconds instead of every minute,
so that the health check and a recovery are seen within a test's patience.
"""

import contextlib
import copy
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg2
import pytest

from tests.answers import ANSWERS
from tests.smtp_sink import RecordingHandler, SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PASSWORD = "a long unusual passphrase"
FAST_INTERVAL = 5  # seconds between the worker's heartbeats and between outbox sweeps

# The Procfile's processes (stepchange/deploy/Procfile): gunicorn takes GUNICORN_BIND and
# GUNICORN_WORKERS from the environment; the worker has one pool process.
WEB = ["stepchange.wsgi:application", "--config", "stepchange/deploy/gunicorn.conf.py"]
WORKER = ["--app", "stepchange", "worker", "--loglevel", "INFO", "--concurrency", "1"]
WORKER += ["--without-mingle", "--without-gossip"]
BEAT = ["--app", "stepchange", "beat", "--loglevel", "INFO"]
# Thrown away afterwards, as .ci/with-services's are: no persistence, no fsync.
REDIS = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
INITDB = ["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
POSTGRES = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def _postgres_bin():
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.parent.name)],
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.skip("PostgreSQL server binaries not found: install postgresql (see README)")
    return Path(initdb).parent


def wait_for(condition, timeout, message, interval=0.25):
    """Return condition()'s first true value, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


class Stack:
    """The processes of the deployment (stepchange/deploy/), on loopback ports."""

    def __init__(self, sink):
        self.sink = sink
        self.work = Path(tempfile.mkdtemp(prefix="stepchange-production-"))
        # PostgreSQL runs as the postgres user when we are root: it must reach its folder.
        self.work.chmod(0o755)
        self.logs = self.work / "logs"
        self.logs.mkdir()
        self.pg_bin = _postgres_bin()
        self.pg_data = self.work / "pg"
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.web_port = free_port()
        self.processes = {}  # name: Popen, for the long-running ones
        self.redis = None
        self.workers_started = 0
        self.env = {
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            # What /etc/stepchange/environment holds (stepchange/deploy/environment.example),
            # for loopback and plain HTTP. STATICFILES_BACKEND is left to its default.
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": f"http://127.0.0.1:{self.web_port}",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/stepchange",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_URL": sink.url,
            "STEPCHANGE_VAR_DIR": str(self.work / "var"),
            "LOG_FORMAT": "json",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_WORKERS": "2",
            # The one proxy in front of gunicorn; this stack's requests come without
            # X-Forwarded-For unless a test plays the proxy.
            "TRUSTED_PROXY_COUNT": "1",
        }

    # Starting and stopping

    def start(self):
        collectstatic = self._spawn(
            "collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput"]
        )
        self.start_redis()
        self._init_postgres()
        self.start_postgres()
        server = ["-h", "127.0.0.1", "-p", self.pg_port, "-U", "postgres"]
        self._run_as_postgres([self.pg_bin / "createdb", *server, "stepchange"])
        self.manage("migrate", "--noinput")
        self.manage("loadprogramme", "--demonstration")
        self.manage("shell", "-c", SHORTEN_INTERVALS)
        self._wait(collectstatic, "collectstatic", timeout=180)
        self.start_web()
        self.start_worker()
        self.start_beat()
        wait_for(self._web_answers, 60, "gunicorn to answer")

    def stop(self):
        for name in list(self.processes):
            self._end(name)
        self.stop_redis()
        with contextlib.suppress(Exception):
            self.stop_postgres(mode="immediate")
        shutil.rmtree(self.work, ignore_errors=True)

    def start_redis(self):
        with (self.logs / "redis.log").open("a") as log:
            self.redis = subprocess.Popen(
                ["redis-server", "--port", str(self.redis_port), *REDIS, "--dir", str(self.work)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: self._listening(self.redis_port), 20, "Redis to listen")

    def stop_redis(self):
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=20)
        self.redis = None

    def _init_postgres(self):
        self.pg_data.mkdir()
        (self.logs / "postgresql.log").touch()
        if os.geteuid() == 0:
            for path in (self.pg_data, self.logs / "postgresql.log"):
                shutil.chown(path, "postgres", "postgres")
        self._run_as_postgres([self.pg_bin / "initdb", "-D", self.pg_data, *INITDB])

    def start_postgres(self):
        options = f"-h 127.0.0.1 -p {self.pg_port} -k {self.pg_data} {POSTGRES}"
        log = self.logs / "postgresql.log"
        self._run_as_postgres(
            [self.pg_bin / "pg_ctl", "-D", self.pg_data, "-l", log, "-w", "-o", options, "start"]
        )

    def stop_postgres(self, mode="fast"):
        self._run_as_postgres(
            [self.pg_bin / "pg_ctl", "-D", self.pg_data, "-m", mode, "-w", "-t", "60", "stop"]
        )

    def start_web(self):
        self.processes["web"] = self._spawn("web", [VENV_BIN / "gunicorn", *WEB])

    def start_worker(self):
        self.workers_started += 1
        name = f"worker{self.workers_started}"
        self.processes["worker"] = self._spawn(
            name, [VENV_BIN / "celery", *WORKER, f"--hostname={name}@%h"]
        )
        return self.logs / f"{name}.log"

    def kill_worker(self):
        """SIGKILL the worker and its pool process at once, as the kernel's OOM killer might."""
        worker = self.processes.pop("worker")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)

    def start_beat(self):
        self.processes["beat"] = self._spawn("beat", [VENV_BIN / "celery", *BEAT])

    def _spawn(self, name, command):
        with (self.logs / f"{name}.log").open("a") as log:
            return subprocess.Popen(
                [str(part) for part in command],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group: gunicorn's and Celery's children are ended with it.
                start_new_session=True,
            )

    def _end(self, name):
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # Whatever the group left behind (a pool process whose parent was killed).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def _wait(self, process, name, timeout):
        if process.wait(timeout=timeout) != 0:
            raise AssertionError(f"{name} failed:\n{self.log(name)}")

    def _run_as_postgres(self, command):
        command = [str(part) for part in command]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command, cwd="/", capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            raise AssertionError(
                f"{command} failed:\n{result.stdout}{result.stderr}\n{self.log('postgresql')}"
            )

    @staticmethod
    def _listening(port):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
        return False

    def _web_answers(self):
        try:
            return self.request("GET", "/health/").status in (200, 503)
        except OSError:
            return False

    # Using it

    def manage(self, *args, timeout=180):
        """Run a management command against the stack, as an operator would."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    def sql(self, query, params=()):
        """Rows of one statement on the stack's database (for what only an operator sees)."""
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.pg_port, user="postgres", dbname="stepchange"
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, response.msg, response.read())
        finally:
            connection.close()

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

    def log(self, name):
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def worker_logs(self):
        """Every worker's log, the killed ones' too."""
        return "".join(self.log(f"worker{number}") for number in range(1, self.workers_started + 1))

    def log_tails(self, lines=40):
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path.name} (last {len(tail)} lines)\n" + "\n".join(tail))
        return "\n".join(parts)


SHORTEN_INTERVALS = f"""
from django_celery_beat.models import IntervalSchedule, PeriodicTask
fast, _ = IntervalSchedule.objects.get_or_create(every={FAST_INTERVAL}, period="seconds")
for task in PeriodicTask.objects.filter(task__in=["stepchange.heartbeat", "stepchange.sweep_outbox"]):
    task.interval = fast
    task.save()
"""


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self):
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path

    def __repr__(self):
        return f"<Response {self.status} {self.headers.get('Location', '')}>"


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


class WatchedHandler(RecordingHandler):
    """The sink's handler, telling how many messages it is holding right now."""

    def __init__(self):
        super().__init__()
        self.holding = 0

    async def handle_DATA(self, server, session, envelope):
        self.holding += 1  # the event loop's thread only: no lock needed
        try:
            return await super().handle_DATA(server, session, envelope)
        finally:
            self.holding -= 1


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
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
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
    sink = SmtpSink()
    sink.handler = WatchedHandler()
    sink.start()
    running = Stack(sink)
    try:
        try:
            running.start()
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
    if report.failed and isinstance(running, Stack):
        report.sections.append(("the stack's logs", running.log_tails()))
    return report
