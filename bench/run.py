"""Benchmarks of the portal's production stack on loopback (not part of the test suite).

    .venv/bin/python bench/run.py            # the issue's numbers (about 6-9 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke check with small numbers

Starts bench/stack.py's stack (gunicorn with 2 workers, Celery workers and one
beat, PostgreSQL, Redis, an SMTP sink, DEBUG off), fills it with `demodata`,
drives it from a separate load process (bench/load.py) and prints a table of
figures measured in this run, each against a baseline measured in the same
run: public pages and the signed-in people's pages against /bench/bare/, EOI submission against
/bench/bare-insert/, the notice fan-out against a plain loop of send_mail, the
admin's and co-chairs' lists at the large size against the small one.
`--markdown FILE` also writes the machine, date, command and table to FILE.

One module a job: options.py (the command line), lists.py, public_pages.py,
signed_in.py (with signed_in_jobs.py), submissions.py and fanout.py (the
measurements, in the order run here), figures.py (what they add to the table),
report.py (the table and the machine).
"""

import os
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fanout import measure_notice_fanout
from bench.figures import Figures
from bench.lists import fill_with_demodata, measure_list_scaling, set_up_staff
from bench.options import parse_options
from bench.progress import say
from bench.public_pages import measure_public_pages
from bench.report import report
from bench.signed_in import measure_signed_in
from bench.stack import BenchStack
from bench.submissions import measure_submissions


def run_parts(stack, options, figures):
    """Start the stack, run the parts not skipped in order, stop the stack."""
    o = options
    say(f"starting the stack in {stack.work}")
    stack.start()
    try:
        if "lists" not in o.skip:
            measure_list_scaling(stack, o, figures)
        else:
            # The other parts run on the database the lists would have left: the large size.
            fill_with_demodata(stack, o.large)
            set_up_staff(stack)
        if "pages" not in o.skip:
            measure_public_pages(stack, o, figures)
        if "signed-in" not in o.skip:
            measure_signed_in(stack, o, figures)
        if "submissions" not in o.skip:
            measure_submissions(stack, o, figures)
        if "notices" not in o.skip:
            measure_notice_fanout(stack, o, figures)
    except BaseException:
        say("failed; the last lines of the stack's logs:")
        for name in ["web", "worker1", "beat", "sink"]:
            print(f"--- {name}\n{stack.tail(name, 15)}", file=sys.stderr)
        raise
    finally:
        stack.stop()


def main(argv=None):
    options = parse_options(argv, description=__doc__.split("\n\n")[0].strip())
    command = shlex.join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    stack = BenchStack(
        celery_workers=options.celery_workers,
        celery_concurrency=options.celery_concurrency,
        submission_limit=options.submission_limit,
        pg_durable=not options.no_fsync,
        keep=options.keep,
        worker_class=options.gunicorn_worker_class,
        threads=options.gunicorn_threads,
        log=say,
    )
    figures = Figures()
    started = time.monotonic()
    run_parts(stack, options, figures)
    text = report(
        figures,
        options,
        command=command,
        seconds=time.monotonic() - started,
        load_before=load_before,
        postgres_version=stack.postgres.version,
    )
    print("\n" + text)
    if options.markdown:
        options.markdown.write_text(f"# Benchmark run\n\n{text}\n")
        say(f"written to {options.markdown}")


if __name__ == "__main__":
    main()
