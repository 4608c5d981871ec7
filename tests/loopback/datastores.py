"""A throwaway PostgreSQL cluster and Redis server on free loopback ports.

Both keep their data under a work folder that the caller deletes. PostgreSQL
refuses to run as root, so as root the cluster runs as the postgres user (its
folder and log are handed to that user). Debian keeps the server binaries
outside PATH, under /usr/lib/postgresql/<version>/bin.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.loopback.processes import free_port, listening, run_as_postgres, wait_for

# Thrown away afterwards: no fsync, no persistence.
FAST_POSTGRES = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


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


class Postgres:
    """A cluster in work/pg, logging to logs/postgresql.log, with a `stepchange` database."""

    def __init__(self, work, logs, durable=False):
        self.bin = postgres_bin()
        self.data = Path(work) / "pg"
        self.log = Path(logs) / "postgresql.log"
        self.port = free_port()
        self.durable = durable

    def url(self, database="stepchange"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def version(self):
        return self.bin.parent.name

    def create(self):
        """initdb, start, createdb."""
        self.data.mkdir()
        self.log.touch()
        if _is_root():
            for path in (self.data, self.log):
                shutil.chown(path, "postgres", "postgres")
        initdb = [self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust"]
        run_as_postgres([*initdb, "-E", "UTF8", "--locale=C.UTF-8"])
        self.start()
        server = ["-h", "127.0.0.1", "-p", self.port, "-U", "postgres"]
        run_as_postgres([self.bin / "createdb", *server, "stepchange"])
        return self

    def start(self):
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data} -c max_connections=200"
        if not self.durable:
            options += f" {FAST_POSTGRES}"
        pg_ctl = [self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60"]
        self._pg_ctl([*pg_ctl, "-o", options, "start"])

    def stop(self, mode="fast"):
        self._pg_ctl([self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop"])

    def _pg_ctl(self, command):
        try:
            run_as_postgres(command)
        except RuntimeError as problem:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{problem}\n{log[-4000:]}") from None

    def sql(self, query, params=(), database="stepchange"):
        """Rows of one statement, in its own autocommitted connection."""
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()


class Redis:
    """A Redis server without persistence, with enough databases for one pair per test worker."""

    def __init__(self, work, logs, databases=256):
        self.work = Path(work)
        self.log = Path(logs) / "redis.log"
        self.port = free_port()
        self.databases = databases
        self.process = None

    def url(self, database=0):
        return f"redis://127.0.0.1:{self.port}/{database}"

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.work)]
        command += ["--databases", str(self.databases)]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: listening(self.port) or self.process.poll() is not None, 20, "Redis")
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server failed:\n{self.log.read_text(errors='replace')}")
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


def _is_root():
    return os.geteuid() == 0
