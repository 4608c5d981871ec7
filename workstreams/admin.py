from django.contrib import admin

from .models import Workstream


@admin.register(Workstream)
class WorkstreamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "business_co_chair", "police_co_chair", "order"]
    list_select_related = ["business_co_chair", "police_co_chair"]
    search_fields = ["code", "name", "listed_as", "description"]
    list_filter = [
        ("business_co_chair", admin.EmptyFieldListFilter),
        ("police_co_chair", admin.EmptyFieldListFilter),
    ]
    ordering = ["order", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["business_co_chair", "police_co_chair"]
