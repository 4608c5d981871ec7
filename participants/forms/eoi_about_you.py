"""The expression of interest's first two question pages: the applicant and their organisation."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from ..models import ExpressionOfInterest
from ..validators import PHONE_HINT, normalise_phone
from .base import SectionForm, gds_helper
from .reveals import RadiosWithReveals


class DetailsForm(SectionForm):
    required_fields = ("full_name", "job_title", "work_phone", "work_email")

    class Meta:
        model = ExpressionOfInterest
        fields = ["full_name", "job_title", "work_phone", "work_email"]
        labels = {"work_phone": "Work telephone number", "work_email": "Work email address"}
        error_messages = {
            "full_name": {"required": "Enter your full name"},
            "job_title": {"required": "Enter your job title"},
            "work_phone": {"required": "Enter your work telephone number"},
            "work_email": {
                "required": "Enter your work email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_email"].help_text = "We will use this to contact you about the projects."
        self.fields["work_phone"].help_text = PHONE_HINT
        self.helper = gds_helper(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Field.text("work_phone", field_width=Fluid.ONE_HALF),
            Field.text("work_email", field_width=Fluid.TWO_THIRDS),
        )
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["work_phone"].widget.attrs.update(autocomplete="tel", type="tel")
        self.fields["work_email"].widget.attrs.update(autocomplete="email", spellcheck="false")

    def clean_work_phone(self):
        return normalise_phone(self.cleaned_data["work_phone"])


class OrganisationForm(SectionForm):
    required_fields = ("organisation_name", "sector")
    website = forms.URLField(
        label="Organisation website (optional)",
        max_length=300,
        assume_scheme="https",
        required=False,
        error_messages={
            "invalid": "Enter a web address in the correct format, like www.example.org"
        },
    )
    memberships = forms.MultipleChoiceField(
        label="Is your organisation a member of either of these?",
        help_text="Select all that apply.",
        choices=[("ieg", "Industry Engagement Group (IEG)"), ("cssc", "CSSC")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ExpressionOfInterest
        fields = ["organisation_name", "sector", "sector_other", "organisation_size", "website"]
        labels = {
            "organisation_name": "Name of your organisation",
            "sector": "Which sector is your organisation in?",
            "sector_other": "Which sector?",
            "organisation_size": "How big is your organisation?",
            "website": "Organisation website (optional)",
        }
        widgets = {
            "sector": forms.RadioSelect,
            "organisation_size": forms.RadioSelect,
        }
        error_messages = {
            "organisation_name": {"required": "Enter the name of your organisation"},
            "sector": {"required": "Select your organisation's sector"},
            "website": {
                "invalid": "Enter a web address in the correct format, like www.example.org"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = ExpressionOfInterest.Sector.choices
        self.fields["organisation_size"].choices = ExpressionOfInterest.OrganisationSize.choices
        if self.instance.pk:
            self.initial["memberships"] = [
                name
                for name, member in [
                    ("ieg", self.instance.ieg_member),
                    ("cssc", self.instance.cssc_member),
                ]
                if member
            ]
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["website"].widget.attrs.update(autocomplete="url", spellcheck="false")
        self.helper = gds_helper(
            Field.text("organisation_name", field_width=Fluid.TWO_THIRDS),
            # "Which sector?" under Other, the size under Private sector; clean()
            # keeps each only under its answer.
            RadiosWithReveals(
                "sector",
                {
                    ExpressionOfInterest.Sector.PRIVATE: Field.radios(
                        "organisation_size", legend_size=Size.SMALL
                    ),
                    ExpressionOfInterest.Sector.OTHER: Field.text(
                        "sector_other", field_width=Fluid.ONE_HALF
                    ),
                },
                legend_size=Size.SMALL,
            ),
            Field.text("website", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("memberships", legend_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        sector = cleaned.get("sector")
        if (
            sector == ExpressionOfInterest.Sector.OTHER
            and not cleaned.get("sector_other", "").strip()
        ):
            self.add_error("sector_other", "Enter your organisation's sector")
        if sector != ExpressionOfInterest.Sector.OTHER:
            cleaned["sector_other"] = ""
        if sector == ExpressionOfInterest.Sector.PRIVATE and not cleaned.get("organisation_size"):
            self.add_error("organisation_size", "Select how big your organisation is")
        if sector and sector != ExpressionOfInterest.Sector.PRIVATE:
            cleaned["organisation_size"] = ""
        return cleaned

    def save(self, commit=True):
        memberships = self.cleaned_data.get("memberships", [])
        self.instance.ieg_member = "ieg" in memberships
        self.instance.cssc_member = "cssc" in memberships
        self.instance.sector_other = self.cleaned_data.get("sector_other", "")
        self.instance.organisation_size = self.cleaned_data.get("organisation_size", "")
        return super().save(commit)
