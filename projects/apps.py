from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Programme content"

    def ready(self):
        from stepchange import page_cache

        from . import notices  # noqa: F401  (registers the notices this app sends)
        from .models import Call, KeyActivity, Milestone, Project

        # The public pages show calls, projects, milestones and the timeline.
        page_cache.clear_on_change(Call, KeyActivity, Milestone, Project)
        page_cache.clear_on_links_change(Call.projects.through)
