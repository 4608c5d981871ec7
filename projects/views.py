import datetime
import math

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from stepchange import ratelimit, two_factor
from stepchange.page_cache import public_page
from stepchange.personal_pages import personal_page
from workstreams.models import Workstream

from . import services
from .context_processors import current_call_of
from .forms import ProjectFilterForm, ProjectQuestionForm
from .models import Call, KeyActivity, Milestone, Project


def _projects():
    return Project.objects.listed().select_related(
        "workstream", "workstream__business_co_chair", "workstream__police_co_chair"
    )


@personal_page
@public_page
def home(request):
    call = current_call_of(request)
    workstreams = Workstream.objects.listed().order_by("order", "code")
    return render(request, "projects/home.html", {"call": call, "workstreams": workstreams})


@personal_page
@public_page
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    projects = form.filter(_projects())
    return render(
        request,
        "projects/project_list.html",
        {"form": form, "projects": projects, "filtered": form.is_bound},
    )


@personal_page
@public_page
def project_detail(request, code):
    project = get_object_or_404(_projects(), code__iexact=code)
    # In-confidence notes go to a reader entitled to them whose session passed two
    # factors; one whose session did not is told what to do to read them.
    entitled = project.in_confidence_readers_include(request.user)
    missing = two_factor.missing_second_factor(request) if entitled else None
    response = render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "show_in_confidence": entitled and missing is None,
            "in_confidence_needs": missing,
            "in_confidence_url": missing
            and two_factor.second_factor_url(missing, request.get_full_path()),
        },
    )
    if entitled:
        # Made for this reader (their notes, or their prompt): no cache may keep it.
        response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def project_question(request, code):
    project = get_object_or_404(Project.objects.listed(), code__iexact=code)
    senders = ratelimit.senders(request)
    user = request.user
    form = ProjectQuestionForm(
        request.POST if request.method == "POST" else None,
        initial={"name": user.full_name, "email": user.email} if user.is_authenticated else {},
    )
    try:
        if request.method != "POST":
            # Said before they type a question that could not be sent.
            services.check_question_limit(senders)
        elif form.is_valid():
            services.ask_question(
                project,
                **form.cleaned_data,
                senders=senders,
                asked_by=user if user.is_authenticated else None,
            )
            return redirect("projects:question_sent", code=project.code.lower())
    except ratelimit.RateLimited as limited:
        return _too_many_questions(request, project, limited.retry_at)
    return render(
        request, "projects/project_question_form.html", {"project": project, "form": form}
    )


def _too_many_questions(request, project, retry_at):
    # The page gives the time to the minute: round up, so that it is never too early.
    minute = retry_at.replace(second=0, microsecond=0)
    retry_at = minute if minute == retry_at else minute + datetime.timedelta(minutes=1)
    response = render(
        request,
        "projects/project_question_limited.html",
        {
            "project": project,
            "retry_at": retry_at,
            "per_account": services.QUESTION_LIMITS["per_account"],
            "per_address": services.QUESTION_LIMITS["per_address"],
        },
        status=429,
    )
    seconds = (retry_at - timezone.now()).total_seconds()
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response


def project_question_sent(request, code):
    project = get_object_or_404(Project.objects.listed(), code__iexact=code)
    return render(request, "projects/project_question_sent.html", {"project": project})


@public_page
def timeline(request):
    return render(
        request,
        "projects/timeline.html",
        {"key_activities": KeyActivity.objects.all(), "milestones": Milestone.objects.all()},
    )


@public_page
def participation(request):
    return render(request, "projects/participation.html", {"call": Call.objects.current()})
