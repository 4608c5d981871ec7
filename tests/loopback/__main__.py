"""Run a command with a throwaway PostgreSQL cluster and Redis server on loopback.

    python -m tests.loopback .venv/bin/pytest        (what .ci/with-services runs)

The command sees DATABASE_URL, REDIS_URL, CELERY_BROKER_URL (Redis database 0)
and CACHE_URL (database 1) pointing at them, and STEPCHANGE_SERVICES_DIR, their
folder. Both servers are stopped and their data deleted whatever the command
did; its exit status is ours.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.loopback.datastores import Postgres, Redis


def _stop_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def main(command):
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    if shutil.which("redis-server") is None:
        print("redis-server not found: install redis-server (see README).", file=sys.stderr)
        return 1
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    work = Path(tempfile.mkdtemp(prefix="stepchange-services-"))
    work.chmod(0o755)  # PostgreSQL, run as the postgres user, must reach its folder
    postgres = Postgres(work, work)
    redis = Redis(work, work)
    try:
        postgres.create()
        redis.start()
        environment = {
            **os.environ,
            "DATABASE_URL": postgres.url(),
            "REDIS_URL": redis.url(0),
            "CELERY_BROKER_URL": redis.url(0),
            "CACHE_URL": redis.url(1),
            "STEPCHANGE_SERVICES_DIR": str(work),
        }
        print(
            f"Services: PostgreSQL {postgres.version} on 127.0.0.1:{postgres.port}, "
            f"Redis on 127.0.0.1:{redis.port}",
            flush=True,
        )
        with subprocess.Popen(command, env=environment) as process:
            try:
                return process.wait()
            except KeyboardInterrupt:  # the terminal sent the command SIGINT too
                return process.wait()
    except RuntimeError as problem:
        print(problem, file=sys.stderr)
        return 1
    finally:
        redis.stop()
        with contextlib.suppress(RuntimeError):
            postgres.stop(mode="immediate")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
