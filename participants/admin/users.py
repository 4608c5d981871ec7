"""Accounts in the admin: only superusers give power, or take over an account.

The coordination office (staff, not superusers) reads every account and, on a
stakeholder's (co-chairs included), changes the name, the co-chair's declared
interests and whether the account is active: a deactivation asks why, and the
reason is kept with who and when. Staff status, superuser status, groups,
permissions, the email address (a password reset goes there) and the password
are a superuser's to change; so are staff and superuser accounts, and adding
or deleting any account. All of it is enforced on the server: a field shown
read-only is not in the form, whatever a POST holds.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied

from stepchange.admin_guards import by_superuser

from ..models import AccountStatusChange, CoChairInterest, User

# Who the account is and what it may do: changed by superusers only.
PRIVILEGED_FIELDS = ["email", "is_staff", "is_superuser", "groups", "user_permissions"]


class UserChangeFormByEmail(UserChangeForm):
    deactivation_reason = forms.CharField(
        label="Reason for deactivating",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="Needed when you untick Active: kept with your name and the time.",
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        deactivated = "is_active" in self.changed_data and not cleaned.get("is_active")
        if deactivated and not cleaned.get("deactivation_reason"):
            self.add_error("deactivation_reason", "Say why the account is deactivated.")
        return cleaned


class UserCreationFormByEmail(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name")


class CoChairInterestInline(admin.TabularInline):
    """A co-chair's declared interests: they do not see applicants of these organisations."""

    model = CoChairInterest
    fk_name = "co_chair"
    extra = 0
    fields = ["organisation", "details", "declared_at"]
    verbose_name = "declared interest (for co-chairs)"
    verbose_name_plural = "declared interests (for co-chairs)"


class AccountStatusChangeInline(admin.TabularInline):
    """Deactivations and reactivations, written when the account is saved: read only."""

    model = AccountStatusChange
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = readonly_fields = ["changed_at", "is_active", "reason", "changed_by"]

    def has_view_permission(self, request, obj=None):
        # Part of the account's page: whoever reads the account reads them.
        return request.user.has_perm("participants.view_user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeFormByEmail
    add_form = UserCreationFormByEmail
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    inlines = [CoChairInterestInline, AccountStatusChangeInline]
    instead_of_deleting = "Deactivate the account instead; erasure keeps what was decided."
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        status = ["is_active"]
        if self.has_change_permission(request, obj):
            status.append("deactivation_reason")
        return [
            # The password's link leads to a page where it is set without the old one.
            (None, {"fields": ["email", "password"] if by_superuser(request) else ["email"]}),
            ("Personal details", {"fields": ["full_name", "organisation"]}),
            ("Status", {"fields": status}),
            ("Permissions", {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
            ("Important dates", {"fields": ["last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        facts = ["last_login", "date_joined"]  # what happened, not a setting
        return facts if by_superuser(request) else [*PRIVILEGED_FIELDS, *facts]

    def has_add_permission(self, request):
        # An account made with a password one knows is an account one controls.
        return by_superuser(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or by_superuser(request):
            return allowed
        return allowed and not (obj.is_staff or obj.is_superuser)

    def has_delete_permission(self, request, obj=None):
        return by_superuser(request) and super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not by_superuser(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            AccountStatusChange.objects.create(
                user=obj,
                is_active=obj.is_active,
                reason=form.cleaned_data.get("deactivation_reason", ""),
                changed_by=request.user,
            )
