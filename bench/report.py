"""What a run prints at the end (and --markdown writes): the date, the command, the machine
and the stack it ran on, the table of figures and the lines under it."""

import datetime
import os
import platform
import subprocess


def describe_machine():
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


def table(rows):
    """A Markdown table, its columns padded so that it reads as well on a terminal."""
    rows = [("part", "figure", "value", "goal", ""), *rows]
    widths = [max(len(str(row[i])) for row in rows) for i in range(5)]
    lines = []
    for index, row in enumerate(rows):
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def gunicorn_workers(options):
    """As gunicorn runs them: a sync worker given more than one thread becomes gthread."""
    threads = options.gunicorn_threads
    if options.gunicorn_worker_class == "sync" and threads <= 1:
        return "sync workers"
    return f"gthread workers × {threads} thread{'s' if threads > 1 else ''}"


def report(figures, options, *, command, seconds, load_before, postgres_version):
    o = options
    info = describe_machine()
    return "\n".join(
        [
            f"Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            f"Command: `{command}` ({seconds / 60:.1f} minutes)",
            f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} memory; "
            f"Python {info['python']}, PostgreSQL {postgres_version}, "
            f"Redis {info['redis']}; "
            f"load average before {load_before}, after {info['load']}",
            f"Stack: gunicorn 2 {gunicorn_workers(o)}, Celery {o.celery_workers} worker × "
            f"--concurrency {o.celery_concurrency} and one beat, PostgreSQL "
            f"({'fsync off' if o.no_fsync else 'fsync on, as production'}), Redis, DEBUG=0; "
            f"page load {o.concurrency} clients × {o.duration:g} s after {o.warmup:g} s warm-up",
            "",
            table(figures.rows),
            "",
            *(f"- {line}" for line in figures.details),
        ]
    )
