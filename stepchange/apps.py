from django.apps import AppConfig


class StepChangeConfig(AppConfig):
    name = "stepchange"
    verbose_name = "Service"

    def ready(self):
        from . import page_cache, session_limits  # noqa: F401  (connects its sign-in receiver)

        page_cache.connect()
