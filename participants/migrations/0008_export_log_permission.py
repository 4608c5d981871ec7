"""The coordination office reads the export log; nobody changes it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="participants", codename="view_exportlog")
    Group.objects.get(name="Coordination office").permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="participants", codename="view_exportlog"
    )
    for group in Group.objects.filter(name="Coordination office"):
        group.permissions.remove(*view)


class Migration(migrations.Migration):
    dependencies = [("participants", "0007_export_log")]

    operations = [migrations.RunPython(grant, revoke)]
