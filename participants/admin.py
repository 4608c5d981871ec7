from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models

from . import triage
from .models import (
    Amendment,
    ConflictOfInterest,
    ExpressionOfInterest,
    ProjectInterest,
    StatusChange,
    User,
    ValidationCheck,
)


class UserChangeFormByEmail(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserCreationFormByEmail(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeFormByEmail
    add_form = UserCreationFormByEmail
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal details", {"fields": ["full_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


class ProjectInterestInline(admin.TabularInline):
    model = ProjectInterest
    extra = 0
    autocomplete_fields = ["project"]


class ConflictInline(admin.StackedInline):
    model = ConflictOfInterest
    extra = 0
    filter_horizontal = ["projects"]


class AmendmentInline(admin.TabularInline):
    """What the applicant changed after sending, and when: read only."""

    model = Amendment
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "section", "changes"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class ValidationCheckInline(admin.TabularInline):
    model = ValidationCheck
    extra = 0
    readonly_fields = ["recorded_at"]
    fields = ["method", "result", "note", "recorded_by", "recorded_at"]
    autocomplete_fields = ["recorded_by"]


class StatusChangeInline(admin.TabularInline):
    """Who moved the EOI from which status to which, and when: read only."""

    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "from_status", "to_status", "changed_by"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


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


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [
        triage_action(
            ExpressionOfInterest.Status.UNDER_REVIEW, "Mark the selected as under review"
        ),
        triage_action(ExpressionOfInterest.Status.SHORTLISTED, "Shortlist the selected"),
    ]
    list_display = [
        "reference",
        "full_name",
        "organisation_name",
        "sector",
        "status",
        "submitted_at",
        "updated_at",
    ]
    list_select_related = ["call", "applicant"]
    list_filter = ["call", "status", "sector"]
    search_fields = [
        "reference",
        "full_name",
        "applicant__email",
        "work_email",
        "organisation_name",
    ]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["applicant"]
    inlines = [
        ProjectInterestInline,
        ConflictInline,
        ValidationCheckInline,
        AmendmentInline,
        StatusChangeInline,
    ]
    # Status moves go through the triage actions, which check and record them.
    readonly_fields = [
        "reference",
        "status",
        "created_at",
        "updated_at",
        "submitted_at",
        "withdrawn_at",
    ]
