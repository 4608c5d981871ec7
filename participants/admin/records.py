"""Conflicts of interest and validation checks across every EOI, with their history.

They are recorded and decided on the expression of interest's page; these
lists find them across EOIs (conflicts awaiting a decision, failed checks)
and show each one's history: who changed what, and when.
"""

from django.contrib import admin

from stepchange.admin_history import HistoryAdmin

from ..models import ConflictOfInterest, ValidationCheck
from .view_only import ViewOnly


class RecordedOnTheEOI(ViewOnly, HistoryAdmin):
    """Recorded and decided on the EOI's page; listed here."""


class AwaitingDecisionFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("awaiting", "Awaiting a decision"), *ConflictOfInterest.Outcome.choices]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(outcome="")
        if self.value() in ConflictOfInterest.Outcome.values:
            return queryset.filter(outcome=self.value())
        return queryset


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(RecordedOnTheEOI):
    list_display = [
        "expression_of_interest",
        "organisation",
        "nature",
        "outcome",
        "decided_by",
        "decided_at",
    ]
    list_select_related = ["expression_of_interest", "decided_by"]
    list_filter = [AwaitingDecisionFilter, "nature"]
    search_fields = ["expression_of_interest__reference", "organisation"]
    date_hierarchy = "declared_at"


@admin.register(ValidationCheck)
class ValidationCheckAdmin(RecordedOnTheEOI):
    list_display = ["expression_of_interest", "method", "result", "recorded_by", "recorded_at"]
    list_select_related = ["expression_of_interest", "recorded_by"]
    list_filter = ["method", "result"]
    search_fields = ["expression_of_interest__reference"]
    date_hierarchy = "recorded_at"
