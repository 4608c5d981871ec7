"""The coordination office sends failed notices again: the outbox's change permission.

Notices are never edited in the admin; the permission says who may run the
"send again" action, which changes the outbox (stepchange/admin.py).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    change = Permission.objects.get(content_type__app_label="stepchange", codename="change_notice")
    Group.objects.get(name="Coordination office").permissions.add(change)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    change = Permission.objects.filter(
        content_type__app_label="stepchange", codename="change_notice"
    )
    for group in Group.objects.filter(name="Coordination office"):
        group.permissions.remove(*change)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0015_account_status_changes"),
        ("stepchange", "0004_periodic_tasks"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
