"""The production stack on loopback, for the benchmarks: bench/'s own, started and stopped here.

PostgreSQL (a throwaway cluster, run as the postgres user when we are root) and
Redis on free loopback ports; an SMTP sink (bench/sink.py) for the mail
server; gunicorn with stepchange/deploy/gunicorn.conf.py (2 workers), Celery
worker processes and exactly one beat, all with the environment of
stepchange/deploy/environment.example on loopback: DEBUG off, WhiteNoise's
hashed and compressed static files collected into a temporary STATIC_ROOT
(STEPCHANGE_VAR_DIR), JSON logs to files. What differs from production, and
why: plain HTTP (SECURE_SSL_REDIRECT=0), the benchmarks' baseline views
(BENCHMARK_VIEWS=1), higher EOI submission limits (the bench sends 2,000) and
`testserver` in ALLOWED_HOSTS (the query-count script uses Django's test
client against the same database).

Nothing is downloaded: every binary and package is already installed.
"""

import contextlib
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port):
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def wait_for(condition, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def postgres_bin():
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.parent.name)],
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL server binaries not found: install postgresql (README).")
    return Path(initdb).parent


class Stack:
    """The deployment's processes (stepchange/deploy/Procfile) on loopback ports."""

    def __init__(
        self,
        *,
        celery_workers=1,
        celery_concurrency=4,
        submission_limit=100,
        pg_durable=True,
        keep=False,
        log=print,
    ):
        self.celery_workers = celery_workers
        self.celery_concurrency = celery_concurrency
        self.pg_durable = pg_durable
        self.keep = keep
        self.log = log
        self.work = Path(tempfile.mkdtemp(prefix="stepchange-bench-"))
        self.work.chmod(0o755)  # PostgreSQL, run as the postgres user, must reach its folder
        self.logs = self.work / "logs"
        self.logs.mkdir()
        self.pg_bin = postgres_bin()
        self.pg_data = self.work / "pg"
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.web_port = free_port()
        self.smtp_port = free_port()
        self.sink_control_port = free_port()
        self.processes = {}  # name: Popen
        self.database_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/stepchange"
        self.env = {
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "stepchange.settings",
            # stepchange/deploy/environment.example, on loopback.
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": f"http://127.0.0.1:{self.web_port}",
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{self.web_port}",
            "DATABASE_URL": self.database_url,
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "DEFAULT_FROM_EMAIL": "Step-Change Programme <noreply@bench.invalid>",
            "LOG_FORMAT": "json",
            "STEPCHANGE_VAR_DIR": str(self.work / "var"),
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_WORKERS": "2",
            # The benchmark's own.
            "SECURE_SSL_REDIRECT": "0",
            "BENCHMARK_VIEWS": "1",
            "EOI_SUBMISSIONS_PER_ADDRESS": str(submission_limit),
            "EOI_SUBMISSIONS_PER_ACCOUNT": str(submission_limit),
        }

    # Starting and stopping

    def start(self):
        started = time.monotonic()
        self.start_sink()
        self.start_redis()
        self.start_postgres()
        collectstatic = self.spawn("collectstatic", ["manage.py", "collectstatic", "--noinput"])
        self.manage("migrate", "--noinput")
        self.manage("loadprogramme", "--demonstration")
        self.sql("CREATE TABLE bench_row (id serial PRIMARY KEY, created timestamptz)")
        if collectstatic.wait(timeout=300) != 0:
            raise RuntimeError(f"collectstatic failed:\n{self.tail('collectstatic')}")
        self.start_web()
        for number in range(1, self.celery_workers + 1):
            self.start_worker(number)
        self.start_beat()
        wait_for(self.web_answers, 60, "gunicorn to answer")
        for number in range(1, self.celery_workers + 1):
            wait_for(
                lambda number=number: " ready." in self.tail(f"worker{number}", 400),
                60,
                f"Celery worker {number}",
            )
        self.log(f"Stack up in {time.monotonic() - started:.0f} s; logs in {self.logs}")

    def stop(self):
        for name in reversed(list(self.processes)):
            self.end(name)
        with contextlib.suppress(Exception):
            self.as_postgres(
                [self.pg_bin / "pg_ctl", "-D", self.pg_data, "-m", "fast", "-w", "stop"]
            )
        if not self.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    def start_sink(self):
        self.processes["sink"] = self.spawn(
            "sink",
            [
                "-m",
                "bench.sink",
                "--port",
                str(self.smtp_port),
                "--control-port",
                str(self.sink_control_port),
            ],
        )
        wait_for(lambda: listening(self.sink_control_port), 30, "the SMTP sink")

    def start_redis(self):
        self.processes["redis"] = self.spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work),
            ],
            python=False,
        )
        wait_for(lambda: listening(self.redis_port), 30, "Redis")

    def start_postgres(self):
        self.pg_data.mkdir()
        log = self.logs / "postgresql.log"
        log.touch()
        if os.geteuid() == 0:
            for path in (self.pg_data, log):
                shutil.chown(path, "postgres", "postgres")
        self.as_postgres(
            [
                self.pg_bin / "initdb",
                "-D",
                self.pg_data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        options = f"-h 127.0.0.1 -p {self.pg_port} -k {self.pg_data} -c max_connections=200"
        if not self.pg_durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self.as_postgres(
            [
                self.pg_bin / "pg_ctl",
                "-D",
                self.pg_data,
                "-l",
                log,
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ]
        )
        self.as_postgres(
            [
                self.pg_bin / "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.pg_port),
                "-U",
                "postgres",
                "stepchange",
            ]
        )

    def start_web(self):
        self.processes["web"] = self.spawn(
            "web",
            [
                VENV_BIN / "gunicorn",
                "stepchange.wsgi:application",
                "--config",
                "stepchange/deploy/gunicorn.conf.py",
            ],
            python=False,
        )

    def start_worker(self, number):
        name = f"worker{number}"
        self.processes[name] = self.spawn(
            name,
            [
                VENV_BIN / "celery",
                "--app",
                "stepchange",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(self.celery_concurrency),
                "--without-mingle",
                "--without-gossip",
                f"--hostname={name}@%h",
            ],
            python=False,
        )

    def start_beat(self):
        beat_dir = self.work / "beat"
        beat_dir.mkdir(exist_ok=True)
        self.processes["beat"] = self.spawn(
            "beat",
            [
                VENV_BIN / "celery",
                "--app",
                "stepchange",
                "beat",
                "--loglevel",
                "INFO",
                "--pidfile",
                beat_dir / "beat.pid",
            ],
            python=False,
        )

    def spawn(self, name, command, python=True, env=None):
        command = [str(part) for part in command]
        if python:
            command = [sys.executable, *command]
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=(self.logs / f"{name}.log").open("a"),
            stderr=subprocess.STDOUT,
            # Its own process group, so that gunicorn's and Celery's children end with it.
            start_new_session=True,
        )

    def end(self, name):
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # what the group left behind

    def as_postgres(self, command):
        command = [str(part) for part in command]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command, cwd="/", capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{command} failed:\n{result.stdout}{result.stderr}")

    def web_answers(self):
        import http.client

        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=5)
            connection.request("GET", "/bench/bare/")
            return connection.getresponse().status == 200
        except OSError:
            return False

    # Using it

    def health(self):
        """(time.monotonic(), status) of /health/."""
        import http.client

        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=10)
            connection.request("GET", "/health/")
            status = connection.getresponse().status
        except OSError as error:
            status = type(error).__name__
        return time.monotonic(), status

    def tail(self, name, lines=40):
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def manage(self, *args, debug=False, timeout=600):
        """Run a management command against the stack, as an operator would."""
        return self.python(["manage.py", *args], debug=debug, timeout=timeout)

    def job(self, name, debug=False, timeout=600, **arguments):
        """Run a function of bench/jobs.py in its own process; return what it returns."""
        import json

        output = self.python(
            ["-m", "bench.jobs", name],
            debug=debug,
            timeout=timeout,
            stdin=json.dumps(arguments),
        )
        return json.loads(output.strip().splitlines()[-1])

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
        """Rows of one statement, in its own autocommitted connection."""
        import psycopg2

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

    def cpu_seconds(self):
        """CPU time (user + system) used so far by each long-running part of the stack,
        children included: gunicorn's and Celery's workers, PostgreSQL's backends."""
        ticks = os.sysconf("SC_CLK_TCK")
        groups = {process.pid: name for name, process in self.processes.items()}
        postmaster = None
        with contextlib.suppress(OSError, ValueError):
            postmaster = int((self.pg_data / "postmaster.pid").read_text().split()[0])
        used = dict.fromkeys([*self.processes, "postgres"], 0.0)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid, pgid = int(entry.name), int(fields[1]), int(fields[2])
            seconds = (int(fields[11]) + int(fields[12])) / ticks
            if pgid in groups:
                used[groups[pgid]] += seconds
            elif postmaster and postmaster in (pid, ppid):
                used["postgres"] += seconds
        return used

    def sink_stats(self, prefix):
        import json

        with socket.create_connection(("127.0.0.1", self.sink_control_port), timeout=10) as sock:
            sock.sendall(f"STATS {prefix}\n".encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        return json.loads(data)

    def load(self, plan, timeout=900):
        """Run bench/load.py in its own process with `plan`; return its summary."""
        import json

        result = subprocess.run(
            [sys.executable, "-m", "bench.load"],
            cwd=ROOT,
            input=json.dumps({"host": "127.0.0.1", "port": self.web_port, **plan}),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"the load generator failed:\n{result.stderr}")
        return json.loads(result.stdout)
