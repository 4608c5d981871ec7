"""The applicant's expression of interest: the list of theirs, the task list, each
section's page (its form, template and saving are the step's: sections.py), the
conflict declarations, check and send, confirmation and withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from projects.context_processors import current_call_of
from projects.models import Project
from stepchange import ratelimit
from stepchange.personal_pages import personal_page

from .. import answers, decisions, services
from ..forms.base import submitted_data
from ..forms.eoi_conflicts import ConflictForm
from ..forms.withdrawal import WithdrawForm
from ..models import ExpressionOfInterest, IllegalTransition
from ..sections import SECTIONS, SECTIONS_BY_SLUG, next_section
from ..sections import task_list as build_task_list


def _get_eoi_for_applicant(request, reference):
    """The signed-in applicant's own EOI, or 404 for anyone else's."""
    queryset = ExpressionOfInterest.objects.owned_by(request.user).select_related("call")
    return get_object_or_404(queryset, reference=reference)


def _closed(request, eoi):
    return render(request, "participants/closed.html", {"eoi": eoi}, status=403)


@login_required
@personal_page
def applications(request):
    eois = list(
        ExpressionOfInterest.objects.owned_by(request.user)
        .select_related("call")
        .prefetch_related(
            Prefetch("project_interests__project", queryset=Project.objects.only("code")),
            "decisions",
        )
        .order_by("-created_at")
    )
    for eoi in eois:
        eoi.outcomes = decisions.project_outcomes(eoi)
    current_call = current_call_of(request)
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
    call = current_call_of(request)
    if call is None:
        raise Http404
    code = request.GET.get("project", "")
    # The project chosen before signing up (kept on the account, since the email
    # may have been confirmed in another browser) when this visit names none.
    pending = request.user.take_pending_project()
    if not code and pending is not None:
        code = pending.code
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
@personal_page
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
@personal_page
def section(request, reference, section):
    eoi = _get_eoi_for_applicant(request, reference)
    step = SECTIONS_BY_SLUG.get(section)
    if step is None:
        raise Http404
    if not eoi.can_be_changed():
        if request.method == "POST":
            return _closed(request, eoi)
        return redirect("participants:check_answers", reference=eoi.reference)
    rows, _ = build_task_list(eoi)
    if next(row for row in rows if row["section"] == step)["status"] == "cannot_start":
        return redirect(eoi)
    form = step.get_form(submitted_data(request), eoi, request)
    if request.method == "POST" and form.is_valid():
        try:
            eoi = step.save(eoi, form)
        except services.CallNotOpen:
            return _closed(request, eoi)
        return redirect(step.redirect_after_save(eoi, form) or _after_save(request, eoi, step))
    if request.method == "POST":
        step.forget_rejected_answers(eoi)
    return render(
        request,
        step.template_name,
        {"eoi": eoi, "form": form, "section": step, **step.page_context(eoi)},
    )


def _after_save(request, eoi, step):
    """The address after a saved page: the next section not yet done, else the check."""
    if eoi.is_sent:
        messages.success(request, f"Your changes to “{step.title}” are saved and sent.")
        return reverse("participants:check_answers", kwargs={"reference": eoi.reference})
    following = next_section(eoi, step.slug)
    if request.GET.get("return") == "check" or following is None:
        name = "participants:check_answers" if build_task_list(eoi)[1] else "participants:task_list"
        return reverse(name, kwargs={"reference": eoi.reference})
    return reverse(
        "participants:section", kwargs={"reference": eoi.reference, "section": following.slug}
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
            answers.add_conflict(eoi, form)
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
        answers.remove_conflict(eoi, conflict_id)
    except services.CallNotOpen:
        return _closed(request, eoi)
    return redirect(
        "participants:section", reference=eoi.reference, section="conflicts-of-interest"
    )


@login_required
@personal_page
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
            "sections": SECTIONS,
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
