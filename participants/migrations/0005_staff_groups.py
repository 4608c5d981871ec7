"""The coordination office's and the programme board's groups, with exactly
the permissions each needs: the office works on everything, the board reads."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATION_OFFICE = "Coordination office"
PROGRAMME_BOARD = "Programme board"

# app label -> model -> the actions of the coordination office on it.
OFFICE = {
    "participants": {
        "user": ["view", "change"],
        "expressionofinterest": ["view", "change"],
        "projectinterest": ["view", "add", "change", "delete"],
        "conflictofinterest": ["view", "add", "change", "delete"],
        "validationcheck": ["view", "add", "change", "delete"],
        "amendment": ["view"],
        "statuschange": ["view"],
    },
    "projects": {
        "call": ["view", "add", "change", "delete"],
        "project": ["view", "add", "change", "delete"],
        "milestone": ["view", "add", "change", "delete"],
        "keyactivity": ["view", "add", "change", "delete"],
        "projectquestion": ["view", "change"],
    },
    "workstreams": {"workstream": ["view", "add", "change", "delete"]},
    "stepchange": {
        "notice": ["view"],
        "noticetemplate": ["view", "add", "change", "delete"],
        "heartbeat": ["view"],
    },
    "django_celery_beat": {"periodictask": ["view", "change"]},
}
# The board sees the programme's lists; nothing of the outbox or schedules.
BOARD_APPS = {"participants", "projects", "workstreams"}


def codenames(actions_by_model):
    return [
        f"{action}_{model}" for model, actions in actions_by_model.items() for action in actions
    ]


def create_groups(apps, schema_editor):
    # Permissions are normally made after every migration has run; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(app_label, names):
        found = list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=names)
        )
        missing = set(names) - {permission.codename for permission in found}
        if missing:
            raise RuntimeError(f"Permissions missing for {app_label}: {sorted(missing)}")
        return found

    office, _ = Group.objects.get_or_create(name=COORDINATION_OFFICE)
    board, _ = Group.objects.get_or_create(name=PROGRAMME_BOARD)
    for app_label, models in OFFICE.items():
        office.permissions.add(*permissions(app_label, codenames(models)))
        if app_label in BOARD_APPS:
            views = {model: ["view"] for model in models}
            board.permissions.add(*permissions(app_label, codenames(views)))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[COORDINATION_OFFICE, PROGRAMME_BOARD]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_status_changes"),
        ("projects", "0004_milestone_reminders"),
        ("workstreams", "0001_initial"),
        ("stepchange", "0004_periodic_tasks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
