from django.apps import AppConfig


class StepChangeConfig(AppConfig):
    name = "stepchange"
    verbose_name = "Service"

    def ready(self):
        # Before any URLconf is read: the feature apps' routes use <reference:...>, <code:...>.
        from . import converters

        converters.register()
        # personal_pages, session_limits and two_factor connect their receivers (a new
        # database connection, sign-in, a new app).
        # The feature apps register with the core from their own ready(): the
        # models that clear the page cache, the privileged roles, the retention periods.
        from . import personal_pages, session_limits, two_factor  # noqa: F401

        # The admin discovered every ModelAdmin in its own ready(), which ran first.
        from .admin_queries import guard_every_admin

        # The outbox hands notices to its tasks by their registered names
        # (notices/outbox.py), so they are registered in every process, not
        # only in the worker that discovers them.
        from .notices import tasks  # noqa: F401

        guard_every_admin()
