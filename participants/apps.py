from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self):
        # Registers the notices this app sends (with their previews) in the core's registry.
        from . import notices  # noqa: F401
