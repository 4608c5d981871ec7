from django.apps import AppConfig


class StepChangeConfig(AppConfig):
    name = "stepchange"
    verbose_name = "Service"

    def ready(self):
        from . import page_cache, session_limits  # noqa: F401  (connects its sign-in receiver)

        page_cache.connect()
        # The admin discovered every ModelAdmin in its own ready(), which ran first.
        from .admin_queries import guard_every_admin

        guard_every_admin()
