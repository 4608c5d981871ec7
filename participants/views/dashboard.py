"""The programme dashboard in the admin: one call's figures (dashboard.py), each
drawn as an SVG chart on the server (charts.py, no JavaScript) with a table of the
same numbers beneath it."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse

from projects.models import Call

from ..charts import PALETTE, bar_chart, column_chart
from ..dashboard import ROLES, programme_figures

PERMISSION = "participants.view_expressionofinterest"

# A colour for each role, in the order of ROLES; each bar also carries the
# role's name, so colour is never the only cue.
ROLE_SERIES = [(role.label, colour) for role, colour in zip(ROLES, PALETTE, strict=True)]


def can_see_dashboard(user):
    return user.is_active and user.is_staff and user.has_perm(PERMISSION)


def dashboard(request):
    """The figures for the call in ?call=<id>, else the current call.

    Wrapped in `admin.site.admin_view` (stepchange/urls.py), which sends anyone
    who is not active staff to the admin's sign-in page and adds never_cache.
    """
    if not can_see_dashboard(request.user):
        raise PermissionDenied
    calls = list(Call.objects.order_by("-opens", "-pk"))
    call = _chosen_call(request, calls)
    context = {
        **admin.site.each_context(request),
        "title": "Programme dashboard",
        "calls": calls,
        "call": call,
    }
    if call is not None:
        figures = programme_figures(call)
        context.update(
            figures=figures,
            roles=[label for label, _ in ROLE_SERIES],
            charts={
                "workstreams": bar_chart(
                    figures["workstreams"], "dashboard-workstreams", ROLE_SERIES
                ),
                "projects": bar_chart(figures["projects"], "dashboard-projects", ROLE_SERIES),
                "sectors": bar_chart(figures["sectors"], "dashboard-sectors"),
                "statuses": bar_chart(figures["statuses"], "dashboard-statuses"),
                "validation": bar_chart(figures["validation"], "dashboard-validation"),
                "days": column_chart(figures["days"], "dashboard-days"),
            },
        )
    return TemplateResponse(request, "admin/dashboard.html", context)


def _chosen_call(request, calls):
    chosen = request.GET.get("call", "")
    if not chosen:
        return Call.objects.current()
    for call in calls:
        if str(call.pk) == chosen:
            return call
    raise Http404("No such call.")
