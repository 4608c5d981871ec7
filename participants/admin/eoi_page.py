"""The expression of interest's page in the admin: the applicant's answers read
only, as a summary, and what the office does (status, checks, conflicts'
outcomes, decisions) as forms.

The applicant's answers are not fields of the page's form, so a POST cannot
change them whatever it holds; the office's work is recorded as it is made
(StatusChange, the inlines' history, the admin's log).
"""

from django import forms
from django.contrib import admin
from django.db import models

from ..models import (
    Amendment,
    ConflictOfInterest,
    ExpressionOfInterest,
    StatusChange,
    ValidationCheck,
)

Status = ExpressionOfInterest.Status

# The moves the office makes on the page, as on the list; accepting and
# declining go through decisions, which place people and write to them.
PAGE_MOVES = [Status.UNDER_REVIEW, Status.SHORTLISTED]


class TriageForm(forms.ModelForm):
    """No field of the EOI's own: only the move to another status, if one is allowed."""

    move_to = forms.ChoiceField(
        label="Move to",
        required=False,
        help_text="Accept and decline by staging decisions on the list.",
    )

    class Meta:
        model = ExpressionOfInterest
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        allowed = ExpressionOfInterest.TRIAGE_MOVES.get(current, set())
        moves = [status for status in PAGE_MOVES if status in allowed]
        label = Status(current).label.lower() if current else "it is"
        self.fields["move_to"].choices = [
            ("", f"Leave it {label}"),
            *((status.value, status.label) for status in moves),
        ]


class ConflictInline(admin.StackedInline):
    """The applicant's declaration, read only; the office's outcome, editable."""

    model = ConflictOfInterest
    extra = 0
    can_delete = False
    fields = [
        ("organisation", "nature"),
        "details",
        "projects",
        "outcome",
        "mitigation",
        "excluded_from",
        ("declared_at", "decided_by", "decided_at"),
    ]
    readonly_fields = [
        "organisation",
        "nature",
        "details",
        "projects",
        "declared_at",
        "decided_by",
        "decided_at",
    ]
    # A plain list: the admin's two-box widget is not accessible (axe) and styles inline (CSP).

    def has_add_permission(self, request, obj=None):
        return False  # declared by the applicant


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
    # Who recorded a check is whoever saved it (ExpressionOfInterestAdmin.save_formset),
    # never chosen: nobody records a check in someone else's name.
    readonly_fields = ["recorded_by", "recorded_at"]
    fields = ["method", "result", "note", "recorded_by", "recorded_at"]
    # A note of a line or two: the row stays within a 1,280-pixel window.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 32})}
    }


class StatusChangeInline(admin.TabularInline):
    """Who moved the EOI from which status to which, and when: read only."""

    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "from_status", "to_status", "changed_by"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


# The page's own fields: facts of the record, all read only.
RECORD_FIELDS = [
    "reference",
    "applicant",
    "status",
    "submitted_at",
    "updated_at",
    "withdrawn_at",
    "referee_domain",
]
