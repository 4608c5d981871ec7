"""The office's saved wording is rewritten to the flat placeholders on upgrade;
wording that still names an object is made inactive, so the files speak."""

import importlib

from django.apps import apps

from stepchange.models import NoticeTemplate

migration = importlib.import_module("stepchange.migrations.0005_notice_wording_flat_placeholders")

OLD_CONFIRMATION = (
    "Dear {{ eoi.full_name }}, see {{ site_url }}/applications/{{ eoi.reference }}/\n"
    "{% for interest in eoi.project_interests.all %}{{ interest.project.code }} "
    "({{ interest.get_role_display }}){% endfor %}\n{{ eoi.call.contact_email }}"
)
NEW_CONFIRMATION = (
    "Dear {{ full_name }}, see {{ application_url }}\n"
    "{% for interest in projects %}{{ interest.code }} "
    "({{ interest.role }}){% endfor %}\n{{ contact_email }}"
)


def saved(key, body_text, is_active=True):
    return NoticeTemplate.objects.create(
        key=key,
        description="Ours",
        subject="about {{ eoi.reference }}",
        body_text=body_text,
        body_html="<p>x</p>",
        is_active=is_active,
    )


def test_wording_copied_from_the_files_is_rewritten_and_stays_active(db):
    template = saved("participants/email/confirmation", OLD_CONFIRMATION)
    question = saved("projects/email/question", "{{ question.name }} on {{ project.code }}")

    migration.forwards(apps, None)

    template.refresh_from_db()
    question.refresh_from_db()
    assert (template.subject, template.body_text, template.is_active, template.description) == (
        "about {{ reference }}",
        NEW_CONFIRMATION,
        True,
        "Ours",
    )
    assert question.body_text == "{{ name }} on {{ project_code }}"


def test_wording_that_still_names_an_object_is_made_inactive(db):
    template = saved("participants/email/confirmation", "{{ eoi.applicant.email }}")
    inactive = saved("participants/email/decision", "{{ eoi.call.title }}", is_active=False)

    migration.forwards(apps, None)

    template.refresh_from_db()
    inactive.refresh_from_db()
    assert (template.is_active, template.description) == (False, migration.NOTE + "Ours")
    assert template.body_text == "{{ eoi.applicant.email }}"
    assert (inactive.is_active, inactive.description) == (False, "Ours")
