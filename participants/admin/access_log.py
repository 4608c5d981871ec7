"""The log of who viewed or exported applicants' personal data: read, never changed."""

from django.contrib import admin

from ..models import PersonalDataAccess
from .view_only import ViewOnly


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["accessed_at", "user", "what", "path"]
    list_filter = ["accessed_at"]
    list_select_related = ["user"]
    search_fields = ["what", "path", "user__email"]
    date_hierarchy = "accessed_at"
    readonly_fields = ["accessed_at", "user", "what", "path"]
