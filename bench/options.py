"""bench/run.py's command line: every count is a flag, and --quick shrinks the defaults."""

import argparse
from pathlib import Path


def parse_options(argv=None, description=None):
    parser = argparse.ArgumentParser(prog="bench/run.py", description=description)
    parser.add_argument("--quick", action="store_true", help="small numbers, for a smoke check")
    group = parser.add_argument_group("public pages")
    group.add_argument("--concurrency", type=int, default=8, help="clients at once (8)")
    group.add_argument("--duration", type=float, default=8, help="seconds measured a page (8)")
    group.add_argument("--warmup", type=float, default=1, help="seconds not counted first (1)")
    group.add_argument(
        "--max-requests", type=int, default=100_000, help="at most this many a page (100,000)"
    )
    group = parser.add_argument_group("EOI submission")
    group.add_argument("--submissions", type=int, default=2000, help="EOIs sent (2,000)")
    group.add_argument("--submission-clients", type=int, default=20, help="clients at once (20)")
    group.add_argument(
        "--submission-limit",
        type=int,
        default=100,
        help="EOI_SUBMISSIONS_PER_ADDRESS and _PER_ACCOUNT for the stack (100; each applicant "
        "sends one, from an address of its own)",
    )
    group = parser.add_argument_group("notice fan-out")
    group.add_argument("--notices", type=int, default=10_000, help="recipients (10,000)")
    group.add_argument("--celery-workers", type=int, default=1, help="worker processes (1)")
    group.add_argument(
        "--celery-concurrency", type=int, default=4, help="each worker's --concurrency (4)"
    )
    group = parser.add_argument_group("lists")
    group.add_argument("--small", type=int, default=100, help="EOIs at the small size (100)")
    group.add_argument("--large", type=int, default=10_000, help="EOIs at the large size (10,000)")
    group.add_argument(
        "--middle",
        type=int,
        default=1000,
        help="EOIs at a size in between, where the co-chairs' page is full too (1,000; a "
        "diagnostic, 0 for none)",
    )
    group.add_argument("--samples", type=int, default=15, help="requests a list page (15)")
    group = parser.add_argument_group("the run")
    group.add_argument(
        "--skip",
        default="",
        help="comma-separated parts not to run: pages, signed-in, submissions, notices, lists",
    )
    group.add_argument(
        "--no-fsync",
        action="store_true",
        help="run PostgreSQL without fsync (not production's durability; off by default)",
    )
    group.add_argument(
        "--gunicorn-worker-class",
        default="sync",
        choices=["sync", "gthread"],
        help="gunicorn's worker class for the stack (sync, as the Procfile)",
    )
    group.add_argument(
        "--gunicorn-threads", type=int, default=1, help="threads a gunicorn worker (1)"
    )
    group.add_argument("--keep", action="store_true", help="keep the stack's folder and logs")
    group.add_argument("--markdown", type=Path, help="also write the results to this file")
    options = parser.parse_args(argv)
    if options.quick:
        # Only the counts left at their defaults: a flag given with --quick still wins.
        for name, value in [
            ("duration", 3),
            ("submissions", 200),
            ("notices", 1000),
            ("large", 1000),
            ("samples", 5),
        ]:
            if parser.get_default(name) == getattr(options, name):
                setattr(options, name, value)
    options.skip = {part.strip() for part in options.skip.split(",") if part.strip()}
    return options
