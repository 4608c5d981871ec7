"""Public pages, as anonymous visitors see them, kept in the shared cache.

Only a GET or HEAD without a query string and without a session cookie is
answered from the cache: anyone who may be signed in, or who sends a form,
gets the page made for them. A page that set a cookie, used the CSRF token or
asked not to be stored (Cache-Control private or no-store) is never kept. Any
change to what public pages show (projects, calls, workstreams and their
co-chairs, milestones, the timeline: the apps that own them register those
models with `clear_on_change`) starts a new generation, so every kept page is
dropped at once; the rest expire after PUBLIC_PAGE_SECONDS, which also
bounds how long a page lags a call opening or closing by the clock.

A kept page is its status, headers and content under one key per path, marked
with the generation it was made in; one `get_many` fetches it with the current
generation (one round trip), and a page of an older generation counts as
absent. (Keeping the pickled HttpResponse under a key per generation took two
round trips, and Django's Redis cache builds a client for each call.)
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

GENERATION = "public-pages:generation"
NOT_KEPT = ("private", "no-store")


def fresh_generation():
    # Not 1: after the cache was emptied or the counter evicted, a page kept in an
    # earlier generation must not come back. Bumps are far fewer than nanoseconds.
    return time.time_ns()


def bump_generation(key):
    """Move the generation counter `key` on (this cache's, and personal_pages')."""
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or the cache was emptied)
        cache.set(key, fresh_generation(), timeout=None)


def _bump():
    bump_generation(GENERATION)


def new_generation(**kwargs):
    """Drop every kept public page."""
    _bump()
    if transaction.get_connection().in_atomic_block:
        # A page made between now and the commit still shows the old content and
        # would be kept in the new generation: drop it again once committed.
        transaction.on_commit(_bump, robust=True)


def _cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _keepable(request, response):
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # Set by get_token() (Django 4.1+; CSRF_COOKIE_USED before, which nothing sets now).
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(directive in cache_control for directive in NOT_KEPT)
    )


def public_page(view):
    """Serve `view` from the cache to anonymous visitors (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"public-page:{request.path}"
        found = cache.get_many([GENERATION, key])
        generation = found.get(GENERATION)
        if generation is None:
            generation = cache.get_or_set(GENERATION, fresh_generation, timeout=None)
        kept = found.get(key)
        if kept is not None and generation is not None and kept[0] == generation:
            _, status, headers, content = kept
            return HttpResponse(content, status=status, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        # No generation means no cache to speak of (Redis unreachable): nothing kept.
        if generation is not None and _keepable(request, response):
            page = (generation, response.status_code, list(response.items()), response.content)
            cache.set(key, page, settings.PUBLIC_PAGE_SECONDS)
        return response

    # Public pages only read: no request transaction, so a kept page costs no query.
    return transaction.non_atomic_requests(wrapper)


def shared_fragment(name, make):
    """The HTML `make()` returns, kept for everyone under `name` in the current
    generation: a part of a signed-in page that is the same for every reader
    (the catalogue's filters and list). It is dropped whenever a kept page would
    be (`clear_on_change`), and expires after PUBLIC_PAGE_SECONDS like them.
    `name` must say everything the part varies by."""
    key = f"public-fragment:{name}"
    found = cache.get_many([GENERATION, key])
    generation = found.get(GENERATION)
    if generation is None:
        generation = cache.get_or_set(GENERATION, fresh_generation, timeout=None)
    kept = found.get(key)
    if kept is not None and generation is not None and kept[0] == generation:
        return kept[1]
    html = make()
    if generation is not None:  # no cache to speak of: nothing kept
        cache.set(key, (generation, html), settings.PUBLIC_PAGE_SECONDS)
    return html


def clear_on_change(*models):
    """Start a new generation whenever an instance of one of `models` is saved or
    deleted. Feature apps call it from their AppConfig.ready() for each model whose
    content public pages show; the core names none of them."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(new_generation, sender=model, dispatch_uid=f"public-pages-{label}")
        post_delete.connect(new_generation, sender=model, dispatch_uid=f"public-del-{label}")


def clear_on_links_change(through):
    """The same for the links of a many-to-many field (its `through` model)."""
    m2m_changed.connect(
        new_generation,
        sender=through,
        dispatch_uid=f"public-pages-{through._meta.label_lower}",
    )
