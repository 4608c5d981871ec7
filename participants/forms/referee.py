"""The referee's answer: can they confirm who the applicant is and where they work."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from stepchange.plain_text import PlainTextForm

from .base import gds_helper


class RefereeAnswerForm(PlainTextForm):
    confirms = forms.ChoiceField(
        label="Can you confirm this?",
        choices=[("yes", "Yes, I can confirm this"), ("no", "No, I cannot confirm this")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if you can confirm who they are and where they work"
        },
    )
    comment = forms.CharField(
        label="Anything you want to add (optional)",
        # crispy-forms-gds 2.0.1 needs a hint on a character-counted textarea.
        help_text="For example, how long you have known them.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        error_messages={
            "max_length": "Your comment must be 1000 characters or fewer",
            "control_characters": "Your comment must not contain control characters",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("confirms", legend_size=Size.MEDIUM),
            Field.textarea("comment", max_characters=1000),
            submit="Send your answer",
        )
