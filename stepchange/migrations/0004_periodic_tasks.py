"""The portal's periodic tasks, in django-celery-beat's tables.

Created only where missing, so that the schedules the coordination office
changes in the admin are kept.
"""

from django.db import migrations

# (name, task, every seconds, kwargs as JSON)
PERIODIC_TASKS = [
    ("Worker heartbeat", "stepchange.heartbeat", 60, '{"name": "worker"}'),
    ("Send what the outbox still holds", "stepchange.sweep_outbox", 60, "{}"),
    ("Closing-date reminders", "participants.queue_closing_reminders", 15 * 60, "{}"),
    ("Milestone reminders", "participants.queue_milestone_reminders", 15 * 60, "{}"),
    ("Notices when a call closes", "participants.queue_closing_notices", 5 * 60, "{}"),
]


def create_periodic_tasks(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, seconds, kwargs in PERIODIC_TASKS:
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "kwargs": kwargs}
        )


def remove_periodic_tasks(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in PERIODIC_TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stepchange", "0003_notice_templates"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_periodic_tasks, remove_periodic_tasks)]
