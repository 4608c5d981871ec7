"""Whether the referee has answered becomes a field of the validation check.

Until now it was read from the note's text: a "referee confirmed" check whose
note starts "Referee <the EOI's referee address, in lower case> " (the words
referees.record_referee_answer wrote). The data migration gives each such
check that address, so that the new rule, the field equal to the EOI's
referee address, answers as the old one did for every existing row.
"""

from django.db import migrations, models

PREFIX = "Referee "


def answered_address(note):
    """The address the old rule read from a note: the word after "Referee ",
    when a space follows it; "" when the note is not a referee's answer."""
    if not note.startswith(PREFIX):
        return ""
    address, space, _ = note[len(PREFIX) :].partition(" ")
    return address if space and "@" in address else ""


def fill_referee_email(apps, schema_editor):
    ValidationCheck = apps.get_model("participants", "ValidationCheck")
    answers = ValidationCheck.objects.filter(
        method="referee_confirmed", note__startswith=PREFIX
    ).only("pk", "note")
    changed = []
    for check in answers.iterator(chunk_size=1000):
        check.referee_email = answered_address(check.note)
        if check.referee_email:
            changed.append(check)
    ValidationCheck.objects.bulk_update(changed, ["referee_email"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0016_office_sends_notices_again"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalvalidationcheck",
            name="referee_email",
            field=models.EmailField(
                blank=True,
                help_text="The referee's address, when this is the referee's own answer to their link.",
                max_length=254,
                verbose_name="answered by the referee at",
            ),
        ),
        migrations.AddField(
            model_name="validationcheck",
            name="referee_email",
            field=models.EmailField(
                blank=True,
                help_text="The referee's address, when this is the referee's own answer to their link.",
                max_length=254,
                verbose_name="answered by the referee at",
            ),
        ),
        migrations.RunPython(fill_referee_email, migrations.RunPython.noop),
    ]
