"""EOI submission: applicants with complete drafts send them at once, each from a loopback
address of its own, against /bench/bare-insert/ (one row inserted, nothing else); then the
database is checked for EOIs lost or duplicated and the notices they queued are waited for."""

import time

from bench.figures import fmt, ratio, verdict
from bench.progress import say
from tests.loopback.processes import wait_for

BARE_INSERT = "/bench/bare-insert/"
APPLICANT_PREFIX = "bench-applicant-"


def measure_submissions(stack, options, figures):
    o = options
    n = o.submissions
    say(f"submissions: preparing {n:,} applicants with complete drafts and sessions")
    prepared = stack.job("prepare_applicants", count=n, prefix=APPLICANT_PREFIX)
    origin = f"http://127.0.0.1:{stack.web_port}"

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
                "Cookie": f"__Host-sessionid={item['session']}; __Host-csrftoken={item['csrf']}",
                "Origin": origin,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        }
        for index, item in enumerate(prepared)
    ]
    plan = {"concurrency": o.submission_clients, "duration": 600, "keep_results": True}
    say(f"submissions: {n:,} POSTs to {BARE_INSERT}, {o.submission_clients} clients")
    baseline = stack.load({**plan, "requests": inserts})
    say(f"submissions: {n:,} EOIs sent by {o.submission_clients} clients")
    sent = stack.load({**plan, "requests": posts})
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
    check = stack.job(
        "check_submissions",
        references=[item["reference"] for item in prepared],
        answered=answered,
    )
    share = ratio(sent["rps"], baseline["rps"])
    part = f"EOI submission ({n:,}, {o.submission_clients} clients)"
    figures.add(
        part,
        f"{BARE_INSERT} POST req/s (p95)",
        f"{baseline['rps']:,.0f} req/s ({baseline['p95'] * 1000:.0f} ms)",
    )
    figures.add(
        part,
        f"submissions req/s ÷ bare-insert ({sent['rps']:,.0f} req/s, "
        f"p95 {sent['p95'] * 1000:.0f} ms)",
        fmt(share),
        "≥ 0.15",
        verdict(share, 0.15, at_least=True),
    )
    p95 = sent["p95"] * 1000 if sent["p95"] is not None else None
    below = "n/a" if p95 is None else ("met" if p95 < 300 else "MISSED")
    figures.add(part, "submissions p95", fmt(p95, 0, " ms"), "< 300 ms", below)
    for name, count in [
        ("lost", len(check["lost"])),
        ("duplicated", len(check["duplicated"])),
        ("failed (not 302)", failed),
    ]:
        figures.add(part, name, str(count), "0", "met" if count == 0 else "MISSED")
    figures.details.append(
        f"submissions: answers {sent['statuses']}, connection errors {sent['errors']}; "
        f"{check['submitted']:,} submitted in the database, "
        f"{len(check['submitted_unanswered'])} submitted without a success answer; "
        f"bare-insert answers {baseline['statuses']}"
    )
    if sent["first_errors"]:
        figures.details.append(f"first errors: {sent['first_errors']}")
    # Each submission queued two notices (confirmation, referee request): let them go
    # before the fan-out is timed.
    started = time.monotonic()
    expected = 2 * check["submitted"]
    wait_for(
        lambda: (
            stack.sink_stats(APPLICANT_PREFIX)["messages"]
            + stack.sink_stats(f"referee-{APPLICANT_PREFIX}")["messages"]
            >= expected
        ),
        600,
        "the submissions' notices to be sent",
        interval=1,
    )
    figures.details.append(
        f"the submissions' {expected:,} notices (confirmations, referee requests) "
        f"reached the sink {time.monotonic() - started:.0f} s after the last answer"
    )
