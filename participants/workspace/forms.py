from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.core.validators import MaxLengthValidator

from participants.forms.base import gds_helper
from participants.models import (
    CoChairInterest,
    ExpressionOfInterest,
    ProjectInterest,
    Recommendation,
    ValidationStatus,
)
from projects.models import Project
from stepchange.plain_text import PlainTextForm, PlainTextModelForm

ANY = [("", "Any")]
TEXT_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 1000
# A revision's comment is kept in simple-history's history_change_reason, a varchar(100).
REVISION_COMMENT_MAX_LENGTH = 100


def _error_classes(form, names_and_classes):
    # crispy-forms-gds 2.0.1 gives a text input or textarea in error no error class.
    for name, css_class in names_and_classes:
        if name in form.errors:
            form.fields[name].widget.attrs["class"] = css_class


class ApplicantFilterForm(PlainTextForm):
    """The applicant list's filters, read from the query string; bad values are ignored."""

    role = forms.ChoiceField(
        label="Role", choices=ANY + ProjectInterest.Role.choices, required=False
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ANY
        + [
            (status.value, status.label)
            for status in map(
                ExpressionOfInterest.Status, ExpressionOfInterest.DECIDED_OR_SENT_STATUSES
            )
        ],
        required=False,
    )
    validation = forms.ChoiceField(
        label="Validation", choices=ANY + ValidationStatus.choices, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("role"),
            Field.select("status"),
            Field.select("validation"),
            Button("filter", "Apply filters", css_class="govuk-button--secondary"),
        )

    def filters(self):
        """The valid filters, as keyword arguments of services.applicants."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class ProjectTextForm(PlainTextModelForm):
    """The co-chairs' amendment of a project's texts, with a comment for the revision."""

    comment = forms.CharField(
        label="What did you change, and why?",
        help_text="Kept with this revision in the project's history.",
        max_length=REVISION_COMMENT_MAX_LENGTH,
        error_messages={
            "required": "Say what you changed, and why",
            "max_length": f"The comment must be {REVISION_COMMENT_MAX_LENGTH} characters or fewer",
            "control_characters": "The comment must not contain line breaks or control characters",
        },
    )

    class Meta:
        model = Project
        fields = Project.TEXT_FIELDS
        help_texts = {
            "action": "What the project will do. Shown on its public page.",
            "vision_for_success": "What success looks like. Shown on its public page.",
        }
        error_messages = {
            "action": {"required": "Enter the project's action"},
            "vision_for_success": {"required": "Enter the project's vision for success"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Project.TEXT_FIELDS:
            field = self.fields[name]
            field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
            field.error_messages["max_length"] = (
                f"{field.label} must be {TEXT_MAX_LENGTH} characters or fewer"
            )
        self.helper = gds_helper(
            *[Field.textarea(name, rows=5) for name in Project.TEXT_FIELDS],
            Field.text("comment", field_width=Fluid.FULL),
            submit="Save a new revision",
        )

    def full_clean(self):
        super().full_clean()
        _error_classes(
            self,
            [(name, "govuk-textarea--error") for name in Project.TEXT_FIELDS]
            + [("comment", "govuk-input--error")],
        )


class RecommendationForm(PlainTextForm):
    verdict = forms.ChoiceField(
        label="Your recommendation",
        choices=Recommendation.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your recommendation"},
    )
    comment = forms.CharField(
        label="Comment",
        help_text="The coordination office reads it with your recommendation.",
        widget=forms.Textarea,
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": f"The comment must be {COMMENT_MAX_LENGTH} characters or fewer",
            "control_characters": "The comment must not contain control characters",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("verdict", legend_size=Size.MEDIUM),
            Field.textarea("comment", rows=4),
            submit="Save recommendation",
        )

    def full_clean(self):
        super().full_clean()
        _error_classes(self, [("comment", "govuk-textarea--error")])


class DeclaredInterestForm(PlainTextModelForm):
    class Meta:
        model = CoChairInterest
        fields = ["organisation", "details"]
        labels = {"organisation": "Organisation", "details": "Your interest in it"}
        help_texts = {
            "organisation": "You will not see applicants from an organisation of this name.",
            "details": "For example, a shareholding, a contract, or a relative who works there.",
        }
        error_messages = {
            "organisation": {
                "required": "Enter the organisation's name",
                "max_length": "The organisation's name must be 200 characters or fewer",
            },
            "details": {"control_characters": "Your interest must not contain control characters"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Field.textarea("details", rows=3),
            submit="Declare this interest",
        )

    def clean_details(self):
        details = self.cleaned_data["details"]
        if len(details) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                f"Your interest must be described in {COMMENT_MAX_LENGTH} characters or fewer"
            )
        return details

    def full_clean(self):
        super().full_clean()
        _error_classes(
            self,
            [
                ("organisation", "govuk-input--error"),
                ("details", "govuk-textarea--error"),
            ],
        )
