from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Programme content"

    def ready(self):
        # Registers the notices this app sends.
        from . import notices  # noqa: F401
