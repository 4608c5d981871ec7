"""The access log: who viewed or exported applicants' personal data, and when.

One row per person, page and minute: a page seen again within the same minute
(a reload, the admin's list after a save) is the access already written, so it
writes nothing. The row is written before the response leaves, and the cache
only remembers that it was (after the insert): a process that dies between the
two, or a cache that is down or was emptied, costs a second row for that
minute, never a missing one. Exports are written every time.
"""

import hashlib
import time

from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import ValidationError

from ..models import ExpressionOfInterest, PersonalDataAccess


def record_access(request, what):
    """Log that the signed-in user saw or exported applicants' personal data.

    `what` describes it without the data ("EOI SC-XXXXX-XXXXX viewed in the
    admin"); the path is kept without its query string, which may hold a
    search for a name.
    """
    user = request.user if request.user.is_authenticated else None
    return PersonalDataAccess.objects.create(user=user, what=what[:300], path=request.path[:500])


# An access is the same one for this long (the row keeps its first time).
SAME_ACCESS_SECONDS = 60
EXPORTS = {"admin:participants_expressionofinterest_export", "workspace:applicants_csv"}


def _seen_key(request, view_name):
    """The cache key of this person's access to this page (and list filters) this minute."""
    minute = int(time.time()) // SAME_ACCESS_SECONDS
    filters = ",".join(sorted(request.GET))
    page = hashlib.sha256(f"{view_name}|{request.path}|{filters}".encode()).hexdigest()[:32]
    return f"access-log:{request.user.pk}:{minute}:{page}"


def _eoi_in_admin(request, kwargs):
    try:
        reference = (
            ExpressionOfInterest.objects.filter(pk=unquote(kwargs["object_id"]))
            .values_list("reference", flat=True)
            .first()
        )
    except (ValueError, ValidationError):
        reference = None
    return reference or f"#{kwargs['object_id']}"


def _admin_list(request, kwargs):
    filters = sorted({name for name in request.GET if name not in {"p", "o", "all"}})
    return "EOI list viewed in the admin" + (f" (by {', '.join(filters)})" if filters else "")


def _code(kwargs):
    return kwargs["code"].upper()


# resolver view name -> what a successful response showed.
LOGGED_VIEWS = {
    "admin:participants_expressionofinterest_changelist": _admin_list,
    "admin:participants_expressionofinterest_change": lambda request, kwargs: (
        f"EOI {_eoi_in_admin(request, kwargs)} viewed in the admin"
    ),
    "admin:participants_expressionofinterest_history": lambda request, kwargs: (
        f"History of EOI {_eoi_in_admin(request, kwargs)} viewed in the admin"
    ),
    "admin:participants_expressionofinterest_export": lambda request, kwargs: (
        f"EOI list exported from the admin ({kwargs['file_format'].upper()})"
    ),
    "workspace:applicants": lambda request, kwargs: (
        f"Applicants of {_code(kwargs)} viewed in the co-chair workspace"
    ),
    "workspace:applicant": lambda request, kwargs: (
        f"EOI {kwargs['reference'].upper()} viewed in the co-chair workspace "
        f"(applicant of {_code(kwargs)})"
    ),
    "workspace:applicants_csv": lambda request, kwargs: (
        f"Applicants of {_code(kwargs)} exported (CSV)"
    ),
}


class PersonalDataAccessMiddleware:
    """Record every successful view or export of applicants' personal data.

    One row per person, page and minute (a list of 50 EOIs is one row; see the
    module's docstring), for the views in LOGGED_VIEWS; failed, refused and
    redirected requests showed nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        describe = LOGGED_VIEWS.get(match.view_name) if match else None
        user = getattr(request, "user", None)
        if describe and response.status_code == 200 and user and user.is_authenticated:
            if match.view_name in EXPORTS:
                record_access(request, describe(request, match.kwargs))
                return response
            seen = _seen_key(request, match.view_name)
            if not cache.get(seen):
                record_access(request, describe(request, match.kwargs))
                cache.set(seen, True, SAME_ACCESS_SECONDS)
        return response
