from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self):
        from stepchange import retention

        # Registers the notices this app sends (with their previews) in the core's registry.
        from . import notices  # noqa: F401
        from .data_protection.retention import retention_periods

        # The privacy notice states how long this app keeps what it holds.
        retention.register_retention_periods(retention_periods)
