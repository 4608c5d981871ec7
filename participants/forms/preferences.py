"""Which reminders the account holder wants."""

from crispy_forms_gds.layout import Field

from stepchange.plain_text import PlainTextModelForm

from ..models import User
from .base import gds_helper


class ReminderPreferencesForm(PlainTextModelForm):
    class Meta:
        model = User
        fields = ["reminders_about_applications", "programme_reminders"]
        labels = {
            "reminders_about_applications": "Remind me about my expressions of interest",
            "programme_reminders": "Remind me of the programme's closing dates and milestones",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.checkbox("reminders_about_applications"),
            Field.checkbox("programme_reminders"),
            submit="Save your preferences",
        )
