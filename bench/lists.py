"""The signed-in lists at a small and a large database: the admin's EOI list and the
co-chairs' applicant list should take about as long and run as many queries at 10,000
EOIs as at 100 (page time over HTTP, query count with Django's test client)."""

import time

from bench.figures import fmt, ratio, verdict
from bench.progress import say

CO_CHAIR_PROJECT = "CP1"
ADMIN_LIST = "/admin/participants/expressionofinterest/"


def fill_with_demodata(stack, total):
    """Grow the database to `total` EOIs with `manage.py demodata`."""
    have = stack.job("count_eois")
    if total > have:
        started = time.monotonic()
        stack.manage("demodata", str(total - have), debug=True, timeout=900)
        # The planner's statistics as autovacuum would have them a minute later, in
        # a database that grew over weeks rather than in seconds.
        stack.sql("ANALYZE")
        say(f"demodata: {total - have:,} EOIs added in {time.monotonic() - started:.0f} s")


def set_up_staff(stack):
    """Sessions of an office superuser and of a co-chair of CO_CHAIR_PROJECT's workstream,
    both signed in with two factors, and where that co-chair's applicant list is."""
    return stack.job("setup_staff", project_code=CO_CHAIR_PROJECT)


def list_pages(staff):
    applicants = f"/workspace/{staff['workstream']}/projects/{staff['project']}/applicants/"
    return [
        ("admin EOI list", ADMIN_LIST, staff["office_session"]),
        ("co-chair applicant list", applicants, staff["co_chair_session"]),
    ]


def measure_lists(stack, staff, samples):
    """Median page time over HTTP and the query count (test client) of each list."""
    measured = {}
    for name, path, session in list_pages(staff):
        counted = stack.job("query_counts", session=session, paths=[path])[path]
        # The page made each time, as the goal is how making it grows with the EOIs:
        # no-cache, as a browser's hard reload, passes by the page kept for the session.
        headers = {"Cookie": f"__Host-sessionid={session}", "Cache-Control": "no-cache"}
        request = {"method": "GET", "path": path, "headers": headers}
        stack.load(
            {
                "concurrency": 1,
                "duration": 60,
                "max_requests": 2,
                "requests": [request],
                "repeat": True,
            }
        )
        timed = stack.load(
            {
                "concurrency": 1,
                "duration": 120,
                "max_requests": samples,
                "requests": [request],
                "repeat": True,
            }
        )
        if timed["statuses"] != {"200": timed["requests"]} or counted["status"] != 200:
            raise RuntimeError(f"{path} did not answer 200: {timed['statuses']}, {counted}")
        measured[name] = {"median": timed["p50"], **counted}
    return measured


def measure_list_scaling(stack, options, figures):
    o = options
    sizes = sorted({o.small, o.large} | ({o.middle} if o.small < o.middle < o.large else set()))
    staff = None
    measured = {}
    for size in sizes:
        fill_with_demodata(stack, size)
        if staff is None:
            staff = set_up_staff(stack)
        say(f"lists at {size:,} EOIs")
        measured[size] = measure_lists(stack, staff, o.samples)
    small, large = measured[o.small], measured[o.large]
    for name in small:
        s, g = small[name], large[name]
        times = ratio(g["median"], s["median"])
        figures.add(
            name,
            f"median page time at {o.large:,} ÷ at {o.small:,} EOIs "
            f"({s['median'] * 1000:.0f} → {g['median'] * 1000:.0f} ms)",
            fmt(times, unit="×"),
            "≤ 1.5×",
            verdict(times, 1.5, at_least=False),
        )
        if len(sizes) == 3:
            m = measured[sizes[1]][name]
            figures.add(
                name,
                f"(diagnostic) at {o.large:,} ÷ at {sizes[1]:,} EOIs "
                f"({m['median'] * 1000:.0f} → {g['median'] * 1000:.0f} ms)",
                fmt(ratio(g["median"], m["median"]), unit="×"),
            )
        counts = [measured[size][name]["queries"] for size in sizes]
        figures.add(
            name,
            f"queries at {' / '.join(f'{size:,}' for size in sizes)} EOIs",
            " / ".join(str(count) for count in counts),
            "equal",
            "met" if len(set(counts)) == 1 else "MISSED",
        )
        rows = ", ".join(f"{measured[size][name]['rows']} at {size:,}" for size in sizes)
        figures.details.append(f"{name}: rows shown {rows} EOIs")
        for size in (o.small, o.large):
            slowest = "; ".join(f"{ms} ms `{sql}…`" for ms, sql in measured[size][name]["slowest"])
            figures.details.append(f"{name}, slowest queries at {size:,} EOIs: {slowest}")
