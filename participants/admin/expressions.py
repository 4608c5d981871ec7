from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format

from stepchange.admin_history import HistoryAdmin
from stepchange.personal_pages import personal_page

from .. import exports, triage
from ..models import (
    ConflictOfInterest,
    Decision,
    ExclusionOverride,
    ExportLog,
    ExpressionOfInterest,
    ProjectInterest,
    Recommendation,
    ValidationCheck,
    ValidationStatus,
    email_domain,
    normalise_domain,
)
from ..sections import SECTIONS
from .decisions import (
    PROJECT_FILTER,
    AppliedDecisionInline,
    ExclusionOverrideInline,
    PendingDecisionInline,
    RecommendationInline,
    TeamMembershipInline,
    apply_decisions,
    stage_decision,
)
from .eoi_page import (
    RECORD_FIELDS,
    AmendmentInline,
    ConflictInline,
    StatusChangeInline,
    TriageForm,
    ValidationCheckInline,
)
from .view_only import ViewOnly


def triage_action(status, description):
    """A bulk action moving the selected EOIs to `status`, reporting each refusal."""

    def action(modeladmin, request, queryset):
        moved, refused = triage.move(
            list(queryset.values_list("pk", flat=True)), status, by=request.user
        )
        if moved:
            modeladmin.message_user(
                request, f"{len(moved)} moved to {status.label.lower()}.", messages.SUCCESS
            )
        for reason in refused:
            modeladmin.message_user(request, reason, messages.ERROR)

    action.__name__ = f"move_to_{status.value}"
    action.short_description = description
    action.allowed_permissions = ("change",)
    return action


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.as_xlsx),
}


@admin.register(ExportLog)
class ExportLogAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["exported_at", "exported_by", "what", "file_format", "rows", "filters"]
    list_filter = ["file_format", "exported_at"]
    readonly_fields = ["exported_at", "exported_by", "what", "file_format", "rows", "filters"]


class ValidationStatusFilter(admin.SimpleListFilter):
    title = "validation status"
    parameter_name = "validation"

    def lookups(self, request, model_admin):
        return ValidationStatus.choices

    def queryset(self, request, queryset):
        if self.value() in ValidationStatus.values:
            return queryset.filter(validation_status=self.value())
        return queryset


class ProjectCodeFilter(admin.RelatedFieldListFilter):
    """Projects by code and the first words of their action, not the whole action."""

    def field_choices(self, field, request, model_admin):
        projects = field.related_model.objects.order_by("code").only("code", "action")
        return [(project.pk, short_label(project)) for project in projects]


def short_label(project, words=6):
    first = project.action.split()
    return f"{project.code} – {' '.join(first[:words])}{'…' if len(first) > words else ''}"


class RecommendedFilter(admin.SimpleListFilter):
    """Co-chairs' recommendations; for the filtered project when one is chosen."""

    title = "recommended by a co-chair"
    parameter_name = "recommended"
    VERDICTS = {
        "lead": [Recommendation.Verdict.LEAD],
        "member": [Recommendation.Verdict.MEMBER],
        "either": [Recommendation.Verdict.LEAD, Recommendation.Verdict.MEMBER],
        "not": [Recommendation.Verdict.NOT_RECOMMENDED],
    }

    def lookups(self, request, model_admin):
        return [
            ("either", "As lead or member"),
            ("lead", "As lead"),
            ("member", "As member"),
            ("not", "Not recommended"),
            ("none", "No recommendation yet"),
        ]

    def queryset(self, request, queryset):
        if self.value() not in (*self.VERDICTS, "none"):
            return queryset
        recommendations = Recommendation.objects.filter(expression_of_interest=OuterRef("pk"))
        project = request.GET.get(PROJECT_FILTER, "")
        if project.isdecimal():
            recommendations = recommendations.filter(project_id=project)
        if self.value() == "none":
            return queryset.exclude(Exists(recommendations))
        wanted = recommendations.filter(verdict__in=self.VERDICTS[self.value()])
        return queryset.filter(Exists(wanted))


@admin.action(description="Send the referee request again", permissions=["change"])
def request_referees_again(modeladmin, request, queryset):
    queued, skipped = triage.request_referees_again(list(queryset.values_list("pk", flat=True)))
    if queued:
        modeladmin.message_user(
            request, f"Referee request queued again for {len(queued)}.", messages.SUCCESS
        )
    for reason in skipped:
        modeladmin.message_user(request, reason, messages.WARNING)


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(HistoryAdmin):
    form = TriageForm
    actions = [
        triage_action(
            ExpressionOfInterest.Status.UNDER_REVIEW, "Mark the selected as under review"
        ),
        triage_action(ExpressionOfInterest.Status.SHORTLISTED, "Shortlist the selected"),
        request_referees_again,
        stage_decision,
        apply_decisions,
    ]
    # What the office works with, status first, within a 1,400-pixel window
    # beside the filters: sector and the last change are filters and the page's.
    list_display = [
        "reference",
        "full_name",
        "status",
        "organisation_name",
        "projects_and_roles",
        "validation",
        "referee_check",
        "open_conflicts",
        "submitted",
    ]
    list_select_related = ["call", "applicant"]
    list_filter = [
        "call",
        # Every workstream and project (five and twenty-five), not only those with
        # interests: finding those read every interest on every page view.
        "project_interests__project__workstream",
        ("project_interests__project", ProjectCodeFilter),
        "project_interests__role",
        "status",
        "sector",
        ValidationStatusFilter,
        "conflicts__outcome",
        RecommendedFilter,
    ]
    search_fields = [
        "reference",
        "full_name",
        "applicant__email",
        "work_email",
        "organisation_name",
    ]
    date_hierarchy = "submitted_at"

    def get_queryset(self, request):
        # Every column from a fixed number of queries, whatever the rows.
        return (
            super()
            .get_queryset(request)
            .with_validation_status()
            .with_open_conflicts()
            .prefetch_related(
                Prefetch(
                    "project_interests", queryset=ProjectInterest.objects.select_related("project")
                )
            )
        )

    def get_urls(self):
        return [
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="participants_expressionofinterest_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, file_format):
        """The list as filtered on the page, as CSV or XLSX; every export is logged."""
        if file_format not in EXPORT_FORMATS or not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # As the list answers a filter it does not know: the list, saying so.
            list_url = reverse("admin:participants_expressionofinterest_changelist")
            return HttpResponseRedirect(f"{list_url}?{ERROR_FLAG}=1")
        eois = list(changelist.get_queryset(request))
        content_type, render = EXPORT_FORMATS[file_format]
        ExportLog.objects.create(
            exported_by=request.user,
            what="Expressions of interest",
            file_format=file_format,
            filters=exports.admin_filters(request, changelist),
            rows=len(eois),
        )
        response = HttpResponse(render(eois), content_type=content_type)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="expressions-of-interest-{stamp}.{file_format}"'
        )
        return response

    @admin.display(description="projects and roles")
    def projects_and_roles(self, eoi):
        return ", ".join(
            f"{interest.project.code} ({interest.get_role_display().lower()})"
            for interest in eoi.project_interests.all()
        )

    @admin.display(description="submitted", ordering="submitted_at")
    def submitted(self, eoi):
        if eoi.submitted_at is None:
            return ""
        return date_format(timezone.localtime(eoi.submitted_at), "j M Y")

    @admin.display(description="validation", ordering="validation_status")
    def validation(self, eoi):
        return ValidationStatus(eoi.validation_status).label

    @admin.display(description="referee")
    def referee_check(self, eoi):
        """The list's flag: the office checks a referee at another domain."""
        return "Other domain" if eoi.referee_domain_differs() else ""

    @admin.display(description="referee's email domain")
    def referee_domain(self, eoi):
        """Beside the referee's address: whether it is at the organisation's domain."""
        domain = normalise_domain(email_domain(eoi.referee_email))
        if not domain:
            return "No referee yet"
        if not eoi.referee_domain_differs():
            return f"{domain}: the organisation's"
        known = ", ".join(sorted(eoi.organisation_domains())) or "none given"
        return (
            f"Warning: {domain} is neither the organisation website's domain nor the "
            f"applicant's work email domain ({known}). Check that the referee works at "
            f"{eoi.organisation_name or 'the organisation'}."
        )

    def has_add_permission(self, request):
        return False  # an applicant starts their own

    def get_fieldsets(self, request, obj=None):
        """The record's facts, and the move to another status for those who may change it."""
        fields = list(RECORD_FIELDS)
        if obj is not None and self.has_change_permission(request, obj):
            fields.insert(fields.index("status") + 1, "move_to")
        return [(None, {"fields": fields})]

    # The office comes back to the list and to an EOI's page often: kept for its
    # session until anything changes (stepchange/personal_pages.py).
    def changelist_view(self, request, extra_context=None):
        return personal_page(super().changelist_view, in_a_transaction=False)(
            request, extra_context
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return personal_page(self._change_view, in_a_transaction=False)(
            request, object_id, form_url, extra_context
        )

    def _change_view(self, request, object_id, form_url="", extra_context=None):
        """The applicant's answers as "Check your answers" shows them, without change links."""
        eoi = self.get_object(request, object_id)
        if eoi is not None:
            extra_context = {
                **(extra_context or {}),
                "eoi": eoi,
                "sections": SECTIONS,
                "interests": eoi.project_interests.select_related("project"),
                "conflicts": eoi.conflicts.prefetch_related("projects"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Nothing of the EOI's own is saved from the page (an applicant amending it
        meanwhile keeps their answers); a move goes through triage, which records it."""
        status = form.cleaned_data.get("move_to")
        if not status:
            return
        _, refused = triage.move([obj.pk], status, by=request.user)
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)
        obj.refresh_from_db()

    @admin.display(description="open conflicts", ordering="open_conflicts")
    def open_conflicts(self, eoi):
        return eoi.open_conflicts

    def save_formset(self, request, form, formset, change):
        """Record who decided a conflict's outcome or an override, staged a decision or
        recorded a check."""
        now = timezone.now()
        for inline_form in formset.forms:
            instance, changed = inline_form.instance, inline_form.changed_data
            decided = "outcome" if formset.model is ConflictOfInterest else "reason"
            if formset.model in (ConflictOfInterest, ExclusionOverride) and decided in changed:
                instance.decided_by, instance.decided_at = request.user, now
            elif formset.model is Decision and changed:
                instance.staged_by, instance.staged_at = request.user, now
            elif formset.model is ValidationCheck and changed and instance.pk is None:
                instance.recorded_by = request.user
        super().save_formset(request, form, formset, change)

    inlines = [
        ConflictInline,
        ValidationCheckInline,
        RecommendationInline,
        PendingDecisionInline,
        AppliedDecisionInline,
        ExclusionOverrideInline,
        TeamMembershipInline,
        AmendmentInline,
        StatusChangeInline,
    ]
    # Read only: the record's facts. The applicant's answers are not in the form
    # at all (get_fieldsets); status moves go through triage, which checks and
    # records them; the applicant is whose answers these are (moving an EOI to
    # another account would hand that account someone else's personal data).
    readonly_fields = RECORD_FIELDS
