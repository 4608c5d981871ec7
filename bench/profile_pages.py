"""Where the time of each signed-in page goes, in process (not part of the test suite).

    .ci/with-services env DEBUG=0 SECRET_KEY=test-only-secret-key-not-for-production \\
      ALLOWED_HOSTS=localhost,127.0.0.1,testserver SECURE_SSL_REDIRECT=0 \\
      STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage \\
      .venv/bin/python bench/profile_pages.py [--requests 30] [--eois 1000]

Builds, in a throwaway database of its own, what bench/run.py's signed-in part
measures over HTTP (demodata, then bench/jobs.py's setup_staff and
bench/signed_in_jobs.py's setup_signed_in: the same accounts and sessions), and
asks each page with Django's test client: first `--requests` times plainly
(ms per request), then as many times instrumented, splitting each request into
the time outside the view (the middlewares, the handler, the test client), the
view's queries (count and time, and how many of them ran while a template
rendered), template rendering (the templates that took longest, each with the
time inside it, includes included) and the rest of the view; then once more
under cProfile for the template tags and filters. EOI sending (a POST of check
your answers) also shows the time spent rendering its two emails. Prints
Markdown.
"""

import argparse
import collections
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepchange.settings")
# EOI_SUBMISSIONS_PER_* as in production unless the environment says otherwise: the
# rate limit reads a cache key per slot, so its cost grows with the limits.
PROJECT = "CP1"


class Instruments:
    """Timers wrapped around Django's handler, Template._render, the database cursor and
    the outbox's email rendering, while `on`."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.view = self.template_top = self.query_time = self.email_time = 0.0
        self.query_time_in_templates = 0.0
        self.queries = self.queries_in_templates = self.emails = 0
        self.inclusive = collections.Counter()  # template name -> seconds, includes inside
        self.renders = collections.Counter()
        self.open = []  # the templates being rendered, outermost first
        self.layers = []  # the middlewares (and the view, last) being run, outermost first
        self.layer_time = collections.Counter()  # middleware -> seconds, inner ones included
        self.layer_queries = collections.Counter()  # middleware -> queries, its own

    def install(self):
        from django.core.handlers import base
        from django.core.handlers.base import BaseHandler
        from django.template.base import Template

        from stepchange.notices import outbox

        instruments = self
        get_response, render = BaseHandler._get_response, Template._render
        convert = base.convert_exception_to_response

        def timed_layer(inner):
            """Django wraps each middleware (and the view's handler) in this as it builds the
            chain: time each, inner ones included."""
            # A class's instance by its class; a function middleware by its factory's name.
            qualname = getattr(inner, "__qualname__", None)
            name = qualname.split(".")[0] if qualname else type(inner).__name__
            name = "view" if qualname and "get_response" in qualname else name
            wrapped = convert(inner)

            def layer(request):
                instruments.layers.append(name)
                started = time.perf_counter()
                try:
                    return wrapped(request)
                finally:
                    instruments.layer_time[name] += time.perf_counter() - started
                    instruments.layers.pop()

            return layer

        render_wording = outbox.render_wording

        def timed_get_response(handler, request):
            started = time.perf_counter()
            try:
                return get_response(handler, request)
            finally:
                instruments.view += time.perf_counter() - started

        def timed_render(template, context):
            name = getattr(template.origin, "template_name", None) or template.name or "(string)"
            instruments.open.append(name)
            started = time.perf_counter()
            try:
                return render(template, context)
            finally:
                spent = time.perf_counter() - started
                instruments.open.pop()
                if not instruments.open:
                    instruments.template_top += spent
                # A template rendered inside itself (recursion) counts once, at the top.
                if name not in instruments.open:
                    instruments.inclusive[name] += spent
                instruments.renders[name] += 1

        def timed_wording(*args, **kwargs):
            started = time.perf_counter()
            try:
                return render_wording(*args, **kwargs)
            finally:
                instruments.email_time += time.perf_counter() - started
                instruments.emails += 1

        BaseHandler._get_response = timed_get_response
        base.convert_exception_to_response = timed_layer
        Template._render = timed_render
        outbox.render_wording = timed_wording

    def query(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.query_time += spent
            self.queries += 1
            self.layer_queries[self.layers[-1] if self.layers else "(outside)"] += 1
            if self.open:
                self.queries_in_templates += 1
                self.query_time_in_templates += spent


def build(eois):
    """The bench's data and sessions in the throwaway database."""
    from django.conf import settings
    from django.core.management import call_command

    from bench.jobs import prepare_applicants, setup_staff
    from bench.signed_in_jobs import setup_signed_in

    call_command("loadprogramme", "--demonstration", verbosity=0)  # as the stack's start
    settings.DEBUG = True  # demodata makes fictional people only with DEBUG on
    call_command("demodata", str(eois), verbosity=0)
    settings.DEBUG = False
    setup_staff(PROJECT)
    return setup_signed_in(1, PROJECT), prepare_applicants


def pages(setup):
    from bench.signed_in import signed_in_pages

    return [(who, name, path, sessions[0]) for who, name, path, sessions in signed_in_pages(setup)]


def client_for(session):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def ms(seconds, n):
    return f"{seconds * 1000 / n:.1f}"


def profile_page(instruments, ask, n):
    """ask() n times plainly, then n times instrumented, then n under cProfile."""
    from django.conf import settings
    from django.db import connection

    for _ in range(3):
        ask()
    started = time.perf_counter()
    for _ in range(n):
        ask()
    plain = time.perf_counter() - started
    instruments.reset()
    started = time.perf_counter()
    with connection.execute_wrapper(instruments.query):
        for _ in range(n):
            ask()
    total = time.perf_counter() - started
    i = instruments
    if i.queries < n:
        raise RuntimeError("the instruments saw no queries: not installed?")
    top = ", ".join(
        f"{name.removeprefix('templates/')} {ms(seconds, n)} (×{i.renders[name] // n})"
        for name, seconds in i.inclusive.most_common(6)
    )
    # Each middleware's own time: its time less the next one's (the chain runs in order).
    # (Only those that ran: a middleware may have stood down with MiddlewareNotUsed.)
    chain = [path.rsplit(".", 1)[1] for path in settings.MIDDLEWARE]
    chain = [name for name in [*chain, "view"] if i.layer_time[name]]
    own = {
        name: i.layer_time[name] - (i.layer_time[inner] if inner else 0)
        for name, inner in zip(chain, [*chain[1:], None], strict=True)
        if name != "view"
    }
    layers = ", ".join(
        f"{name.removesuffix('Middleware')} {ms(seconds, n)}"
        + (f" ({i.layer_queries[name] // n} q)" if i.layer_queries[name] else "")
        for name, seconds in sorted(own.items(), key=lambda item: -item[1])[:6]
    )
    result = {
        "layers": layers,
        "plain": ms(plain, n),
        "outside": ms(total - i.view, n),
        "queries": f"{i.queries // n} / {ms(i.query_time, n)}",
        "in_templates": str(i.queries_in_templates // n),
        "templates": ms(i.template_top, n),
        # Queries run while a template renders are in the templates' time.
        "rest": ms(i.view - i.template_top - (i.query_time - i.query_time_in_templates), n),
        "top": top,
        "emails": f"{i.emails // n} / {ms(i.email_time, n)}" if i.emails else "",
    }
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        ask()
    profiler.disable()
    tags, own = collections.Counter(), collections.Counter()
    for (filename, _line, function), row in pstats.Stats(profiler).stats.items():
        own[f"{Path(filename).stem}.{function}"] += row[2]
        if "templatetags" in filename:
            module = Path(filename).stem
            tags[f"{module}.{function}"] = max(tags[f"{module}.{function}"], row[3])
    result["own"] = ", ".join(f"{name} {ms(seconds, n)}" for name, seconds in own.most_common(5))
    result["tags"] = ", ".join(f"{name} {ms(seconds, n)}" for name, seconds in tags.most_common(4))
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="requests a page (30)")
    parser.add_argument("--sends", type=int, default=10, help="EOIs sent, at most (10)")
    parser.add_argument("--eois", type=int, default=1000, help="demodata EOIs (1,000)")
    o = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # mail to locmem; testserver allowed
    settings.DATABASES["default"]["TEST"]["NAME"] = f"bench_profile_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    instruments = Instruments()
    instruments.install()
    rows = []
    try:
        setup, prepare_applicants = build(o.eois)
        for who, name, path, session in pages(setup):
            client = client_for(session)
            first = client.get(path)
            if first.status_code != 200:
                raise RuntimeError(f"{path} answered {first.status_code}")
            ask = lambda client=client, path=path: client.get(path)  # noqa: E731
            rows.append((f"{who}: {name}", profile_page(instruments, ask, o.requests)))
        # EOI sending: each POST sends a draft of its own (3 + 3 × n of them).
        sends = min(o.requests, o.sends)
        drafts = iter(prepare_applicants(count=3 + 3 * sends, prefix="bench-profile-send-"))

        def send():
            item = next(drafts)
            answer = client_for(item["session"]).post(
                f"/applications/{item['reference']}/check-your-answers/"
            )
            if answer.status_code != 302:
                raise RuntimeError(f"sending answered {answer.status_code}")

        rows.append(("stakeholder: EOI sending (POST)", profile_page(instruments, send, sends)))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"{o.requests} requests a page ({min(o.requests, o.sends)} EOIs sent), Django's test "
        f"client, DEBUG off, {o.eois:,} demodata EOIs; ms per request.\n"
    )
    print(
        "| page | ms | outside the view | queries (n / ms) | of them in templates "
        "| templates | rest of the view | emails (n / ms) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for page, r in rows:
        print(
            f"| {page} | {r['plain']} | {r['outside']} | {r['queries']} | {r['in_templates']} "
            f"| {r['templates']} | {r['rest']} | {r['emails']} |"
        )
    print("\nThe middlewares that took longest (their own ms a request; their queries):\n")
    for page, r in rows:
        print(f"- {page}: {r['layers']}")
    print("\nThe functions with the most time of their own (cProfile, ms a request):\n")
    for page, r in rows:
        print(f"- {page}: {r['own']}")
    print(
        "\nThe templates that took longest (ms a request inside each, includes included; "
        "×renders a request):\n"
    )
    for page, r in rows:
        print(f"- {page}: {r['top']}")
    print(
        "\nTemplate tags and filters (cProfile, cumulative ms a request, profiler's overhead in):\n"
    )
    for page, r in rows:
        print(f"- {page}: {r['tags']}")


if __name__ == "__main__":
    main()
