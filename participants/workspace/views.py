"""The co-chairs' workspace: their workstream's projects, texts, applicants and teams.

Every view reaches its objects through `_workstream`, `_project` or
`_applicant`, which scope them to the workstreams the signed-in user
co-chairs: anyone else, and any other workstream, gets 404.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from participants.exports import form_filters, neutralise
from participants.models import CoChairInterest, ExportLog
from stepchange.personal_pages import personal_page
from workstreams.models import Workstream

from . import services
from .forms import ApplicantFilterForm, DeclaredInterestForm, ProjectTextForm, RecommendationForm

APPLICANTS_PER_PAGE = 50


def _workstream(request, slug):
    return get_object_or_404(Workstream.objects.chaired_by(request.user), slug=slug)


def _project(request, slug, code):
    workstream = _workstream(request, slug)
    return get_object_or_404(workstream.projects.select_related("workstream"), code__iexact=code)


def _applicant(request, project, reference):
    # `reference` has the form of one (stepchange/converters.py): a NUL never gets here.
    row = services.applicant(project, request.user, reference)
    if row is None:
        raise Http404("No such applicant of this project.")
    return row


@login_required
def home(request):
    """Straight to the co-chair's workstream; a list if they chair more than one."""
    workstreams = list(Workstream.objects.chaired_by(request.user))
    if not workstreams:
        raise Http404("Not a co-chair.")
    if len(workstreams) == 1:
        return redirect("workspace:workstream", slug=workstreams[0].slug)
    return render(request, "workspace/home.html", {"workstreams": workstreams})


@login_required
@personal_page
def workstream(request, slug):
    workstream = _workstream(request, slug)
    projects = services.project_figures(workstream)
    return render(
        request,
        "workspace/workstream.html",
        {
            "workstream": workstream,
            "projects": projects,
            "without_lead": [project for project in projects if not project.lead_offered],
        },
    )


@login_required
@personal_page
def project(request, slug, code):
    project = _project(request, slug, code)
    return render(
        request,
        "workspace/project.html",
        {
            "project": project,
            "workstream": project.workstream,
            "revisions": project.history.select_related("history_user")[:3],
        },
    )


@login_required
def project_edit(request, slug, code):
    project = _project(request, slug, code)
    form = ProjectTextForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in project.TEXT_FIELDS}
        # The form has written its values into `project`; amend from a fresh copy.
        fresh = _project(request, slug, code)
        if services.amend_project(fresh, request.user, changes, form.cleaned_data["comment"]):
            messages.success(request, "Your changes are saved as a new revision.")
        else:
            messages.info(request, "Nothing had changed, so no revision was made.")
        return redirect("workspace:project", slug=slug, code=code)
    return render(
        request,
        "workspace/project_edit.html",
        {"project": _project(request, slug, code), "form": form},
    )


@login_required
@personal_page
def revisions(request, slug, code):
    project = _project(request, slug, code)
    history = list(project.history.select_related("history_user"))
    return render(
        request,
        "workspace/revisions.html",
        {"project": project, "workstream": project.workstream, "revisions": history},
    )


@login_required
@personal_page
def compare(request, slug, code):
    """The difference between two revisions, chosen by ?older=<id>&newer=<id>."""
    project = _project(request, slug, code)
    history = project.history.select_related("history_user")
    chosen = {}
    for name in ("older", "newer"):
        value = request.GET.get(name, "")
        chosen[name] = history.filter(history_id=value).first() if value.isdecimal() else None
    if None in chosen.values():
        messages.error(request, "Choose two revisions to compare.")
        return redirect("workspace:revisions", slug=slug, code=code)
    older, newer = sorted(chosen.values(), key=lambda revision: revision.history_date)
    return render(
        request,
        "workspace/compare.html",
        {
            "project": project,
            "workstream": project.workstream,
            "older": older,
            "newer": newer,
            "differences": services.revision_difference(project, older, newer),
        },
    )


@login_required
@personal_page
def applicants(request, slug, code):
    project = _project(request, slug, code)
    form = ApplicantFilterForm(request.GET)
    rows = services.applicant_list(project, request.user, **form.filters())
    page = Paginator(rows, APPLICANTS_PER_PAGE).get_page(request.GET.get("page"))
    services.describe(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/applicants.html",
        {
            "project": project,
            "workstream": project.workstream,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


CSV_COLUMNS = [
    ("Reference", lambda row: row.expression_of_interest.reference),
    ("Name", lambda row: row.expression_of_interest.full_name),
    ("Organisation", lambda row: row.expression_of_interest.organisation_name),
    ("Sector", lambda row: row.expression_of_interest.get_sector_display()),
    ("Role wanted", lambda row: row.get_role_display()),
    ("Experience", lambda row: row.experience),
    ("Status", lambda row: row.expression_of_interest.get_status_display()),
    ("Validation", lambda row: row.validation_label),
    ("Conflicts of interest", lambda row: row.conflict_outcome),
    (
        "Your recommendation",
        lambda row: row.recommendation.get_verdict_display() if row.recommendation else "",
    ),
]


@login_required
def applicants_csv(request, slug, code):
    """The same list, filtered the same way, as CSV; every download is logged."""
    project = _project(request, slug, code)
    form = ApplicantFilterForm(request.GET)
    rows = services.describe(
        list(services.applicant_list(project, request.user, **form.filters())), request.user
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for title, _ in CSV_COLUMNS])
    for row in rows:
        if row.withheld:
            writer.writerow([row.expression_of_interest.reference, "Withheld: declared interest"])
        else:
            writer.writerow([neutralise(value(row)) for _, value in CSV_COLUMNS])
    ExportLog.objects.create(
        exported_by=request.user,
        what=f"Applicants of {project.code} (co-chair)",
        file_format="csv",
        filters=form_filters(form),
        rows=len(rows),
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="applicants-{project.code.lower()}-{stamp}.csv"'
    )
    return response


@login_required
@personal_page
def applicant(request, slug, code, reference):
    project = _project(request, slug, code)
    row = _applicant(request, project, reference)
    recommendation = row.recommendation
    initial = (
        {"verdict": recommendation.verdict, "comment": recommendation.comment}
        if recommendation
        else None
    )
    form = RecommendationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.recommend(project, request.user, row.expression_of_interest, **form.cleaned_data)
        messages.success(request, "Your recommendation is saved.")
        return redirect("workspace:applicants", slug=slug, code=code)
    return render(
        request,
        "workspace/applicant.html",
        {"project": project, "workstream": project.workstream, "row": row, "form": form},
    )


@login_required
@personal_page
def team(request, slug, code):
    project = _project(request, slug, code)
    by_role = services.team(project, request.user)
    return render(
        request,
        "workspace/team.html",
        {
            "project": project,
            "workstream": project.workstream,
            "by_role": by_role,
            "without_lead": not by_role[0][1],
        },
    )


def _co_chair_only(request):
    if not Workstream.objects.chaired_by(request.user).exists():
        raise Http404("Not a co-chair.")


@login_required
@personal_page
def interests(request):
    """The co-chair's own declared interests, and a form to declare another."""
    _co_chair_only(request)
    form = DeclaredInterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.co_chair = request.user
        form.save()
        messages.success(request, "Your interest is declared.")
        return redirect("workspace:interests")
    return render(
        request,
        "workspace/interests.html",
        {"form": form, "interests": CoChairInterest.objects.filter(co_chair=request.user)},
    )


@login_required
def interest_remove(request, pk):
    _co_chair_only(request)
    interest = get_object_or_404(CoChairInterest, pk=pk, co_chair=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    interest.delete()
    messages.success(request, f"Your interest in {interest.organisation} is removed.")
    return redirect("workspace:interests")
