"""The nightly retention task, in django-celery-beat's tables; the coordination
office reads the personal data access log, and nobody changes it.

The task is created only where missing, so that a schedule the office
changes in the admin is kept.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TASK_NAME = "Retention policy"
TASK = "participants.apply_retention_policy"


def create_task(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 03:30 in London, whatever the season: a quiet hour, after midnight's reminders.
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME, defaults={"task": TASK, "crontab": crontab, "kwargs": "{}"}
    )


def remove_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(
        content_type__app_label="participants", codename="view_personaldataaccess"
    )
    Group.objects.get(name="Coordination office").permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="participants", codename="view_personaldataaccess"
    )
    for group in Group.objects.filter(name="Coordination office"):
        group.permissions.remove(*view)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0011_personal_data_access"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_task, remove_task),
        migrations.RunPython(grant, revoke),
    ]
