"""The production stack on loopback for the benchmarks (tests/loopback/portal.py), plus extras.

What differs from the production tests' stack, and why: the benchmarks'
baseline views (BENCHMARK_VIEWS=1), higher EOI submission limits (the bench
sends 2,000), `testserver` in ALLOWED_HOSTS (the query-count script uses
Django's test client against the same database), PostgreSQL with fsync on as
in production unless --no-fsync, several Celery worker processes, and an SMTP
sink in its own process that only counts (so that the sink is not what the
notice benchmark measures).
"""

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.loopback.portal import ROOT, Stack


class BenchStack(Stack):
    def __init__(
        self,
        *,
        celery_workers=1,
        celery_concurrency=4,
        submission_limit=100,
        pg_durable=True,
        keep=False,
        worker_class="sync",
        threads=1,
        log=print,
    ):
        super().__init__(
            celery_workers=celery_workers,
            celery_concurrency=celery_concurrency,
            durable=pg_durable,
            keep=keep,
            ready_path="/bench/bare/",
            log=log,
            env={
                "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
                "DEFAULT_FROM_EMAIL": "Step-Change Programme <noreply@bench.invalid>",
                "BENCHMARK_VIEWS": "1",
                "EOI_SUBMISSIONS_PER_ADDRESS": str(submission_limit),
                "EOI_SUBMISSIONS_PER_ACCOUNT": str(submission_limit),
            },
        )
        self.env["CSRF_TRUSTED_ORIGINS"] = self.env["SITE_URL"]
        # Read by stepchange/deploy/gunicorn.conf.py: sync workers (as the Procfile) or gthread.
        self.env["GUNICORN_WORKER_CLASS"] = worker_class
        self.env["GUNICORN_THREADS"] = str(threads)

    def start(self):
        super().start()
        self.sql("CREATE TABLE bench_row (id serial PRIMARY KEY, created timestamptz)")
        self.wait_for_workers()

    def health(self):
        """(time.monotonic(), status) of /health/."""
        try:
            status = self.request("GET", "/health/", timeout=10).status
        except OSError as error:
            status = type(error).__name__
        return time.monotonic(), status

    def job(self, name, debug=False, timeout=600, module="bench.jobs", **arguments):
        """Run a function of bench/jobs.py (or of `module`) in its own process; return what
        it returns."""
        output = self.python(
            ["-m", module, name],
            debug=debug,
            timeout=timeout,
            stdin=json.dumps(arguments),
        )
        return json.loads(output.strip().splitlines()[-1])

    def load(self, plan, timeout=900):
        """Run bench/load.py in its own process with `plan`; return its summary."""
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

    def cpu_seconds(self):
        """CPU time (user + system) used so far by each long-running part of the stack,
        children included: gunicorn's and Celery's workers, Redis, PostgreSQL's backends."""
        ticks = os.sysconf("SC_CLK_TCK")
        groups = {process.pid: name for name, process in self.processes.items()}
        postmaster = None
        with contextlib.suppress(OSError, ValueError):
            postmaster = int((self.postgres.data / "postmaster.pid").read_text().split()[0])
        redis = self.redis_server.process.pid if self.redis_server.process else None
        used = dict.fromkeys([*self.processes, "redis", "postgres"], 0.0)
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
            elif pid == redis:
                used["redis"] += seconds
            elif postmaster and postmaster in (pid, ppid):
                used["postgres"] += seconds
        return used
