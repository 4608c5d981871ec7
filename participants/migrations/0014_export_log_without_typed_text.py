"""The export log keeps no text anyone typed: the words of earlier searches go.

Until now an export stored its whole query string, so a search for a person's
name ("q=Alex+Applicant") stayed in the log after that person's erasure. From
now on participants.exports stores only the values the list offered. This
rewrites the rows stored before in the same spirit, with the lists' parameters
as they stood when this migration was written (a migration must not follow
later code): a list filter's value is kept when it is a plain choice value (a
status, a role, a number); any other value, and the search, by the parameter's
name alone; unknown parameters go.
"""

import re
from urllib.parse import parse_qsl, quote_plus, urlencode

import django.utils.timezone
from django.db import migrations, models

# The admin EOI list's filters and date hierarchy, and the co-chairs' list's form.
FILTERS = {
    "call__id__exact",
    "call__isnull",
    "project_interests__project__workstream__id__exact",
    "project_interests__project__workstream__isnull",
    "project_interests__project__id__exact",
    "project_interests__project__isnull",
    "project_interests__role__exact",
    "project_interests__role__isnull",
    "status__exact",
    "status__isnull",
    "sector__exact",
    "sector__isnull",
    "validation",
    "conflicts__outcome__exact",
    "conflicts__outcome__isnull",
    "recommended",
    "submitted_at__year",
    "submitted_at__month",
    "submitted_at__day",
    "role",
    "status",
}
SEARCHES = {"q"}
# Choice values in this portal are lower-case words joined by underscores, ids
# and dates are digits; a name someone typed has a capital or a space.
CHOICE_VALUE = re.compile(r"[a-z0-9_]{1,40}|True|False")


def without_typed_text(filters):
    parts = []
    for name, value in parse_qsl(filters, keep_blank_values=True):
        if value == "":
            continue
        if name in FILTERS and CHOICE_VALUE.fullmatch(value):
            parts.append(urlencode({name: value}))
        elif name in FILTERS or name in SEARCHES:
            parts.append(quote_plus(name))
    return "&".join(dict.fromkeys(parts))


def forwards(apps, schema_editor):
    ExportLog = apps.get_model("participants", "ExportLog")
    changed = []
    for log in ExportLog.objects.exclude(filters="").only("filters").iterator():
        cleaned = without_typed_text(log.filters)
        if cleaned != log.filters:
            log.filters = cleaned
            changed.append(log)
    ExportLog.objects.bulk_update(changed, ["filters"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0013_eoi_list_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportlog",
            name="exported_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="exported"
            ),
        ),
        migrations.AlterField(
            model_name="exportlog",
            name="filters",
            field=models.CharField(
                blank=True,
                help_text="The list's filters and the values chosen; a search by its name alone.",
                max_length=2000,
                verbose_name="filters",
            ),
        ),
        # Irreversible in effect: the words removed are not kept anywhere.
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
