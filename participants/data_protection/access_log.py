"""The access log: who viewed or exported applicants' personal data, and when."""

from django.contrib.admin.utils import unquote
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

    One row per request (a list of 50 EOIs is one row), for the views in
    LOGGED_VIEWS; failed, refused and redirected requests showed nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        describe = LOGGED_VIEWS.get(match.view_name) if match else None
        user = getattr(request, "user", None)
        if describe and response.status_code == 200 and user and user.is_authenticated:
            record_access(request, describe(request, match.kwargs))
        return response
