from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from projects.models import Call, Project
from stepchange import ratelimit

from . import services
from .forms import ConflictForm, ConflictsQuestionForm, ProjectsForm, WithdrawForm, submitted_data
from .models import ExpressionOfInterest, IllegalTransition
from .sections import SECTIONS_BY_SLUG, next_section
from .sections import task_list as build_task_list


def _get_eoi_for_applicant(request, reference):
    """The signed-in applicant's own EOI, or 404 for anyone else's."""
    queryset = ExpressionOfInterest.objects.owned_by(request.user).select_related("call")
    return get_object_or_404(queryset, reference=reference)


def _closed(request, eoi):
    return render(request, "participants/closed.html", {"eoi": eoi}, status=403)


@login_required
def applications(request):
    eois = (
        ExpressionOfInterest.objects.owned_by(request.user)
        .select_related("call")
        .prefetch_related(
            Prefetch("project_interests__project", queryset=Project.objects.only("code"))
        )
        .order_by("-created_at")
    )
    current_call = Call.objects.current()
    has_current = any(eoi.call_id == getattr(current_call, "pk", None) for eoi in eois)
    return render(
        request,
        "participants/applications.html",
        {
            "eois": eois,
            "call": current_call,
            "can_start": current_call and current_call.is_open() and not has_current,
        },
    )


@login_required
def express_interest(request):
    """Start or continue the applicant's EOI for the current call, with a project chosen."""
    call = Call.objects.current()
    if call is None:
        raise Http404
    code = request.GET.get("project", "")
    # PostgreSQL refuses a query that holds a NUL: no project's code has one.
    known = code and "\x00" not in code
    project = call.projects.filter(code__iexact=code).first() if known else None
    try:
        eoi = services.start_or_continue(request.user, call)
    except services.CallNotOpen:
        return render(request, "participants/call_not_open.html", {"call": call}, status=403)
    if eoi.status == ExpressionOfInterest.Status.WITHDRAWN:
        return render(request, "participants/withdrawn.html", {"eoi": eoi})
    if not eoi.can_be_changed():
        return redirect("participants:check_answers", reference=eoi.reference)
    url = reverse(
        "participants:section", kwargs={"reference": eoi.reference, "section": "projects"}
    )
    if project:
        return redirect(f"{url}?add={project.code}")
    return redirect(eoi)


@login_required
def task_list(request, reference):
    eoi = _get_eoi_for_applicant(request, reference)
    rows, all_done = build_task_list(eoi)
    return render(
        request,
        "participants/task_list.html",
        {
            "eoi": eoi,
            "rows": rows,
            "all_done": all_done,
            "completed_count": sum(row["status"] == "completed" for row in rows),
            "can_change": eoi.can_be_changed(),
        },
    )


@login_required
def section(request, reference, section):
    eoi = _get_eoi_for_applicant(request, reference)
    definition = SECTIONS_BY_SLUG.get(section)
    if definition is None:
        raise Http404
    if not eoi.can_be_changed():
        if request.method == "POST":
            return _closed(request, eoi)
        return redirect("participants:check_answers", reference=eoi.reference)
    rows, _ = build_task_list(eoi)
    if next(row for row in rows if row["section"] == definition)["status"] == "cannot_start":
        return redirect(eoi)
    if definition.slug == "projects":
        return _projects_section(request, eoi, definition)
    if definition.slug == "conflicts-of-interest":
        return _conflicts_section(request, eoi, definition)

    form_kwargs = {"instance": eoi}
    if definition.slug == "declarations":
        form_kwargs["call"] = eoi.call
    form = definition.form_class(submitted_data(request), **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            eoi = services.save_section(eoi, form, definition.slug)
        except services.CallNotOpen:
            return _closed(request, eoi)
        return _after_save(request, eoi, definition)
    if request.method == "POST":
        # Show the saved answers again where the rejected form does not override them.
        eoi.refresh_from_db()
    return render(
        request,
        f"participants/section_{definition.slug.replace('-', '_')}.html",
        {"eoi": eoi, "form": form, "section": definition},
    )


def _after_save(request, eoi, definition):
    if eoi.is_sent:
        messages.success(request, f"Your changes to “{definition.title}” are saved and sent.")
        return redirect("participants:check_answers", reference=eoi.reference)
    following = next_section(eoi, definition.slug)
    if request.GET.get("return") == "check" or following is None:
        return redirect(
            "participants:check_answers" if build_task_list(eoi)[1] else "participants:task_list",
            reference=eoi.reference,
        )
    return redirect("participants:section", reference=eoi.reference, section=following.slug)


def _projects_section(request, eoi, definition):
    initial = {}
    add = request.GET.get("add", "")
    if add and request.method == "GET":
        chosen = list(eoi.project_interests.values_list("project__code", flat=True))
        codes = set(eoi.call.projects.values_list("code", flat=True))
        match = next((code for code in codes if code.lower() == add.lower()), None)
        if match and match not in chosen:
            initial["projects"] = [*chosen, match]
    form = ProjectsForm(submitted_data(request), call=eoi.call, instance=eoi, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            eoi = services.save_projects(eoi, form)
        except services.CallNotOpen:
            return _closed(request, eoi)
        return _after_save(request, eoi, definition)
    return render(
        request,
        "participants/section_projects.html",
        {"eoi": eoi, "form": form, "section": definition, "experience_max": 1500},
    )


def _conflicts_section(request, eoi, definition):
    initial = {}
    if eoi.no_conflicts is not None:
        initial["has_conflicts"] = "no" if eoi.no_conflicts else "yes"
    form = ConflictsQuestionForm(submitted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        has_conflicts = form.cleaned_data["has_conflicts"] == "yes"
        try:
            eoi = services.answer_conflicts_question(eoi, has_conflicts)
        except services.CallNotOpen:
            return _closed(request, eoi)
        if has_conflicts and not eoi.conflicts.exists():
            return redirect("participants:add_conflict", reference=eoi.reference)
        return _after_save(request, eoi, definition)
    conflicts = eoi.conflicts.prefetch_related("projects")
    return render(
        request,
        "participants/section_conflicts_of_interest.html",
        {"eoi": eoi, "form": form, "section": definition, "conflicts": conflicts},
    )


@login_required
def add_conflict(request, reference):
    eoi = _get_eoi_for_applicant(request, reference)
    if not eoi.can_be_changed():
        return _closed(request, eoi) if request.method == "POST" else redirect(eoi)
    if not eoi.projects_complete():
        return redirect(eoi)
    form = ConflictForm(submitted_data(request), eoi=eoi)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_conflict(eoi, form)
        except services.CallNotOpen:
            return _closed(request, eoi)
        return redirect(
            "participants:section", reference=eoi.reference, section="conflicts-of-interest"
        )
    return render(request, "participants/conflict_add.html", {"eoi": eoi, "form": form})


@login_required
@require_POST
def remove_conflict(request, reference, conflict_id):
    eoi = _get_eoi_for_applicant(request, reference)
    get_object_or_404(eoi.conflicts, pk=conflict_id)
    try:
        services.remove_conflict(eoi, conflict_id)
    except services.CallNotOpen:
        return _closed(request, eoi)
    return redirect(
        "participants:section", reference=eoi.reference, section="conflicts-of-interest"
    )


@login_required
def check_answers(request, reference):
    eoi = _get_eoi_for_applicant(request, reference)
    error = None
    if request.method == "POST":
        try:
            ratelimit.take_for(request, "eoi-submission", **services.SUBMISSION_LIMITS)
        except ratelimit.RateLimited as limited:
            return ratelimit.too_many(
                request, limited.retry_at, "You have sent expressions of interest too often."
            )
        try:
            services.submit(eoi, request)
        except services.CallNotOpen:
            return _closed(request, eoi)
        except (services.NotReady, IllegalTransition) as problem:
            error = str(problem)
        else:
            return redirect("participants:confirmation", reference=eoi.reference)
    _, all_done = build_task_list(eoi)
    interests = eoi.project_interests.select_related("project", "project__workstream")
    return render(
        request,
        "participants/check_answers.html",
        {
            "eoi": eoi,
            "all_done": all_done,
            "can_change": eoi.can_be_changed(),
            "interests": interests,
            "conflicts": eoi.conflicts.prefetch_related("projects"),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def confirmation(request, reference):
    eoi = _get_eoi_for_applicant(request, reference)
    if eoi.status == ExpressionOfInterest.Status.DRAFT:
        return redirect(eoi)
    return render(request, "participants/confirmation.html", {"eoi": eoi})


@login_required
def withdraw(request, reference):
    eoi = _get_eoi_for_applicant(request, reference)
    if not eoi.can_be_withdrawn():
        return render(request, "participants/withdraw_not_possible.html", {"eoi": eoi})
    form = WithdrawForm(submitted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(eoi, form.cleaned_data["reason"])
        except IllegalTransition:
            return render(request, "participants/withdraw_not_possible.html", {"eoi": eoi})
        messages.success(
            request, f"You have withdrawn your expression of interest {eoi.reference}."
        )
        return redirect("participants:applications")
    return render(request, "participants/withdraw.html", {"eoi": eoi, "form": form})
