"""Benchmarks of the portal's production stack on loopback (not part of the test suite).

    .venv/bin/python bench/run.py            # the issue's numbers (about 6-9 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke check with small numbers

Starts bench/stack.py's stack (gunicorn with 2 workers, Celery workers and one
beat, PostgreSQL, Redis, an SMTP sink, DEBUG off), fills it with `demodata`,
drives it from a separate load process (bench/load.py) and prints a table of
figures measured in this run, each against a baseline measured in the same
run: public pages against /bench/bare/, EOI submission against
/bench/bare-insert/, the notice fan-out against a plain loop of send_mail, the
admin's and co-chairs' lists at the large size against the small one.
`--markdown FILE` also writes the machine, date, command and table to FILE.
"""

import argparse
import ast
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import BenchStack
from tests.loopback.processes import wait_for

PUBLIC_PAGES = ["/", "/projects/", "/projects/cp1/"]
BARE = "/bench/bare/"
BARE_INSERT = "/bench/bare-insert/"
CO_CHAIR_PROJECT = "CP1"
ADMIN_LIST = "/admin/participants/expressionofinterest/"
APPLICANT_PREFIX = "bench-applicant-"
LOOP_PREFIX = "loop-"
FANOUT_PREFIX = "fanout-"


def arguments(argv=None):
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__.split("\n\n")[0].strip()
    )
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
        help="comma-separated parts not to run: pages, submissions, notices, lists",
    )
    group.add_argument(
        "--no-fsync",
        action="store_true",
        help="run PostgreSQL without fsync (not production's durability; off by default)",
    )
    group.add_argument("--keep", action="store_true", help="keep the stack's folder and logs")
    group.add_argument("--markdown", type=Path, help="also write the results to this file")
    options = parser.parse_args(argv)
    if options.quick:
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


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def ratio(value, baseline):
    return value / baseline if value and baseline else None


def fmt(value, digits=2, unit=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value:,}{unit}"


def verdict(value, goal, at_least):
    if value is None:
        return "n/a"
    return "met" if (value >= goal if at_least else value <= goal) else "MISSED"


class Bench:
    def __init__(self, options):
        self.options = options
        self.stack = BenchStack(
            celery_workers=options.celery_workers,
            celery_concurrency=options.celery_concurrency,
            submission_limit=options.submission_limit,
            pg_durable=not options.no_fsync,
            keep=options.keep,
            log=say,
        )
        self.rows = []  # (part, figure, value, goal, verdict)
        self.details = []  # lines printed under the table
        self.staff = None

    def figure(self, part, figure, value, goal="", met=""):
        self.rows.append((part, figure, value, goal, met))

    # The parts

    def demodata(self, total):
        have = self.stack.job("count_eois")
        if total > have:
            started = time.monotonic()
            self.stack.manage("demodata", str(total - have), debug=True, timeout=900)
            # The planner's statistics as autovacuum would have them a minute later, in
            # a database that grew over weeks rather than in seconds.
            self.stack.sql("ANALYZE")
            say(f"demodata: {total - have:,} EOIs added in {time.monotonic() - started:.0f} s")

    def list_pages(self):
        staff = self.staff
        applicants = f"/workspace/{staff['workstream']}/projects/{staff['project']}/applicants/"
        return [
            ("admin EOI list", ADMIN_LIST, staff["office_session"]),
            ("co-chair applicant list", applicants, staff["co_chair_session"]),
        ]

    def measure_lists(self):
        """Median page time over HTTP and the query count (test client) of each list."""
        measured = {}
        for name, path, session in self.list_pages():
            counted = self.stack.job("query_counts", session=session, paths=[path])[path]
            cookie = {"Cookie": f"__Host-sessionid={session}"}
            request = {"method": "GET", "path": path, "headers": cookie}
            self.stack.load(
                {
                    "concurrency": 1,
                    "duration": 60,
                    "max_requests": 2,
                    "requests": [request],
                    "repeat": True,
                }
            )
            timed = self.stack.load(
                {
                    "concurrency": 1,
                    "duration": 120,
                    "max_requests": self.options.samples,
                    "requests": [request],
                    "repeat": True,
                }
            )
            if timed["statuses"] != {"200": timed["requests"]} or counted["status"] != 200:
                raise RuntimeError(f"{path} did not answer 200: {timed['statuses']}, {counted}")
            measured[name] = {"median": timed["p50"], **counted}
        return measured

    def lists(self):
        o = self.options
        sizes = sorted({o.small, o.large} | ({o.middle} if o.small < o.middle < o.large else set()))
        self.staff = None
        measured = {}
        for size in sizes:
            self.demodata(size)
            if self.staff is None:
                self.staff = self.stack.job("setup_staff", project_code=CO_CHAIR_PROJECT)
            say(f"lists at {size:,} EOIs")
            measured[size] = self.measure_lists()
        small, large = measured[o.small], measured[o.large]
        for name in small:
            s, g = small[name], large[name]
            times = ratio(g["median"], s["median"])
            self.figure(
                name,
                f"median page time at {o.large:,} ÷ at {o.small:,} EOIs "
                f"({s['median'] * 1000:.0f} → {g['median'] * 1000:.0f} ms)",
                fmt(times, unit="×"),
                "≤ 1.5×",
                verdict(times, 1.5, at_least=False),
            )
            if len(sizes) == 3:
                m = measured[sizes[1]][name]
                self.figure(
                    name,
                    f"(diagnostic) at {o.large:,} ÷ at {sizes[1]:,} EOIs "
                    f"({m['median'] * 1000:.0f} → {g['median'] * 1000:.0f} ms)",
                    fmt(ratio(g["median"], m["median"]), unit="×"),
                )
            counts = [measured[size][name]["queries"] for size in sizes]
            self.figure(
                name,
                f"queries at {' / '.join(f'{size:,}' for size in sizes)} EOIs",
                " / ".join(str(count) for count in counts),
                "equal",
                "met" if len(set(counts)) == 1 else "MISSED",
            )
            rows = ", ".join(f"{measured[size][name]['rows']} at {size:,}" for size in sizes)
            self.details.append(f"{name}: rows shown {rows} EOIs")
            for size in (o.small, o.large):
                slowest = "; ".join(
                    f"{ms} ms `{sql}…`" for ms, sql in measured[size][name]["slowest"]
                )
                self.details.append(f"{name}, slowest queries at {size:,} EOIs: {slowest}")

    def load_page(self, path):
        o = self.options
        result = self.stack.load(
            {
                "concurrency": o.concurrency,
                "duration": o.duration,
                "warmup": o.warmup,
                "max_requests": o.max_requests,
                "requests": [{"method": "GET", "path": path}],
                "repeat": True,
            }
        )
        if result["errors"] or set(result["statuses"]) != {"200"}:
            raise RuntimeError(f"{path}: {result['statuses']}, {result['first_errors']}")
        return result

    def pages(self):
        o = self.options
        say(f"public pages: {o.concurrency} clients, {o.duration:g} s each, no cookies")
        # The baseline before and after the pages, so that drift shows.
        bare = [self.load_page(BARE)]
        pages = {path: self.load_page(path) for path in PUBLIC_PAGES}
        bare.append(self.load_page(BARE))
        bare_rps = statistics.mean(result["rps"] for result in bare)
        bare_p95 = statistics.mean(result["p95"] for result in bare)
        self.figure(
            "baseline",
            f"{BARE} req/s and p95 (before, after: "
            f"{bare[0]['rps']:,.0f}, {bare[1]['rps']:,.0f} req/s)",
            f"{bare_rps:,.0f} req/s, {bare_p95 * 1000:.1f} ms",
        )
        for path, result in pages.items():
            share = ratio(result["rps"], bare_rps)
            self.figure(
                f"page {path}",
                f"req/s ÷ bare ({result['rps']:,.0f} req/s)",
                fmt(share),
                "≥ 0.6",
                verdict(share, 0.6, at_least=True),
            )
            speed = ratio(bare_p95, result["p95"])
            self.figure(
                f"page {path}",
                f"bare p95 ÷ page p95 ({result['p95'] * 1000:.1f} ms)",
                fmt(speed),
                "≥ 0.6",
                verdict(speed, 0.6, at_least=True),
            )

    def submissions(self):
        o = self.options
        n = o.submissions
        say(f"submissions: preparing {n:,} applicants with complete drafts and sessions")
        prepared = self.stack.job("prepare_applicants", count=n, prefix=APPLICANT_PREFIX)
        origin = f"http://127.0.0.1:{self.stack.web_port}"

        def source(index):
            # Each applicant from a loopback address of its own, as 2,000 people would be.
            return f"127.10.{index // 250}.{index % 250 + 1}"

        inserts = [
            {
                "method": "POST",
                "path": BARE_INSERT,
                "source": source(index),
                "body": "",
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            }
            for index in range(n)
        ]
        posts = [
            {
                "method": "POST",
                "path": f"/applications/{item['reference']}/check-your-answers/",
                "source": source(index),
                "body": f"csrfmiddlewaretoken={item['csrf']}",
                "headers": {
                    "Cookie": f"__Host-sessionid={item['session']}; "
                    f"__Host-csrftoken={item['csrf']}",
                    "Origin": origin,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            }
            for index, item in enumerate(prepared)
        ]
        plan = {"concurrency": o.submission_clients, "duration": 600, "keep_results": True}
        say(f"submissions: {n:,} POSTs to {BARE_INSERT}, {o.submission_clients} clients")
        baseline = self.stack.load({**plan, "requests": inserts})
        say(f"submissions: {n:,} EOIs sent by {o.submission_clients} clients")
        sent = self.stack.load({**plan, "requests": posts})
        answered = []
        failed = 0
        for result in sent["results"]:
            reference = prepared[result["index"]]["reference"]
            if result["status"] == 302 and result["location"].endswith(
                f"/applications/{reference}/confirmation/"
            ):
                answered.append(reference)
            else:
                failed += 1
        failed += n - len(sent["results"])  # never sent within the time allowed
        check = self.stack.job(
            "check_submissions",
            references=[item["reference"] for item in prepared],
            answered=answered,
        )
        share = ratio(sent["rps"], baseline["rps"])
        part = f"EOI submission ({n:,}, {o.submission_clients} clients)"
        self.figure(
            part,
            f"{BARE_INSERT} POST req/s (p95)",
            f"{baseline['rps']:,.0f} req/s ({baseline['p95'] * 1000:.0f} ms)",
        )
        self.figure(
            part,
            f"submissions req/s ÷ bare-insert ({sent['rps']:,.0f} req/s, "
            f"p95 {sent['p95'] * 1000:.0f} ms)",
            fmt(share),
        )
        for name, count in [
            ("lost", len(check["lost"])),
            ("duplicated", len(check["duplicated"])),
            ("failed (not 302)", failed),
        ]:
            self.figure(part, name, str(count), "0", "met" if count == 0 else "MISSED")
        self.details.append(
            f"submissions: answers {sent['statuses']}, connection errors {sent['errors']}; "
            f"{check['submitted']:,} submitted in the database, "
            f"{len(check['submitted_unanswered'])} submitted without a success answer; "
            f"bare-insert answers {baseline['statuses']}"
        )
        if sent["first_errors"]:
            self.details.append(f"first errors: {sent['first_errors']}")
        # Each submission queued two notices (confirmation, referee request): let them go
        # before the fan-out is timed.
        started = time.monotonic()
        expected = 2 * check["submitted"]
        wait_for(
            lambda: (
                self.stack.sink_stats(APPLICANT_PREFIX)["messages"]
                + self.stack.sink_stats(f"referee-{APPLICANT_PREFIX}")["messages"]
                >= expected
            ),
            600,
            "the submissions' notices to be sent",
            interval=1,
        )
        self.details.append(
            f"the submissions' {expected:,} notices (confirmations, referee requests) "
            f"reached the sink {time.monotonic() - started:.0f} s after the last answer"
        )

    def notices(self):
        o = self.options
        n = o.notices
        workers = f"{o.celery_workers} × --concurrency {o.celery_concurrency}"
        say(f"notices: plain loop of {n:,} messages")
        cpu_before = self.stack.cpu_seconds()
        loop = self.stack.job("send_plainly", count=n, prefix=LOOP_PREFIX, timeout=1800)
        loop_cpu = self.cpu_used(cpu_before, sender=loop["cpu"])
        loop_seconds = loop["ended"] - loop["started"]
        received = self.stack.sink_stats(LOOP_PREFIX)
        if received["messages"] != n:
            raise RuntimeError(f"the sink has {received} of the loop's {n} messages")
        say(f"notices: {n:,} through the outbox, Celery workers {workers}")
        tasks_before = self.task_tally()
        health = [self.stack.health()]
        cpu_before = self.stack.cpu_seconds()
        marks = self.stack.job("queue_fanout", count=n, prefix=FANOUT_PREFIX, timeout=1800)

        def finished():
            if time.monotonic() - health[-1][0] >= 2:
                health.append(self.stack.health())
            stats = self.stack.sink_stats(FANOUT_PREFIX)
            (sent,) = self.stack.sql(
                "SELECT count(*) FROM stepchange_notice WHERE recipient LIKE %s AND state = 'sent'",
                (f"{FANOUT_PREFIX}%",),
            )[0]
            return stats["messages"] >= n and sent >= n

        wait_for(finished, 1800, "the fan-out's notices", interval=0.5)
        outbox_cpu = self.cpu_used(cpu_before, queueing=marks["cpu"])
        stats = self.stack.sink_stats(FANOUT_PREFIX)
        states = dict(
            self.stack.sql(
                "SELECT state, count(*) FROM stepchange_notice WHERE recipient LIKE %s "
                "GROUP BY state",
                (f"{FANOUT_PREFIX}%",),
            )
        )
        (last_sent,) = self.stack.sql(
            "SELECT extract(epoch FROM max(sent_at)) FROM stepchange_notice "
            "WHERE recipient LIKE %s",
            (f"{FANOUT_PREFIX}%",),
        )[0]
        ended = max(stats["last_at"], float(last_sent))
        total = ended - marks["started"]
        delivery = ended - marks["committed"]
        part = f"notice fan-out ({n:,})"
        self.figure(part, "plain loop, one process, one connection", f"{loop_seconds:.1f} s")
        times = ratio(total, loop_seconds)
        self.figure(
            part,
            f"outbox, queueing to all sent ({total:.1f} s) ÷ plain loop; workers {workers}",
            fmt(times, unit="×"),
            "≤ 1.5×",
            verdict(times, 1.5, at_least=False),
        )
        self.figure(
            part,
            f"of which: rows and commit {marks['committed'] - marks['started']:.1f} s, "
            f"commit to all sent {delivery:.1f} s (÷ loop)",
            fmt(ratio(delivery, loop_seconds), unit="×"),
        )
        once = stats["recipients"] == n and stats["duplicates"] == 0 and stats["messages"] == n
        self.figure(
            part,
            "each recipient received exactly one",
            f"{stats['recipients']:,} recipients, {stats['duplicates']} repeats",
            "yes",
            "met" if once else "MISSED",
        )
        tasks = {
            name: count - tasks_before.get(name, 0) for name, count in self.task_tally().items()
        }
        self.details.append(
            f"fan-out notice states: {states}; the committing process queued its Celery tasks "
            f"in {marks['enqueued'] - marks['committed']:.1f} s after the commit; while the "
            f"fan-out ran the workers ran {tasks['tasks']:,} send_notices tasks, which sent "
            f"{tasks['sent']:,} notices and found {tasks['nothing']:,} sent or taken already "
            f"(queued again by the outbox sweep), and the sweep queued {tasks['swept']:,} "
            "notices again"
        )
        unhealthy = [status for _, status in health[1:] if status != 200]
        self.details.append(
            f"/health/ before the fan-out: {health[0][1]}; polled every 2 s while it ran: "
            f"{len(health) - 1 - len(unhealthy)} × 200, {len(unhealthy)} × other "
            f"({sorted(set(unhealthy))})"
        )
        for name, used, wall in [
            ("plain loop", loop_cpu, loop_seconds),
            ("outbox", outbox_cpu, total),
        ]:
            parts = ", ".join(
                f"{part} {seconds * 1000 / n:.1f}" for part, seconds in used.items() if seconds
            )
            self.details.append(
                f"CPU ms per message, {name}: {parts}; in all "
                f"{sum(used.values()) * 1000 / n:.1f} ms, using "
                f"{sum(used.values()) / wall:.2f} of the {os.cpu_count()} CPUs"
            )

    def cpu_used(self, before, **extra):
        after = self.stack.cpu_seconds()
        used = {name: after[name] - before.get(name, 0.0) for name in after}
        workers = sum(used.pop(name) for name in list(used) if name.startswith("worker"))
        return {**extra, "Celery workers": workers, **used}

    def task_tally(self):
        """From the workers' logs: send_notices tasks run, notices they sent, notices they
        found sent or taken already, and notices the sweep queued again."""
        tally = {"tasks": 0, "sent": 0, "nothing": 0, "swept": 0}
        for number in range(1, self.options.celery_workers + 1):
            path = self.stack.logs / f"worker{number}.log"
            with path.open(errors="replace") as log:
                for line in log:
                    if "succeeded in" not in line:
                        continue
                    try:
                        message = json.loads(line)["message"]
                    except (ValueError, KeyError):
                        continue
                    result = message.rsplit("s: ", 1)[-1].strip()
                    if message.startswith("Task stepchange.send_notices["):
                        outcomes = ast.literal_eval(result)
                        tally["tasks"] += 1
                        tally["sent"] += outcomes.get("sent", 0)
                        tally["nothing"] += outcomes.get("not claimed", 0)
                    elif message.startswith("Task stepchange.sweep_outbox[") and result.isdigit():
                        tally["swept"] += int(result)
        return tally

    # The run

    def run(self):
        o = self.options
        started = time.monotonic()
        say(f"starting the stack in {self.stack.work}")
        self.stack.start()
        try:
            if "lists" not in o.skip:
                self.lists()
            else:
                self.demodata(o.large)
                self.staff = self.stack.job("setup_staff", project_code=CO_CHAIR_PROJECT)
            if "pages" not in o.skip:
                self.pages()
            if "submissions" not in o.skip:
                self.submissions()
            if "notices" not in o.skip:
                self.notices()
        except BaseException:
            say("failed; the last lines of the stack's logs:")
            for name in ["web", "worker1", "beat", "sink"]:
                print(f"--- {name}\n{self.stack.tail(name, 15)}", file=sys.stderr)
            raise
        finally:
            self.stack.stop()
        self.seconds = time.monotonic() - started


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    versions = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True, check=False
    ).stdout.split()
    redis = next((part[2:] for part in versions if part.startswith("v=")), "?")
    return {
        "cpus": os.cpu_count(),
        "memory": f"{total_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "python": platform.python_version(),
        "redis": redis,
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def table(bench):
    rows = [("part", "figure", "value", "goal", ""), *bench.rows]
    widths = [max(len(str(row[i])) for row in rows) for i in range(5)]
    lines = []
    for index, row in enumerate(rows):
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def report(bench, command, load_before):
    o = bench.options
    info = machine()
    return "\n".join(
        [
            f"Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            f"Command: `{command}` ({bench.seconds / 60:.1f} minutes)",
            f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} memory; "
            f"Python {info['python']}, PostgreSQL {bench.stack.postgres.version}, "
            f"Redis {info['redis']}; "
            f"load average before {load_before}, after {info['load']}",
            f"Stack: gunicorn 2 sync workers, Celery {o.celery_workers} worker × "
            f"--concurrency {o.celery_concurrency} and one beat, PostgreSQL "
            f"({'fsync off' if o.no_fsync else 'fsync on, as production'}), Redis, DEBUG=0; "
            f"page load {o.concurrency} clients × {o.duration:g} s after {o.warmup:g} s warm-up",
            "",
            table(bench),
            "",
            *(f"- {line}" for line in bench.details),
        ]
    )


def main(argv=None):
    options = arguments(argv)
    command = shlex.join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    bench = Bench(options)
    bench.run()
    text = report(bench, command, load_before)
    print("\n" + text)
    if options.markdown:
        options.markdown.write_text(f"# Benchmark run\n\n{text}\n")
        say(f"written to {options.markdown}")


if __name__ == "__main__":
    main()
