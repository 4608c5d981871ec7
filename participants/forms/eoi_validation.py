"""The EOI's "How we can validate you" page: the referee, vetting, SIA licence."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from ..models import ExpressionOfInterest
from ..validators import PHONE_HINT, normalise_phone, validate_sia_licence
from .base import SectionForm, gds_helper


class ValidationForm(SectionForm):
    required_fields = (
        "referee_name",
        "referee_job_title",
        "referee_email",
        "referee_phone",
        "referee_relationship",
        "referee_consent",
    )

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "referee_name",
            "referee_job_title",
            "referee_email",
            "referee_phone",
            "referee_relationship",
            "referee_consent",
            "vetting",
            "sia_licence_number",
        ]
        labels = {
            "referee_name": "Referee's full name",
            "referee_job_title": "Referee's job title",
            "referee_email": "Referee's work email address",
            "referee_phone": "Referee's work telephone number",
            "referee_relationship": "How does your referee know you?",
            "referee_consent": (
                "I agree that the Programme Coordination Office may contact my referee"
            ),
            "vetting": "What security vetting do you hold? (optional)",
            "sia_licence_number": "SIA licence number (optional)",
        }
        widgets = {"vetting": forms.RadioSelect}
        error_messages = {
            "referee_name": {"required": "Enter your referee's full name"},
            "referee_job_title": {"required": "Enter your referee's job title"},
            "referee_email": {
                "required": "Enter your referee's work email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            },
            "referee_phone": {"required": "Enter your referee's work telephone number"},
            "referee_relationship": {"required": "Enter how your referee knows you"},
            "referee_consent": {
                "required": "Confirm that we may contact your referee",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "referee_name"
        ].help_text = (
            "Someone at your organisation who can confirm who you are and that you work there."
        )
        self.fields["referee_relationship"].help_text = "For example, line manager."
        self.fields["vetting"].choices = ExpressionOfInterest.Vetting.choices
        self.fields[
            "sia_licence_number"
        ].help_text = "If you work in private security: the 16-digit number on your SIA licence."
        self.fields["referee_email"].widget.attrs["spellcheck"] = "false"
        self.fields["referee_phone"].widget.attrs["type"] = "tel"
        self.fields["referee_phone"].help_text = PHONE_HINT
        self.helper = gds_helper(
            Field.text("referee_name", field_width=Fluid.TWO_THIRDS),
            Field.text("referee_job_title", field_width=Fluid.TWO_THIRDS),
            Field.text("referee_email", field_width=Fluid.TWO_THIRDS),
            Field.text("referee_phone", field_width=Fluid.ONE_HALF),
            Field.text("referee_relationship", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("referee_consent"),
            Field.radios("vetting", legend_size=Size.SMALL),
            Field.text("sia_licence_number", field_width=Fluid.ONE_HALF),
        )

    def clean_referee_phone(self):
        return normalise_phone(self.cleaned_data["referee_phone"])

    def clean_referee_email(self):
        # Any address of the applicant's, verified or not, and their work email:
        # a referee request sent to one of them would let them confirm themselves.
        email = self.cleaned_data["referee_email"]
        if email.strip().lower() in self.instance.applicant_addresses():
            raise forms.ValidationError(
                "Your referee must be someone else: enter their email address, not yours"
            )
        return email

    def clean_sia_licence_number(self):
        number = self.cleaned_data["sia_licence_number"].strip()
        if number:
            validate_sia_licence(number)
        return number.replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("referee_name") or "").strip().casefold()
        own_name = (self.instance.full_name or "").strip().casefold()
        if name and own_name and name == own_name:
            self.add_error("referee_name", "Your referee must be someone else, not you")
        return cleaned
