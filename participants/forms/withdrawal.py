"""Withdrawing an expression of interest: the optional reason."""

from crispy_forms_gds.layout import Field
from django import forms

from stepchange.plain_text import PlainTextForm

from .base import gds_helper


class WithdrawForm(PlainTextForm):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        help_text="This helps the Programme Coordination Office. You do not have to say.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        error_messages={
            "max_length": "Your reason must be 1000 characters or fewer",
            "control_characters": "Your reason must not contain control characters",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", max_characters=1000), submit=None)
