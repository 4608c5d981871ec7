"""The pages of the people who work in the portal, signed in, under load against /bench/bare/
measured before and after them in the same run (issue #16's goal: req/s at least 0.3 × bare
and p95 at most 3 × bare p95, 8 clients).

Stakeholders: one with a sent EOI (home, catalogue, a project page, their applications) and one
with a complete draft (their applications, task list, each section, check your answers); each
load client is an account of its own with its own session, so that sessions do not collide. A
co-chair (workspace: workstream, project, applicants, team) and the office (the admin's EOI
list and an EOI's page), each client with a session of its own that passed two factors.
Each page's query count (Django's test client, on the stack's database) is shown with it.
"""

import hashlib
import statistics
import string

from bench.figures import fmt, ratio, verdict
from bench.lists import ADMIN_LIST, CO_CHAIR_PROJECT
from bench.progress import say
from bench.public_pages import BARE, load_page

RPS_GOAL, P95_GOAL = 0.3, 3.0


def signed_in_pages(setup):
    """(who, page, path, sessions) for each page measured."""
    sent = [item["session"] for item in setup["sent"]]
    drafts = [item["session"] for item in setup["drafts"]]
    draft = setup["drafts"][0]["reference"]  # every draft client reads its own: see paths()
    workspace = f"/workspace/{setup['workstream']}/"
    project = f"{workspace}projects/{setup['project']}/"
    pages = [
        ("stakeholder, EOI sent", "home", "/", sent),
        ("stakeholder, EOI sent", "project catalogue", "/projects/", sent),
        ("stakeholder, EOI sent", "project page", setup["project_url"], sent),
        ("stakeholder, EOI sent", "your applications", "/applications/", sent),
        ("stakeholder, draft", "your applications", "/applications/", drafts),
        ("stakeholder, draft", "task list", f"/applications/{draft}/", drafts),
        *(
            ("stakeholder, draft", f"section {slug}", f"/applications/{draft}/{slug}/", drafts)
            for slug in setup["sections"]
        ),
        (
            "stakeholder, draft",
            "check your answers",
            f"/applications/{draft}/check-your-answers/",
            drafts,
        ),
        ("co-chair", "workstream", workspace, setup["co_chair"]),
        ("co-chair", "project", project, setup["co_chair"]),
        ("co-chair", "applicants", f"{project}applicants/", setup["co_chair"]),
        ("co-chair", "team", f"{project}team/", setup["co_chair"]),
        ("office", "admin EOI list", ADMIN_LIST, setup["office"]),
        (
            "office",
            "admin EOI page",
            f"{ADMIN_LIST}{setup['sent_pk']}/change/",
            setup["office"],
        ),
    ]
    return pages


def _csrf_cookie(session):
    """The CSRF cookie a browser would hold beside its session: Django's form of a
    secret (32 letters and digits), the same for a session's every request."""
    digest = hashlib.sha256(session.encode()).digest()
    return "".join(CSRF_ALPHABET[byte % len(CSRF_ALPHABET)] for byte in digest)


CSRF_ALPHABET = string.ascii_letters + string.digits


def requests_for(setup, path, sessions):
    """One request a client: each with its own session (and a draft client its own draft),
    and, as a browser sends it, the CSRF cookie its earlier pages set."""
    draft = setup["drafts"][0]["reference"]
    requests = []
    for index, session in enumerate(sessions):
        own = path
        if draft in path:
            own = path.replace(draft, setup["drafts"][index]["reference"])
        cookie = f"__Host-sessionid={session}; __Host-csrftoken={_csrf_cookie(session)}"
        requests.append({"method": "GET", "path": own, "headers": {"Cookie": cookie}})
    return requests


def measure_signed_in(stack, options, figures):
    o = options
    say(f"signed-in pages: preparing {o.concurrency} accounts of each kind and their sessions")
    setup = stack.job(
        "setup_signed_in",
        module="bench.signed_in_jobs",
        clients=o.concurrency,
        project_code=CO_CHAIR_PROJECT,
    )
    pages = signed_in_pages(setup)
    say(f"signed-in pages: {len(pages)} pages, {o.concurrency} clients, {o.duration:g} s each")
    bare = [load_page(stack, o, BARE)]
    measured = []
    for who, name, path, sessions in pages:
        counted = stack.job("query_counts", session=sessions[0], paths=[path])[path]
        result = load_page(stack, o, path, requests=requests_for(setup, path, sessions))
        measured.append((who, name, path, result, counted))
    bare.append(load_page(stack, o, BARE))
    bare_rps = statistics.mean(result["rps"] for result in bare)
    bare_p95 = statistics.mean(result["p95"] for result in bare)
    figures.add(
        "signed in: baseline",
        f"{BARE} req/s and p95 (before, after: {bare[0]['rps']:,.0f}, {bare[1]['rps']:,.0f} req/s)",
        f"{bare_rps:,.0f} req/s, {bare_p95 * 1000:.1f} ms",
    )
    for who, name, _path, result, counted in measured:
        part = f"{who}: {name}"
        share = ratio(result["rps"], bare_rps)
        figures.add(
            part,
            f"req/s ÷ bare ({result['rps']:,.0f} req/s; {counted['queries']} queries)",
            fmt(share),
            f"≥ {RPS_GOAL}",
            verdict(share, RPS_GOAL, at_least=True),
        )
        times = ratio(result["p95"], bare_p95)
        figures.add(
            part,
            f"p95 ÷ bare p95 ({result['p95'] * 1000:.1f} ms)",
            fmt(times, unit="×"),
            f"≤ {P95_GOAL:g}×",
            verdict(times, P95_GOAL, at_least=False),
        )
    figures.details.append(
        "signed-in pages: "
        + "; ".join(f"{who}: {name} {path}" for who, name, path, _, _ in measured)
    )
