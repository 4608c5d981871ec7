from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The co-chairs' workspace: their workstream's projects, texts, applicants and
    teams. It reads what participants hold, so it sits above every other feature
    app; it has no models of its own."""

    name = "workspace"
    verbose_name = "Co-chairs' workspace"
