from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self):
        from stepchange import retention

        # Registers the notices this app sends (with their previews) in the core's registry.
        from . import notices  # noqa: F401
        from .appointments import connect as connect_appointments
        from .data_protection.retention import retention_periods

        # The privacy notice states how long this app keeps what it holds.
        retention.register_retention_periods(retention_periods)
        # A co-chair appointed to a workstream's seat is told, once.
        connect_appointments()
        # Reading a page writes the access log, which no kept page shows.
        from stepchange import personal_pages

        from .models import PersonalDataAccess

        personal_pages.quiet(PersonalDataAccess)
