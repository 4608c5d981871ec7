"""The expression of interest's "Declarations" page: the programme's terms, in its own words."""

from crispy_forms_gds.layout import Field
from django.conf import settings

from ..models import ExpressionOfInterest
from .base import SectionForm, gds_helper


class DeclarationsForm(SectionForm):
    required_fields = (
        "accepts_confidentiality",
        "accepts_voluntary",
        "undertakes_to_declare",
        "read_privacy_notice",
    )

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "accepts_confidentiality",
            "accepts_voluntary",
            "undertakes_to_declare",
            "read_privacy_notice",
        ]
        error_messages = {
            "accepts_confidentiality": {
                "required": "Confirm that you accept the work is in confidence"
            },
            "accepts_voluntary": {
                "required": "Confirm that you accept participation is voluntary and unfunded"
            },
            "undertakes_to_declare": {
                "required": "Confirm that you will declare conflicts of interest as they arise"
            },
            "read_privacy_notice": {"required": "Confirm that you have read the privacy notice"},
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        # The labels are the document's own words, so that what is agreed is what it says.
        self.fields["accepts_confidentiality"].label = (
            "I support the principle that whilst any work undertaken for Step Change is not "
            "classified, it is in confidence."
        )
        self.fields["accepts_voluntary"].label = (
            "I understand that there is no funding stream attached to the Step Change Programme: "
            "participation is voluntary, both in terms of time donated to the work-streams and any "
            "miscellaneous expenses encountered (such as travel and personal refreshments)."
        )
        self.fields[
            "undertakes_to_declare"
        ].label = "I will declare any conflicts of interest that may exist, as they arise."
        self.fields[
            "read_privacy_notice"
        ].label = f"I have read the privacy notice (version {settings.PRIVACY_NOTICE_VERSION})."
        self.helper = gds_helper(
            Field.checkbox("accepts_confidentiality"),
            Field.checkbox("accepts_voluntary"),
            Field.checkbox("undertakes_to_declare"),
            Field.checkbox("read_privacy_notice"),
        )

    def save(self, commit=True):
        self.instance.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
        return super().save(commit)
