"""A notice's reason is declared by its notice type (stepchange/notices/registry.py),
in the app that sends it, not listed here: adding a reason needs no migration.
No data changes: the stored values are the same."""

import stepchange.notices.registry
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stepchange", "0006_notice_reasons_enrolment_and_team_change"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notice",
            name="reason",
            field=models.CharField(
                max_length=30,
                validators=[stepchange.notices.registry.validate_reason],
                verbose_name="reason",
            ),
        ),
    ]
