"""Notice wording saved by the office, rewritten to the flat placeholders.

Notices used to be rendered with model objects ({{ eoi.reference }}); they are
now rendered with plain values only ({{ reference }}), which each notice
declares. The office's saved wording was copied from the files, so the
expressions the files used are rewritten here to the new placeholders. Any
active wording that still names an object afterwards would send blanks where
it names one, so it is made inactive (the files speak instead) and its
description says why; nothing is deleted.
"""

import re

from django.db import migrations

# Literal replacements, in order, for every notice.
COMMON = [
    ("{{ site_url }}/applications/{{ eoi.reference }}/", "{{ application_url }}"),
    ("eoi.call.contact_email", "contact_email"),
    ("call.contact_email", "contact_email"),
    ("call.closes", "closes"),
]
# Then for each notice.
BY_KEY = {
    "participants/email/confirmation": [
        (
            '{% if eoi.sector == "other" %}{{ eoi.sector_other }}{% else %}'
            "{{ eoi.get_sector_display }}{% endif %}",
            "{{ sector }}",
        ),
        ("eoi.get_organisation_size_display", "organisation_size"),
        ("eoi.project_interests.all", "projects"),
        ("interest.project.code", "interest.code"),
        ("interest.project.short_title", "interest.title"),
        ("interest.get_role_display", "interest.role"),
        ("eoi.conflicts.all", "conflicts"),
        ("conflict.get_nature_display", "conflict.nature"),
    ],
    "participants/email/call_closed": [
        ('eoi.status == "draft"', "is_draft"),
        ("eoi.get_status_display", "status"),
    ],
    "participants/email/closing_summary": [
        ("row.project.workstream.name", "row.workstream"),
        ("row.project.workstream", "row.workstream"),
        ("row.project.code", "row.code"),
        ("row.by_role.", "row."),
        ("workstream.name", "workstream"),
        ("{% for project in no_lead %}{{ project.code }}", "{% for code in no_lead %}{{ code }}"),
    ],
    "participants/email/milestone_reminder": [
        ("{% if call %}", "{% if contact_email %}"),
        ("milestone.title", "milestone_title"),
        ("milestone.date", "milestone_date"),
    ],
    "projects/email/question": [
        ("project.code", "project_code"),
        ("project.short_title", "project_title"),
        ("question.asked_by.email", "signed_in_as"),
        ("question.asked_by", "signed_in_as"),
        ("question.asked_at", "asked_at"),
        ("question.name", "name"),
        ("question.email", "email"),
        ("question.question", "question"),
    ],
}
# The EOI's own fields, which became placeholders of the same name.
EOI_FIELD = re.compile(
    r"\beoi\.(reference|full_name|job_title|work_phone|work_email|organisation_name|website"
    r"|organisation_size|referee_name|referee_job_title|referee_email|hours_per_month)\b"
)
# What still names an object once rewritten.
OBJECT = re.compile(
    r"\b(eoi|call|milestone|question|project|workstream|applicant)\.|\brow\.(project|by_role)\b"
    r"|\.get_\w+"
)
TAG = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
NOTE = "Made inactive on upgrade: it used placeholders notices no longer have. "


def rewrite(key, source):
    for old, new in COMMON + BY_KEY.get(key, []):
        source = source.replace(old, new)
    return EOI_FIELD.sub(r"\1", source)


def names_an_object(source):
    return any(OBJECT.search(tag) for tag in TAG.findall(source))


def forwards(apps, schema_editor):
    NoticeTemplate = apps.get_model("stepchange", "NoticeTemplate")
    parts = ("subject", "body_text", "body_html")
    for template in NoticeTemplate.objects.all():
        before = [getattr(template, part) for part in parts]
        for part in parts:
            setattr(template, part, rewrite(template.key, getattr(template, part)))
        stale = any(names_an_object(getattr(template, part)) for part in parts)
        if stale and template.is_active:
            template.is_active = False
            template.description = (NOTE + template.description)[:300]
        elif [getattr(template, part) for part in parts] == before:
            continue
        template.save()


class Migration(migrations.Migration):
    dependencies = [("stepchange", "0004_periodic_tasks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
