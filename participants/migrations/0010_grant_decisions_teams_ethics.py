"""The coordination office works on decisions, teams, overrides, co-chairs'
interests and ethics reviews; the programme board reads them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE = {
    "participants": {
        "decision": ["view", "add", "change", "delete"],
        "teammembership": ["view", "delete"],
        "exclusionoverride": ["view", "add", "change"],
        "recommendation": ["view"],
        "cochairinterest": ["view", "add", "change", "delete"],
    },
    "projects": {"ethicsreview": ["view", "add", "change", "delete"]},
}


def _permissions(apps, actions):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, models in OFFICE.items()
        for model, model_actions in models.items()
        for action in model_actions
        if action in actions
    ]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Group.objects.get(name="Coordination office").permissions.add(
        *_permissions(apps, {"view", "add", "change", "delete"})
    )
    Group.objects.get(name="Programme board").permissions.add(*_permissions(apps, {"view"}))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    every = _permissions(apps, {"view", "add", "change", "delete"})
    for group in Group.objects.filter(name__in=["Coordination office", "Programme board"]):
        group.permissions.remove(*every)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0009_decisions_teams_recommendations_history"),
        ("projects", "0005_ethics_reviews_and_project_history"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
