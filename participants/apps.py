from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self):
        # Registers the notices this app sends, and the admin's preview of them.
        from . import notice_previews, notices  # noqa: F401
