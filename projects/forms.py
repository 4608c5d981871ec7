from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from workstreams.models import Workstream

from .models import Project


class ProjectFilterForm(forms.Form):
    """The catalogue's filters, read from the query string."""

    workstream = forms.ModelMultipleChoiceField(
        label="Workstream",
        queryset=Workstream.objects.order_by("order", "code"),
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
