from django.apps import AppConfig


class StepChangeConfig(AppConfig):
    name = "stepchange"
    verbose_name = "Service"

    def ready(self):
        # session_limits and two_factor connect their receivers (sign-in, a new app).
        from . import page_cache, session_limits, two_factor  # noqa: F401

        page_cache.connect()
