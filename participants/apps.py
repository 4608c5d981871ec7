from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self):
        # Registers the admin's preview of the notices this app sends.
        from . import notice_previews  # noqa: F401
