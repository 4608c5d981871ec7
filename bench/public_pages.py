"""The public pages under load, without cookies, against /bench/bare/ (a constant string,
the ceiling for any page of the server) measured before and after them."""

import statistics

from bench.figures import fmt, ratio, verdict
from bench.progress import say

PUBLIC_PAGES = ["/", "/projects/", "/projects/cp1/"]
BARE = "/bench/bare/"


def load_page(stack, options, path, requests=None):
    """`path` under load; `requests` (one a client) instead of a plain GET of it if given."""
    o = options
    result = stack.load(
        {
            "concurrency": o.concurrency,
            "duration": o.duration,
            "warmup": o.warmup,
            "max_requests": o.max_requests,
            "requests": requests or [{"method": "GET", "path": path}],
            "repeat": True,
        }
    )
    if result["errors"] or set(result["statuses"]) != {"200"}:
        raise RuntimeError(f"{path}: {result['statuses']}, {result['first_errors']}")
    return result


def measure_public_pages(stack, options, figures):
    o = options
    say(f"public pages: {o.concurrency} clients, {o.duration:g} s each, no cookies")
    # The baseline before and after the pages, so that drift shows.
    bare = [load_page(stack, o, BARE)]
    pages = {path: load_page(stack, o, path) for path in PUBLIC_PAGES}
    bare.append(load_page(stack, o, BARE))
    bare_rps = statistics.mean(result["rps"] for result in bare)
    bare_p95 = statistics.mean(result["p95"] for result in bare)
    figures.add(
        "baseline",
        f"{BARE} req/s and p95 (before, after: {bare[0]['rps']:,.0f}, {bare[1]['rps']:,.0f} req/s)",
        f"{bare_rps:,.0f} req/s, {bare_p95 * 1000:.1f} ms",
    )
    for path, result in pages.items():
        share = ratio(result["rps"], bare_rps)
        figures.add(
            f"page {path}",
            f"req/s ÷ bare ({result['rps']:,.0f} req/s)",
            fmt(share),
            "≥ 0.6",
            verdict(share, 0.6, at_least=True),
        )
        speed = ratio(bare_p95, result["p95"])
        figures.add(
            f"page {path}",
            f"bare p95 ÷ page p95 ({result['p95'] * 1000:.1f} ms)",
            fmt(speed),
            "≥ 0.6",
            verdict(speed, 0.6, at_least=True),
        )
