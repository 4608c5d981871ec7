from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Programme content"

    def ready(self):
        # Registers the notices this app sends in the core's registry.
        from . import notices  # noqa: F401
