"""The log of who viewed or exported applicants' personal data: read, never changed."""

from django.contrib import admin

from ..models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["accessed_at", "user", "what", "path"]
    list_filter = ["accessed_at"]
    list_select_related = ["user"]
    search_fields = ["what", "path", "user__email"]
    date_hierarchy = "accessed_at"
    readonly_fields = ["accessed_at", "user", "what", "path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
