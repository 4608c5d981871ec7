"""The deployment's processes (stepchange/deploy/Procfile) on loopback ports.

Its own PostgreSQL cluster and Redis (so that a test may stop and start them),
gunicorn with stepchange/deploy/gunicorn.conf.py (2 workers), Celery worker
processes and exactly one beat, all with the environment of
stepchange/deploy/environment.example on loopback: DEBUG off, WhiteNoise's
hashed and compressed static files collected into a temporary STATIC_ROOT
(STEPCHANGE_VAR_DIR), JSON logs, each process's to its own file in `logs`.
What differs from production is plain HTTP (SECURE_SSL_REDIRECT=0) and what
the caller adds to `env` (the production tests' shorter intervals, the
benchmarks' baseline views and limits). The mail server is an SMTP sink
(tests/loopback/smtp.py), in this process or, for the benchmarks, in its own.

Nothing is downloaded: every binary and package is already installed.
"""

import contextlib
import http.client
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from tests.loopback.datastores import Postgres, Redis
from tests.loopback.processes import end, free_port, listening, spawn, wait_for
from tests.loopback.smtp import ask_stats

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
WEB = ["stepchange.wsgi:application", "--config", "stepchange/deploy/gunicorn.conf.py"]


class Stack:
    """Start with start(), stop with stop(); between, each part can be stopped and started."""

    def __init__(
        self,
        *,
        sink=None,
        env=None,
        celery_workers=1,
        celery_concurrency=1,
        durable=False,
        keep=False,
        ready_path="/health/",
        log=None,
    ):
        """`sink`: an SmtpSink in this process; without one, a counting sink process."""
        self.sink = sink
        self.celery_workers = celery_workers
        self.celery_concurrency = celery_concurrency
        self.keep = keep
        self.ready_path = ready_path
        self.say = log or (lambda message: None)
        self.work = Path(tempfile.mkdtemp(prefix="stepchange-stack-"))
        self.work.chmod(0o755)  # PostgreSQL, run as the postgres user, must reach its folder
        self.logs = self.work / "logs"
        self.logs.mkdir()
        self.postgres = Postgres(self.work, self.logs, durable=durable)
        self.redis_server = Redis(self.work, self.logs)
        self.web_port = free_port()
        self.sink_control_port = None if sink else free_port()
        self.smtp_port = sink.port if sink else free_port()
        self.processes = {}  # name: Popen, for the long-running ones
        self.workers_started = 0
        self.env = {
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "stepchange.settings",
            # What /etc/stepchange/environment holds (stepchange/deploy/environment.example),
            # for loopback and plain HTTP. STATICFILES_BACKEND is left to its default.
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": f"http://127.0.0.1:{self.web_port}",
            "DATABASE_URL": self.postgres.url(),
            "CACHE_URL": self.redis_server.url(1),
            "CELERY_BROKER_URL": self.redis_server.url(0),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "STEPCHANGE_VAR_DIR": str(self.work / "var"),
            "LOG_FORMAT": "json",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_WORKERS": "2",
            **(env or {}),
        }

    @property
    def pg_port(self):
        return self.postgres.port

    @property
    def redis_port(self):
        return self.redis_server.port

    # Starting and stopping

    def start(self, before_web=()):
        """Everything, in order; `before_web`: SQL or shell code to run once migrated."""
        started = time.monotonic()
        if self.sink is None:
            self.start_sink()
        collectstatic = self.spawn(
            "collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput"]
        )
        self.start_redis()
        self.postgres.create()
        self.manage("migrate", "--noinput")
        self.manage("loadprogramme", "--demonstration")
        for code in before_web:
            self.manage("shell", "-c", code)
        if collectstatic.wait(timeout=300) != 0:
            raise RuntimeError(f"collectstatic failed:\n{self.tail('collectstatic')}")
        self.start_web()
        for _ in range(self.celery_workers):
            self.start_worker()
        self.start_beat()
        wait_for(self.web_answers, 60, "gunicorn to answer")
        self.say(f"Stack up in {time.monotonic() - started:.0f} s; logs in {self.logs}")

    def stop(self):
        for name in reversed(list(self.processes)):
            end(self.processes.pop(name))
        self.stop_redis()
        with contextlib.suppress(RuntimeError):
            self.stop_postgres(mode="immediate")
        if not self.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    def start_sink(self):
        command = [sys.executable, "-m", "tests.loopback.smtp", "--port", self.smtp_port]
        command += ["--control-port", self.sink_control_port]
        self.processes["sink"] = self.spawn("sink", command)
        wait_for(lambda: listening(self.sink_control_port), 30, "the SMTP sink")

    def start_redis(self):
        self.redis_server.start()

    def stop_redis(self):
        self.redis_server.stop()

    def start_postgres(self):
        self.postgres.start()

    def stop_postgres(self, mode="fast"):
        self.postgres.stop(mode)

    def start_web(self):
        self.processes["web"] = self.spawn("web", [VENV_BIN / "gunicorn", *WEB])

    def start_worker(self):
        """One more Celery worker, worker1, worker2…; returns its log file."""
        self.workers_started += 1
        name = f"worker{self.workers_started}"
        command = [VENV_BIN / "celery", "--app", "stepchange", "worker", "--loglevel", "INFO"]
        command += ["--concurrency", self.celery_concurrency, "--without-mingle"]
        command += ["--without-gossip", f"--hostname={name}@%h"]
        self.processes[name] = self.spawn(name, command)
        return self.logs / f"{name}.log"

    def kill_worker(self):
        """SIGKILL the newest worker and its pool processes at once, as the OOM killer might."""
        worker = self.processes.pop(f"worker{self.workers_started}")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)

    def start_beat(self):
        (self.work / "beat").mkdir(exist_ok=True)
        command = [VENV_BIN / "celery", "--app", "stepchange", "beat", "--loglevel", "INFO"]
        command += ["--pidfile", self.work / "beat" / "beat.pid"]
        self.processes["beat"] = self.spawn("beat", command)

    def spawn(self, name, command, env=None):
        return spawn(command, self.logs / f"{name}.log", env=env or self.env, cwd=ROOT)

    def web_answers(self):
        try:
            return self.request("GET", self.ready_path, timeout=5).status in (200, 503)
        except OSError:
            return False

    def wait_for_workers(self, timeout=60):
        for number in range(1, self.workers_started + 1):
            wait_for(
                lambda number=number: " ready." in self.tail(f"worker{number}", 400),
                timeout,
                f"Celery worker {number}",
            )

    # Using it

    def request(self, method, path, body=None, headers=None, timeout=60):
        connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, response.msg, response.read())
        finally:
            connection.close()

    def manage(self, *args, debug=False, timeout=600):
        """Run a management command against the stack, as an operator would."""
        return self.python(["manage.py", *args], debug=debug, timeout=timeout)

    def python(self, args, debug=False, timeout=600, stdin=None):
        env = {**self.env, "DEBUG": "1"} if debug else self.env
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def sql(self, query, params=()):
        """Rows of one statement on the stack's database, in its own autocommitted connection."""
        return self.postgres.sql(query, params)

    def sink_stats(self, prefix):
        if self.sink is not None:
            return self.sink.stats(prefix)
        return ask_stats(self.sink_control_port, prefix)

    def log(self, name):
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def tail(self, name, lines=40):
        return "\n".join(self.log(name).splitlines()[-lines:])

    def worker_logs(self):
        """Every worker's log, the killed ones' too."""
        return "".join(self.log(f"worker{number}") for number in range(1, self.workers_started + 1))

    def log_tails(self, lines=40):
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path.name} (last {len(tail)} lines)\n" + "\n".join(tail))
        return "\n".join(parts)


class Response:
    """An answer of the stack, read whole; redirects are not followed."""

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
