from django.apps import AppConfig


class StepChangeConfig(AppConfig):
    name = "stepchange"
    verbose_name = "Service"

    def ready(self):
        # session_limits and two_factor connect their receivers (sign-in, a new app).
        from . import page_cache, session_limits, two_factor  # noqa: F401

        page_cache.connect()
        # The admin discovered every ModelAdmin in its own ready(), which ran first.
        from .admin_queries import guard_every_admin

        guard_every_admin()
