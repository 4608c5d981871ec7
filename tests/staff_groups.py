"""The staff groups, as their migrations make them, for tests whose database was flushed.

A transactional test (the browser's) empties every table afterwards, groups
included; tests after it that need the groups make them again from the
migrations' own functions, so they have exactly the permissions production has.
"""

import importlib

from django.apps import apps

STEPS = [
    ("0005_staff_groups", "create_groups"),
    ("0008_export_log_permission", "grant"),
    ("0010_grant_decisions_teams_ethics", "grant"),
    ("0012_retention_task_and_access_log_permission", "grant"),
    ("0016_office_sends_notices_again", "grant"),
]


def ensure_staff_groups():
    from django.contrib.auth.models import Group

    if Group.objects.filter(name="Coordination office").exists():
        return
    # The migrations blank each app's models_module after making permissions
    # (right for their historical apps, wrong for the live registry): restore it.
    modules = {config: config.models_module for config in apps.get_app_configs()}
    try:
        for module, function in STEPS:
            migration = importlib.import_module(f"participants.migrations.{module}")
            getattr(migration, function)(apps, None)
    finally:
        for config, models_module in modules.items():
            config.models_module = models_module
