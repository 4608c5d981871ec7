"""The notice fan-out: one notice to each of 10,000 recipients through the outbox and the
Celery workers, against a plain loop of send_mail in one process; every recipient must
receive exactly one, and /health/ is polled while it runs. CPU time is counted per part."""

import ast
import json
import os
import time

from bench.figures import fmt, ratio, verdict
from bench.progress import say
from tests.loopback.processes import wait_for

LOOP_PREFIX = "loop-"
FANOUT_PREFIX = "fanout-"


def measure_notice_fanout(stack, options, figures):
    o = options
    n = o.notices
    workers = f"{o.celery_workers} × --concurrency {o.celery_concurrency}"
    say(f"notices: plain loop of {n:,} messages")
    cpu_before = stack.cpu_seconds()
    loop = stack.job("send_plainly", count=n, prefix=LOOP_PREFIX, timeout=1800)
    loop_cpu = cpu_used(stack, cpu_before, sender=loop["cpu"])
    loop_seconds = loop["ended"] - loop["started"]
    received = stack.sink_stats(LOOP_PREFIX)
    if received["messages"] != n:
        raise RuntimeError(f"the sink has {received} of the loop's {n} messages")
    say(f"notices: {n:,} through the outbox, Celery workers {workers}")
    tasks_before = task_tally(stack, o.celery_workers)
    health = [stack.health()]
    cpu_before = stack.cpu_seconds()
    marks = stack.job("queue_fanout", count=n, prefix=FANOUT_PREFIX, timeout=1800)

    def finished():
        if time.monotonic() - health[-1][0] >= 2:
            health.append(stack.health())
        stats = stack.sink_stats(FANOUT_PREFIX)
        (sent,) = stack.sql(
            "SELECT count(*) FROM stepchange_notice WHERE recipient LIKE %s AND state = 'sent'",
            (f"{FANOUT_PREFIX}%",),
        )[0]
        return stats["messages"] >= n and sent >= n

    wait_for(finished, 1800, "the fan-out's notices", interval=0.5)
    outbox_cpu = cpu_used(stack, cpu_before, queueing=marks["cpu"])
    stats = stack.sink_stats(FANOUT_PREFIX)
    states = dict(
        stack.sql(
            "SELECT state, count(*) FROM stepchange_notice WHERE recipient LIKE %s GROUP BY state",
            (f"{FANOUT_PREFIX}%",),
        )
    )
    (last_sent,) = stack.sql(
        "SELECT extract(epoch FROM max(sent_at)) FROM stepchange_notice WHERE recipient LIKE %s",
        (f"{FANOUT_PREFIX}%",),
    )[0]
    ended = max(stats["last_at"], float(last_sent))
    total = ended - marks["started"]
    delivery = ended - marks["committed"]
    part = f"notice fan-out ({n:,})"
    figures.add(part, "plain loop, one process, one connection", f"{loop_seconds:.1f} s")
    times = ratio(total, loop_seconds)
    figures.add(
        part,
        f"outbox, queueing to all sent ({total:.1f} s) ÷ plain loop; workers {workers}",
        fmt(times, unit="×"),
        "≤ 1.5×",
        verdict(times, 1.5, at_least=False),
    )
    figures.add(
        part,
        f"of which: rows and commit {marks['committed'] - marks['started']:.1f} s, "
        f"commit to all sent {delivery:.1f} s (÷ loop)",
        fmt(ratio(delivery, loop_seconds), unit="×"),
    )
    once = stats["recipients"] == n and stats["duplicates"] == 0 and stats["messages"] == n
    figures.add(
        part,
        "each recipient received exactly one",
        f"{stats['recipients']:,} recipients, {stats['duplicates']} repeats",
        "yes",
        "met" if once else "MISSED",
    )
    tasks = {
        name: count - tasks_before.get(name, 0)
        for name, count in task_tally(stack, o.celery_workers).items()
    }
    figures.details.append(
        f"fan-out notice states: {states}; the committing process queued its Celery tasks "
        f"in {marks['enqueued'] - marks['committed']:.1f} s after the commit; while the "
        f"fan-out ran the workers ran {tasks['tasks']:,} send_notices tasks, which sent "
        f"{tasks['sent']:,} notices and found {tasks['nothing']:,} sent or taken already "
        f"(queued again by the outbox sweep), and the sweep queued {tasks['swept']:,} "
        "notices again"
    )
    unhealthy = [status for _, status in health[1:] if status != 200]
    figures.details.append(
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
        figures.details.append(
            f"CPU ms per message, {name}: {parts}; in all "
            f"{sum(used.values()) * 1000 / n:.1f} ms, using "
            f"{sum(used.values()) / wall:.2f} of the {os.cpu_count()} CPUs"
        )


def cpu_used(stack, before, **extra):
    """CPU seconds each part of the stack used since `before`, the Celery workers summed,
    after the `extra` parts measured in other processes (the sender, the queueing job)."""
    after = stack.cpu_seconds()
    used = {name: after[name] - before.get(name, 0.0) for name in after}
    workers = sum(used.pop(name) for name in list(used) if name.startswith("worker"))
    return {**extra, "Celery workers": workers, **used}


def task_tally(stack, celery_workers):
    """From the workers' logs: send_notices tasks run, notices they sent, notices they
    found sent or taken already, and notices the sweep queued again."""
    tally = {"tasks": 0, "sent": 0, "nothing": 0, "swept": 0}
    for number in range(1, celery_workers + 1):
        path = stack.logs / f"worker{number}.log"
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
