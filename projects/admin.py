from django import forms
from django.contrib import admin

from stepchange.admin_deletion import archive_action
from stepchange.admin_history import HistoryAdmin

from .models import Call, EthicsReview, KeyActivity, Milestone, Project, ProjectQuestion


class EthicsReviewInline(admin.StackedInline):
    """Reviews that the project gives nobody an inappropriate commercial advantage."""

    model = EthicsReview
    extra = 0
    fields = ["reviewer", "reviewed_on", "outcome", "notes", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(Project)
class ProjectAdmin(HistoryAdmin):
    # A project's texts carry no rules a revert could bypass: the office may
    # restore an earlier version from its history.
    allow_revert = True
    inlines = [EthicsReviewInline]
    list_display = ["code", "short_title", "workstream", "status", "archived", "order"]
    list_select_related = ["workstream"]
    list_filter = ["workstream", "status", "archived"]
    search_fields = ["code", "action", "vision_for_success"]
    ordering = ["code"]
    actions = [
        archive_action(
            "Archive the selected projects",
            "{count} archived: hidden from the public pages and from new expressions of interest.",
        )
    ]
    instead_of_deleting = "Archive it instead: tick Archived on its page."

    def save_formset(self, request, form, formset, change):
        for review_form in formset.forms:
            if review_form.has_changed():
                review_form.instance.recorded_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "opens", "closes", "is_demonstration"]
    list_filter = ["is_demonstration"]
    search_fields = ["title", "version", "contact_email"]
    date_hierarchy = "closes"
    filter_horizontal = ["projects"]
    instead_of_deleting = "A call closes by its closing date; its records are kept."
    fieldsets = [
        (None, {"fields": ["title", "version", "is_demonstration", "contact_email"]}),
        ("Dates (Europe/London)", {"fields": ["opens", "closes", "reminder_days"]}),
        ("Projects", {"fields": ["projects"]}),
        (
            "Statements",
            {
                "fields": [
                    "introduction",
                    "background",
                    "workstreams_statement",
                    "participation_statement",
                    "confidentiality_statement",
                    "ethics_statement",
                ]
            },
        ),
    ]


class MilestoneForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label="Reminded",
        choices=Milestone.Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Milestone
        fields = ["date", "title", "order", "audiences", "reminder_days"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    form = MilestoneForm
    list_display = ["date", "title", "reminder_days", "order"]
    search_fields = ["title"]
    date_hierarchy = "date"
    ordering = ["date", "order"]


@admin.register(KeyActivity)
class KeyActivityAdmin(admin.ModelAdmin):
    list_display = ["order", "when", "activity"]
    list_display_links = ["when"]
    search_fields = ["when", "activity"]
    ordering = ["order"]


@admin.register(ProjectQuestion)
class ProjectQuestionAdmin(admin.ModelAdmin):
    """Questions arrive from the project pages; the office only marks them answered."""

    list_display = ["asked_at", "project", "name", "email", "answered"]
    list_select_related = ["project"]
    list_filter = ["answered", "project"]
    search_fields = ["name", "email", "question"]
    ordering = ["-asked_at"]
    date_hierarchy = "asked_at"
    fields = ["project", "name", "email", "asked_by", "asked_at", "question", "answered"]
    readonly_fields = ["project", "name", "email", "asked_by", "asked_at", "question"]
    actions = ["mark_answered"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Mark the selected questions answered", permissions=["change"])
    def mark_answered(self, request, queryset):
        count = queryset.filter(answered=False).update(answered=True)
        self.message_user(request, f"{count} marked answered.")
