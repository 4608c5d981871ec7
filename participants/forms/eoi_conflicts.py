"""The expression of interest's conflicts of interest: the yes/no question and one declaration."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from stepchange.plain_text import PlainTextForm, PlainTextModelForm

from ..models import ConflictOfInterest
from .base import gds_helper


class ConflictsQuestionForm(PlainTextForm):
    has_conflicts = forms.TypedChoiceField(
        label="Do you have any conflicts of interest to declare?",
        help_text=(
            "For example a financial interest, a commercial product or service, an employment or a "
            "personal relationship that could give you or someone else an advantage from a project."
        ),
        choices=[("yes", "Yes"), ("no", "No, I have none to declare")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have a conflict of interest to declare"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("has_conflicts", legend_size=Size.MEDIUM, legend_tag="h1")
        )


class ConflictForm(PlainTextModelForm):
    class Meta:
        model = ConflictOfInterest
        fields = ["organisation", "nature", "details", "projects"]
        labels = {
            "organisation": "Which organisation is it about?",
            "nature": "What is the nature of the interest?",
            "details": "Give details",
            "projects": "Which of your projects does it touch?",
        }
        widgets = {"nature": forms.RadioSelect, "projects": forms.CheckboxSelectMultiple}
        error_messages = {
            "organisation": {"required": "Enter the organisation the interest is about"},
            "nature": {"required": "Select the nature of the interest"},
            "details": {
                "required": "Give details of the interest",
                "control_characters": "Details must not contain control characters",
            },
            "projects": {"invalid_choice": "Select projects from your expression of interest"},
        }

    def __init__(self, *args, eoi, **kwargs):
        super().__init__(*args, **kwargs)
        from projects.models import Project

        self.fields["nature"].choices = ConflictOfInterest.Nature.choices
        self.fields["projects"].queryset = Project.objects.filter(
            interests__expression_of_interest=eoi
        ).order_by("code")
        self.fields["projects"].label_from_instance = lambda project: (
            f"{project.code}: {project.short_title}"
        )
        self.fields[
            "projects"
        ].help_text = "Select all that apply. Leave blank if it touches none directly."
        # crispy-forms-gds 2.0.1 needs a hint on a character-counted textarea.
        self.fields["details"].help_text = "What the interest is, and how it could touch the work."
        self.fields["details"].max_length = 2000
        self.fields["details"].widget.attrs["maxlength"] = None
        self.helper = gds_helper(
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Field.radios("nature", legend_size=Size.SMALL),
            Field.textarea("details", max_characters=2000),
            Field.checkboxes("projects", legend_size=Size.SMALL),
            submit="Add this declaration",
        )

    def clean_details(self):
        details = self.cleaned_data["details"]
        if len(details) > 2000:
            raise forms.ValidationError("Details must be 2000 characters or fewer")
        return details
