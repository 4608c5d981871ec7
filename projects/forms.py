from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size, Submit
from django import forms

from stepchange.plain_text import PlainTextForm
from workstreams.models import Workstream

from .models import Project, ProjectQuestion


class ProjectFilterForm(PlainTextForm):
    """The catalogue's filters, read from the query string."""

    workstream = forms.ModelMultipleChoiceField(
        label="Workstream",
        queryset=Workstream.objects.listed().order_by("order", "code"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    status = forms.MultipleChoiceField(
        label="Status",
        choices=Project.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.checkboxes("workstream", legend_size=Size.SMALL, small=True),
            Field.checkboxes("status", legend_size=Size.SMALL, small=True),
            Button("filter", "Apply filters", css_class="govuk-button--secondary"),
        )

    def filter(self, projects):
        """The projects that match the valid filters; invalid values are ignored."""
        if not self.is_valid():
            return projects
        if self.cleaned_data["workstream"]:
            projects = projects.filter(workstream__in=self.cleaned_data["workstream"])
        if self.cleaned_data["status"]:
            projects = projects.filter(status__in=self.cleaned_data["status"])
        return projects


class ProjectQuestionForm(PlainTextForm):
    """A question to the coordination office about one project."""

    name = forms.CharField(
        label="Your name",
        max_length=ProjectQuestion.NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter your name",
            "max_length": f"Your name must be {ProjectQuestion.NAME_MAX_LENGTH} characters "
            "or fewer",
        },
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="The Programme Coordination Office will reply to this address.",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Your email address must be 254 characters or fewer",
        },
    )
    question = forms.CharField(
        label="Your question",
        # crispy-forms-gds 2.0.1 needs a hint on a character-counted textarea.
        help_text="Ask about the project's work, the roles it needs or how to take part. "
        "Do not include anything in confidence.",
        widget=forms.Textarea,
        max_length=ProjectQuestion.QUESTION_MAX_LENGTH,
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your question must be {ProjectQuestion.QUESTION_MAX_LENGTH} "
            "characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # The server checks the length and says so; a maxlength attribute
            # would cut a pasted answer short without a word.
            field.widget.attrs.pop("maxlength", None)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.textarea("question", rows=8, max_characters=ProjectQuestion.QUESTION_MAX_LENGTH),
            Submit("submit", "Send question"),
        )

    def full_clean(self):
        super().full_clean()
        # crispy-forms-gds 2.0.1 marks a text input or textarea in error with
        # govuk-input--error, and an email input not at all.
        for name, css_class in [
            ("email", "govuk-input--error"),
            ("question", "govuk-textarea--error"),
        ]:
            if name in self.errors:
                self.fields[name].widget.attrs["class"] = css_class
