from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join

from stepchange.admin_deletion import archive_action

from .models import Workstream


@admin.register(Workstream)
class WorkstreamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "business_co_chair", "police_co_chair", "archived", "order"]
    list_select_related = ["business_co_chair", "police_co_chair"]
    search_fields = ["code", "name", "listed_as", "description"]
    list_filter = [
        ("business_co_chair", admin.EmptyFieldListFilter),
        ("police_co_chair", admin.EmptyFieldListFilter),
        "archived",
    ]
    ordering = ["order", "code"]
    prepopulated_fields = {"slug": ["name"]}
    # A search by name or email address (the user admin's search_fields).
    autocomplete_fields = ["business_co_chair", "police_co_chair"]
    readonly_fields = ["co_chair_accounts"]
    # The co-chairs first: appointing them is what the office comes here for.
    fieldsets = [
        (
            "Co-chairs",
            {
                "fields": ["business_co_chair", "police_co_chair", "co_chair_accounts"],
                "description": "Search for a person by name or email address. "
                "They need an account on the portal first.",
            },
        ),
        (None, {"fields": ["code", "slug", "name", "listed_as", "description", "order"]}),
        ("Archive", {"fields": ["archived"]}),
    ]
    actions = [
        archive_action(
            "Archive the selected workstreams",
            "{count} archived: hidden, with their projects, from the public pages and from "
            "new expressions of interest.",
        )
    ]
    instead_of_deleting = "Archive it instead: tick Archived on its page."

    @admin.display(description="co-chairs' accounts")
    def co_chair_accounts(self, workstream):
        """Links to the co-chairs' account pages, where their declared interests are kept."""
        chairs = [c for c in (workstream.business_co_chair, workstream.police_co_chair) if c]
        if not chairs:
            return "No co-chair yet."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:participants_user_change", args=[chair.pk]), chair)
                for chair in chairs
            ),
        )
