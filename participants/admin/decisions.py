"""Decisions and teams in the admin: staging, applying, and who is in which team."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from projects.models import Project
from stepchange.admin_history import HistoryAdmin
from stepchange.plain_text import PlainTextForm

from .. import decisions
from ..models import (
    CoChairInterest,
    Decision,
    ExclusionOverride,
    ProjectInterest,
    Recommendation,
    TeamMembership,
)
from .view_only import ViewOnly

# The EOI list's project filter, whose value the staging form starts from.
PROJECT_FILTER = "project_interests__project__id__exact"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PendingDecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["project", "outcome", "role"]

    def clean(self):
        cleaned = super().clean()
        project, outcome = cleaned.get("project"), cleaned.get("outcome")
        if project and outcome and self.has_changed():
            try:
                decisions.check(self.instance.expression_of_interest, project, outcome)
            except decisions.DecisionRefused as problem:
                raise ValidationError(str(problem)) from None
        return cleaned


class PendingDecisionInline(admin.TabularInline):
    """Decisions staged and not yet applied: the office may change or remove them."""

    model = Decision
    form = PendingDecisionForm
    extra = 0
    fields = ["project", "outcome", "role", "staged_by", "staged_at"]
    readonly_fields = ["staged_by", "staged_at"]
    verbose_name = "staged decision"
    verbose_name_plural = "staged decisions (applied together with the action on the list)"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(applied_at__isnull=True)


class AppliedDecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["project", "outcome", "role", "staged_by", "applied_by", "applied_at"]
    verbose_name = "applied decision"
    verbose_name_plural = "applied decisions"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(applied_at__isnull=False)


class ExclusionOverrideInline(admin.TabularInline):
    """Where the office places or shows someone despite an exclusion, and why."""

    model = ExclusionOverride
    extra = 0
    fields = ["project", "reason", "decided_by", "decided_at"]
    readonly_fields = ["decided_by", "decided_at"]


class RecommendationInline(ReadOnlyInline):
    model = Recommendation
    fields = ["project", "verdict", "comment", "co_chair", "made_at"]


class TeamMembershipInline(ReadOnlyInline):
    model = TeamMembership
    fk_name = "expression_of_interest"
    fields = ["project", "role", "added_by", "added_at"]
    verbose_name_plural = "places in project teams"


class StageDecisionForm(PlainTextForm):
    project = forms.ModelChoiceField(queryset=Project.objects.none())
    outcome = forms.ChoiceField(
        label="Decision",
        choices=decisions.STAGING_CHOICES,
        help_text="Not decided yet removes a staged decision on the project.",
    )
    role = forms.ChoiceField(
        label="Role in the team",
        choices=[("", "The role each offered"), *ProjectInterest.Role.choices],
        required=False,
        help_text="Only for an accept.",
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


@admin.action(description="Stage a decision for the selected…", permissions=["change"])
def stage_decision(modeladmin, request, queryset):
    """Ask which project, decision and role, then stage it for each selected EOI."""
    projects = Project.objects.filter(interests__expression_of_interest__in=queryset).distinct()
    form = StageDecisionForm(
        request.POST if "stage" in request.POST else None,
        projects=projects,
        initial={"project": request.GET.get(PROJECT_FILTER)},
    )
    if form.is_valid():
        staged, refused = decisions.stage_many(
            list(queryset.values_list("pk", flat=True)),
            form.cleaned_data["project"],
            form.cleaned_data["outcome"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
        if staged and form.cleaned_data["outcome"] == decisions.NOT_YET:
            modeladmin.message_user(
                request,
                f"No decision staged on {form.cleaned_data['project'].code} for {len(staged)}.",
                messages.SUCCESS,
            )
        elif staged:
            modeladmin.message_user(
                request,
                f"Decision staged for {len(staged)}. Apply the staged decisions to send them.",
                messages.SUCCESS,
            )
        for reason in refused:
            modeladmin.message_user(request, reason, messages.ERROR)
        return None
    return TemplateResponse(
        request,
        "admin/participants/expressionofinterest/stage_decision.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Stage a decision",
            "opts": modeladmin.model._meta,
            "form": form,
            "eois": queryset.select_related("applicant"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


def report_applied(modeladmin, request, applied, refused):
    if applied:
        modeladmin.message_user(
            request,
            f"Decisions applied for {len(applied)}; one email each, answering the projects "
            "decided, is queued.",
            messages.SUCCESS,
        )
    elif not refused:
        modeladmin.message_user(request, "No staged decisions to apply.", messages.WARNING)
    for reason in refused:
        modeladmin.message_user(request, reason, messages.ERROR)


@admin.action(description="Apply the staged decisions of the selected", permissions=["change"])
def apply_decisions(modeladmin, request, queryset):
    applied, refused = decisions.apply(list(queryset.values_list("pk", flat=True)), by=request.user)
    report_applied(modeladmin, request, applied, refused)


class AppliedFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("staged", "Staged"), ("applied", "Applied")]

    def queryset(self, request, queryset):
        if self.value() in ("staged", "applied"):
            return queryset.filter(applied_at__isnull=self.value() == "staged")
        return queryset


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Every decision, staged or applied; staging happens on the EOIs."""

    list_display = [
        "expression_of_interest",
        "applicant",
        "project",
        "outcome",
        "role",
        "staged_by",
        "staged_at",
        "applied_at",
    ]
    list_select_related = ["expression_of_interest", "project", "staged_by"]
    list_filter = [AppliedFilter, "outcome", "project__workstream", "project"]
    search_fields = ["expression_of_interest__reference", "expression_of_interest__full_name"]
    actions = ["apply_selected"]
    readonly_fields = [
        "expression_of_interest",
        "project",
        "outcome",
        "role",
        "staged_by",
        "staged_at",
        "applied_by",
        "applied_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.is_applied)

    def has_apply_permission(self, request):
        return request.user.has_perm("participants.change_decision")

    @admin.display(description="applicant")
    def applicant(self, decision):
        return decision.expression_of_interest.full_name

    @admin.action(
        description="Apply the decisions of the selected expressions of interest",
        permissions=["apply"],
    )
    def apply_selected(self, request, queryset):
        eoi_ids = set(queryset.values_list("expression_of_interest", flat=True))
        applied, refused = decisions.apply(eoi_ids, by=request.user)
        report_applied(self, request, applied, refused)


@admin.register(TeamMembership)
class TeamMembershipAdmin(HistoryAdmin):
    """The project teams; people join them by applied decisions."""

    list_display = ["project", "member", "role", "expression_of_interest", "added_by", "added_at"]
    list_select_related = ["project", "member", "expression_of_interest", "added_by"]
    list_filter = ["project__workstream", "project", "role"]
    search_fields = ["member__email", "member__full_name", "project__code"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ViewOnly, HistoryAdmin):
    """Co-chairs' recommendations, made in their workspace; read here."""

    list_display = ["expression_of_interest", "project", "verdict", "co_chair", "made_at"]
    list_select_related = ["expression_of_interest", "project", "co_chair"]
    list_filter = ["verdict", "project__workstream", "project"]
    search_fields = ["expression_of_interest__reference", "expression_of_interest__full_name"]
    readonly_fields = [*list_display, "comment"]


@admin.register(CoChairInterest)
class CoChairInterestAdmin(HistoryAdmin):
    list_display = ["co_chair", "organisation", "declared_at"]
    list_select_related = ["co_chair"]
    search_fields = ["co_chair__email", "co_chair__full_name", "organisation"]
    autocomplete_fields = ["co_chair"]
