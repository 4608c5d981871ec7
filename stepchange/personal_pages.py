"""Signed-in pages, kept for the session that asked for them, until anything changes.

A stakeholder's task list, a co-chair's workspace or an EOI's page in the admin
is asked for far more often than what it shows changes. `personal_page` keeps
the page a view made for one session (the session's key, the CSRF cookie it
carries and the page's full path, query included, are the key: nobody else's
request can ever match it) and answers that session's next request for it from
the cache, without running the view. Everything before the view still runs for
every request: the session, who the user is, the two-factor, session-length and
role checks, and the personal-data access log.

A kept page is dropped (by a new generation, as the public pages' cache does):
- on any write to the database by any process (web, worker, beat, a shell):
  every connection reports its INSERT, UPDATE and DELETE statements, and the
  generation moves on when they commit (a page made before then showed what was
  there before, and is dropped with the rest); the writing process's own next
  look-up moves it on too, so that it never reads a page from before its own
  uncommitted write; only the tables nobody's page shows are left out (`quiet`:
  sessions, the access log, the scheduler's bookkeeping), as pages write them
  when read;
- when the minute changes, as pages say how long is left ("closes in 3 days");
- and it is never kept or used while the session holds a message to show, nor
  when the view set a cookie of its own or asked for no-store, nor for a request
  that says `Cache-Control: no-cache` (a browser's hard reload; the benchmarks
  use it to time the page made).

With a cache of one process (the embedded default), the worker's writes cannot
reach the web process's generation: pages are then kept only by a shared cache.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone

from .page_cache import bump_generation, fresh_generation

GENERATION = "personal-pages:generation"
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# A statement that begins WITH and writes somewhere in it: counted as a write of
# a table that is not quiet.
WRITE_AFTER_WITH = re.compile(r"\s*WITH\b.*\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\b", re.I | re.S)
# Written when a page is read, and shown by no kept page.
QUIET_TABLES = {"django_session", "usersessions_usersession"}
QUIET_PREFIXES = ("django_celery_beat_",)
MESSAGES_IN_SESSION = "_messages"  # django.contrib.messages' SessionStorage


def quiet(*models):
    """Writes to `models` do not drop kept pages: tables a page writes when it is
    read (an access log) and that no kept page shows. Feature apps call it from
    their AppConfig.ready(); the core names none of their models."""
    QUIET_TABLES.update(model._meta.db_table for model in models)


def enabled():
    return settings.PERSONAL_PAGE_SECONDS > 0 and settings.PERSONAL_PAGES_SHARED_CACHE


def _bump():
    bump_generation(GENERATION)


# Whether this process wrote since it last started a generation: its own next
# look-up starts one first, so that it never reads a page kept from before its
# own write, committed or not (a test's transaction never commits).
_wrote = False


def _note_writes(execute, sql, params, many, context):
    global _wrote
    table = _written_table(sql) if isinstance(sql, str) else None
    if table is not None and not _is_quiet(table):
        _wrote = True
        connection = context["connection"]
        # Every process drops kept pages once the write commits, once a transaction
        # (Django's list of on-commit callbacks holds (savepoints, function, robust)).
        if not connection.in_atomic_block:
            _bump()
        elif not any(entry[1] is _bump for entry in connection.run_on_commit):
            transaction.on_commit(_bump, using=connection.alias, robust=True)
    return execute(sql, params, many, context)


def _written_table(sql):
    """The table `sql` writes to ("" when a WITH hides it), or None for a read."""
    found = WRITE.match(sql)
    if found:
        return found.group(1)
    return "" if WRITE_AFTER_WITH.match(sql) else None


def _is_quiet(table):
    return table in QUIET_TABLES or table.startswith(QUIET_PREFIXES)


def watch_writes(sender, connection, **kwargs):
    """Connected to connection_created: every connection reports its writes."""
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_writes)


connection_created.connect(watch_writes, dispatch_uid="personal-pages-watch-writes")


def _key(request):
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    what = f"{request.session.session_key}\n{csrf}\n{request.get_full_path()}"
    return "personal-page:" + hashlib.sha256(what.encode()).hexdigest()


def _usable(request):
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        # A browser's hard reload asks for the page made afresh (RFC 9111's no-cache).
        and "no-cache" not in request.headers.get("Cache-Control", "").lower()
        and request.user.is_authenticated
        and request.session.session_key is not None
        and MESSAGES_IN_SESSION not in request.session
    )


def _keepable(request, response):
    csrf_name = settings.CSRF_COOKIE_NAME
    own_cookies = [name for name in response.cookies if name != csrf_name]
    csrf_cookie = response.cookies.get(csrf_name)
    return (
        response.status_code == 200
        and not response.streaming
        and not own_cookies
        # The page's CSRF token was made from the cookie the browser already has.
        and (csrf_cookie is None or csrf_cookie.value == request.COOKIES.get(csrf_name))
        and "no-store" not in response.get("Cache-Control", "").lower()
        and MESSAGES_IN_SESSION not in request.session
    )


def _minute():
    return int(timezone.now().timestamp() // 60)


def personal_page(view, in_a_transaction=True):
    """Answer a session's repeated request for `view`'s page from the cache (see the
    module's docstring). Only for pages that show nothing but the database's content
    and the time: not a page that reads the session's own state beyond the user.
    A view of the URLconf runs in its own transaction, as the request's would be;
    a method of a ModelAdmin (`in_a_transaction=False`) is inside the request's."""

    atomic = in_a_transaction and DEFAULT_DB_ALIAS not in getattr(
        view, "_non_atomic_requests", set()
    )

    def made(request, *args, **kwargs):
        if not (atomic and settings.DATABASES[DEFAULT_DB_ALIAS].get("ATOMIC_REQUESTS")):
            return view(request, *args, **kwargs)
        with transaction.atomic(using=DEFAULT_DB_ALIAS):  # as the request's would be
            return view(request, *args, **kwargs)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _usable(request):
            return made(request, *args, **kwargs)
        global _wrote
        if _wrote:
            _wrote = False
            _bump()
        key = _key(request)
        found = cache.get_many([GENERATION, key])
        generation = found.get(GENERATION)
        if generation is None:
            generation = cache.get_or_set(GENERATION, fresh_generation, timeout=None)
        kept, minute = found.get(key), _minute()
        if kept is not None and generation is not None and kept[:2] == (generation, minute):
            _, _, status, headers, content = kept
            return HttpResponse(content, status=status, headers=headers)
        response = made(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if generation is not None and _keepable(request, response):
            headers = [(name, value) for name, value in response.items()]
            page = (generation, minute, response.status_code, headers, response.content)
            cache.set(key, page, settings.PERSONAL_PAGE_SECONDS)
        return response

    # A kept page costs no transaction: the view's runs in its own, as it would have.
    return transaction.non_atomic_requests(wrapper) if in_a_transaction else wrapper
