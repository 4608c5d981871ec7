from django.shortcuts import get_object_or_404, render

from workstreams.models import Workstream

from .forms import ProjectFilterForm
from .models import Call, KeyActivity, Milestone, Project


def _projects():
    return Project.objects.select_related(
        "workstream", "workstream__business_co_chair", "workstream__police_co_chair"
    )


def home(request):
    call = Call.objects.current()
    workstreams = Workstream.objects.order_by("order", "code")
    return render(request, "projects/home.html", {"call": call, "workstreams": workstreams})


def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    projects = form.filter(_projects())
    return render(
        request,
        "projects/project_list.html",
        {"form": form, "projects": projects, "filtered": form.is_bound},
    )


def project_detail(request, code):
    project = get_object_or_404(_projects(), code__iexact=code)
    return render(request, "projects/project_detail.html", {"project": project})


def timeline(request):
    return render(
        request,
        "projects/timeline.html",
        {"key_activities": KeyActivity.objects.all(), "milestones": Milestone.objects.all()},
    )


def participation(request):
    return render(request, "projects/participation.html", {"call": Call.objects.current()})
