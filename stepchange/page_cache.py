"""Public pages, as anonymous visitors see them, kept in the shared cache.

Only a GET or HEAD without a query string and without a session cookie is
answered from the cache: anyone who may be signed in, or who sends a form,
gets the page made for them. A page that set a cookie or used the CSRF token
is never kept. Any change to what public pages show (projects, calls,
workstreams and their co-chairs, milestones, the timeline) starts a new
generation, so every kept page is dropped at once; the rest expire after
PUBLIC_PAGE_SECONDS, which also bounds how long a page lags a call opening
or closing by the clock.
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION = "public-pages:generation"


def _generation():
    return cache.get_or_set(GENERATION, 1, timeout=None) or 1


def new_generation(**kwargs):
    """Drop every kept public page."""
    try:
        cache.incr(GENERATION)
    except ValueError:  # not there yet (or the cache was emptied)
        cache.set(GENERATION, 2, timeout=None)


def _cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def public_page(view):
    """Serve `view` from the cache to anonymous visitors (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"public-page:{_generation()}:{request.path}"
        kept = cache.get(key)
        if kept is not None:
            return kept
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_USED")
        ):
            cache.set(key, response, settings.PUBLIC_PAGE_SECONDS)
        return response

    # Public pages only read: no request transaction, so a kept page costs no query.
    return transaction.non_atomic_requests(wrapper)


def _public_models():
    from projects.models import Call, KeyActivity, Milestone, Project
    from workstreams.models import Workstream

    return [Call, KeyActivity, Milestone, Project, Workstream]


def connect():
    """Start a new generation whenever public content changes; called from ready()."""
    for model in _public_models():
        post_save.connect(new_generation, sender=model, dispatch_uid=f"public-pages-{model}")
        post_delete.connect(new_generation, sender=model, dispatch_uid=f"public-del-{model}")
    from projects.models import Call

    m2m_changed.connect(
        new_generation, sender=Call.projects.through, dispatch_uid="public-pages-call-projects"
    )
    post_save.connect(
        _co_chair_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="public-pages-user"
    )


def _co_chair_changed(sender, instance, update_fields=None, **kwargs):
    """A co-chair's name is on the public pages; a sign-in's last_login is not."""
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return
    from workstreams.models import Workstream

    if Workstream.objects.chaired_by(instance).exists():
        new_generation()
