"""The coordination office's wording of each notice: used by the outbox when
active, refused when unsafe, previewed against a real EOI, copied from the files."""

import datetime
import html
import logging

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import ExpressionOfInterest
from stepchange.models import Heartbeat, Notice, NoticeTemplate
from stepchange.notices import engine, outbox, registry, rendering
from stepchange.notices.context import NoticeContextError
from tests.conftest import deliver_outbox
from tests.factories import UserFactory, login_with_two_factor

CONFIRMATION = "participants/email/confirmation"
PROGRAMME_REMINDER = "participants/email/closing_reminder_programme"
UNSIGNED = {CONFIRMATION, "projects/email/question"}


def wording(**parts):
    return NoticeTemplate.objects.create(
        key=parts.pop("key", CONFIRMATION),
        subject=parts.pop("subject", "thank you, {{ full_name }}"),
        body_text=parts.pop("body_text", "Text for {{ full_name }}."),
        body_html=parts.pop("body_html", "<p>HTML for {{ full_name }}.</p>"),
        is_active=parts.pop("is_active", True),
    )


def queue_confirmation(full_name="Casey <b>Example</b>"):
    notice, _ = outbox.queue_notice(
        recipient="casey@example.org",
        occurrence="test:1",
        key=CONFIRMATION,
        context={"full_name": full_name, "reference": "SC-TEST"},
    )
    return notice


def test_an_active_template_is_what_the_outbox_sends(applicant_client, complete_draft):
    wording()

    applicant_client.post(f"/applications/{complete_draft.reference}/check-your-answers/")
    deliver_outbox()  # an EOI's notices are rendered when they are sent

    notice = Notice.objects.get(reason="eoi_confirmation")
    assert (notice.subject, notice.body_text, notice.body_html) == (
        "Step-Change Programme: thank you, Alex Applicant",
        "Text for Alex Applicant.",
        "<p>HTML for Alex Applicant.</p>",
    )


def test_an_inactive_template_leaves_the_files_to_speak(db):
    wording(is_active=False)

    notice = queue_confirmation(full_name="Casey")

    assert notice.subject == "Step-Change Programme: we have your expression of interest SC-TEST"
    assert notice.body_text.startswith("Dear Casey,\n\nThank you for expressing interest")


def test_placeholders_are_escaped_in_the_html_and_not_in_the_text(db):
    wording()

    notice = queue_confirmation()

    assert notice.subject == "Step-Change Programme: thank you, Casey <b>Example</b>"
    assert notice.body_text == "Text for Casey <b>Example</b>."
    assert notice.body_html == "<p>HTML for Casey &lt;b&gt;Example&lt;/b&gt;.</p>"


def test_the_govuk_filters_can_be_used_loaded_or_not(db):
    template = NoticeTemplate(
        key=PROGRAMME_REMINDER,
        subject="{{ closes|govuk_date }}",
        body_text="{% load govuk %}{{ closes|govuk_time }}",
        body_html="<p>{{ closes|govuk_datetime }}</p>",
    )
    template.full_clean()
    template.is_active = True
    template.save()

    notice, _ = outbox.queue_notice(
        recipient="casey@example.org",
        occurrence="test:1",
        key=PROGRAMME_REMINDER,
        context={"closes": datetime.datetime(2018, 5, 25, 23, 59)},
    )

    assert (notice.subject, notice.body_text, notice.body_html) == (
        "Step-Change Programme: Friday 25 May 2018",
        "11:59pm",
        "<p>11:59pm on Friday 25 May 2018</p>",
    )


@pytest.mark.parametrize(
    ("part", "source", "message"),
    [
        ("body_text", '{% include "base.html" %}', "Invalid block tag on line 1: 'include'"),
        ("body_html", '{% extends "base.html" %}', "Invalid block tag on line 1: 'extends'"),
        ("body_text", "{% load static %}", "'static' is not a registered tag library"),
        ("subject", "{% load govuk_forms %}", "'govuk_forms' is not a registered tag library"),
        ("body_text", "{% debug %}", "Invalid block tag on line 1: 'debug'"),
        ("body_html", "{{ eoi.full_name|safe }}", "Invalid filter: 'safe'"),
        ("body_html", "{% autoescape off %}x{% endautoescape %}", "'autoescape'"),
        ("body_text", "{{ eoi.applicant.password }}", "not allowed: password"),
        ("body_text", "{{ eoi.mark_withdrawn }}", "not allowed: mark_withdrawn"),
        (
            "body_text",
            "{{ eoi.applicant.emailaddress_set.first.send_confirmation }}",
            "send_confirmation",
        ),
        ("subject", "{% if %}", "Unexpected end of expression"),
    ],
)
def test_unsafe_or_broken_wording_is_refused_on_save(client, superuser, part, source, message):
    login_with_two_factor(client, superuser)
    data = {
        "key": CONFIRMATION,
        "description": "",
        "subject": "thank you",
        "body_text": "Text",
        "body_html": "<p>HTML</p>",
        "is_active": "on",
        part: source,
    }

    response = client.post(reverse("admin:stepchange_noticetemplate_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [part]
    assert errors[part][0].startswith("This template cannot be used: ")
    assert message in errors[part][0]
    assert NoticeTemplate.objects.count() == 0


def test_the_text_may_switch_escaping_but_the_html_may_not(db):
    assert engine.refusal("body_text", "{% autoescape on %}{{ x }}{% endautoescape %}") is None
    assert engine.refusal("body_html", "{{ x|escape }}") is None


def test_the_admin_saves_good_wording_and_who_changed_it(client, superuser):
    login_with_two_factor(client, superuser)

    response = client.post(
        reverse("admin:stepchange_noticetemplate_add"),
        {
            "key": CONFIRMATION,
            "description": "To the applicant",
            "subject": "thank you, {{ full_name }}",
            "body_text": "Dear {{ full_name }},\r\n\r\nThank you.",
            "body_html": "{% load govuk %}<p>{{ reference }}</p>",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    template = NoticeTemplate.objects.get()
    assert (template.key, template.body_text, template.is_active, template.updated_by) == (
        CONFIRMATION,
        "Dear {{ full_name }},\n\nThank you.",
        True,
        superuser,
    )


def test_a_broken_active_template_falls_back_to_the_files(applicant_client, complete_draft, caplog):
    # Saved around the admin's check, as a shell or an older version might have.
    wording(body_html="{% if %}")
    wording(key="participants/email/referee_request", body_text="{% for x in 5 %}{% endfor %}")

    with caplog.at_level(logging.WARNING, logger="stepchange.notices.rendering"):
        response = applicant_client.post(
            f"/applications/{complete_draft.reference}/check-your-answers/"
        )
        deliver_outbox()  # an EOI's notices are rendered when they are sent

    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == ExpressionOfInterest.Status.SUBMITTED
    subjects = list(Notice.objects.order_by("pk").values_list("subject", flat=True))
    assert subjects == [
        f"Step-Change Programme: we have your expression of interest {complete_draft.reference}",
        "Step-Change Programme: can you confirm who Alex Applicant is?",
    ]
    assert [record.getMessage() for record in caplog.records] == [
        f"The notice template {CONFIRMATION} cannot be rendered; using the files instead",
        "The notice template participants/email/referee_request cannot be rendered; "
        "using the files instead",
    ]


class Writes:
    """A context object whose method writes, as a model's might."""

    def note(self):
        Heartbeat.record("written by a template")
        return "noted"


def test_rendering_refuses_objects_before_calling_them(submitted):
    with pytest.raises(NoticeContextError) as refused:
        engine.render(
            {"subject": "{{ writes.note }}", "body_text": "{{ eoi.delete }}", "body_html": "x"},
            {"eoi": submitted, "writes": Writes()},
        )

    assert str(refused.value) == (
        "The placeholder 'eoi' holds ExpressionOfInterest, not a plain value "
        "(a string, number, date, or a list of those or of flat rows)."
    )
    assert Heartbeat.objects.filter(name="written by a template").exists() is False
    assert ExpressionOfInterest.objects.filter(pk=submitted.pk).exists()


def test_the_preview_renders_the_saved_wording_against_the_latest_eoi(client, superuser, submitted):
    template = wording(
        subject="{{ reference }} for {{ full_name }}",
        body_text="Organisation: {{ organisation_name }} <{{ site_url }}>",
        body_html='<p>{{ referee_name }}</p><script>alert("x")</script>',
    )
    login_with_two_factor(client, superuser)

    response = client.get(reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]))

    assert response.status_code == 200
    assert response.context["eoi"] == submitted
    assert response.context["subject"] == (
        f"Step-Change Programme: {submitted.reference} for Alex Applicant"
    )
    assert response.context["body_text"] == (
        f"Organisation: Example Venues Ltd <{settings.SITE_URL}>"
    )
    page = response.content.decode()
    body_html = '<p>Robin Referee</p><script>alert("x")</script>'
    assert f'<pre id="preview-html-source">{html.escape(body_html)}</pre>' in page
    assert f'sandbox="" srcdoc="{html.escape(body_html)}"' in page
    assert "Organisation: Example Venues Ltd &lt;" in page


@pytest.mark.parametrize(
    "key",
    [
        "participants/email/confirmation",
        "participants/email/referee_request",
        "participants/email/closing_reminder",
        "participants/email/closing_reminder_programme",
        "projects/email/question",
    ],
)
def test_every_known_notice_previews_its_copied_wording(client, superuser, submitted, key):
    rendering.copy_from_files()
    template = NoticeTemplate.objects.get(key=key)
    login_with_two_factor(client, superuser)

    response = client.get(
        reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]),
        {"eoi": submitted.reference.lower()},
    )

    assert response.status_code == 200
    assert "error" not in response.context
    assert response.context["subject"].startswith("Step-Change Programme: ")
    text = response.context["body_text"]
    assert ("Alex Applicant" in text) == (key != "participants/email/closing_reminder_programme")
    # Links that would act for someone are placeholders in a preview.
    assert "/referee/preview/" in text or "/unsubscribe/preview/" in text or key in UNSIGNED


def test_the_preview_shows_unsaved_edits(client, superuser, submitted):
    template = wording()
    login_with_two_factor(client, superuser)

    response = client.post(
        reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]),
        {
            "subject": "edited for {{ reference }}",
            "body_text": "Edited\r\ntext",
            "body_html": "<p>{{ job_title }}</p>",
            "eoi": submitted.reference,
        },
    )

    assert response.status_code == 200
    assert (
        response.context["subject"],
        response.context["body_text"],
        response.context["body_html"],
    ) == (
        f"Step-Change Programme: edited for {submitted.reference}",
        "Edited\ntext",
        "<p>Head of Security</p>",
    )
    template.refresh_from_db()
    assert template.subject == "thank you, {{ full_name }}"


def test_the_preview_reports_wording_it_cannot_render(client, superuser, submitted):
    template = wording(body_text="{% if %}")
    login_with_two_factor(client, superuser)

    response = client.get(reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]))

    assert response.status_code == 200
    assert response.context["error"] == (
        "This wording cannot be rendered: Unexpected end of expression in if tag."
    )


def test_the_preview_names_an_unknown_eoi(client, superuser, submitted):
    template = wording()
    login_with_two_factor(client, superuser)

    response = client.get(
        reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]), {"eoi": "NOPE"}
    )

    assert response.context["error"] == "There is no expression of interest NOPE."


def test_the_preview_is_closed_to_users_who_are_not_staff(applicant_client, submitted):
    template = wording()
    url = reverse("admin:stepchange_noticetemplate_preview", args=[template.pk])

    response = applicant_client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_the_preview_needs_permission_to_view_templates(client, submitted):
    template = wording()
    login_with_two_factor(client, UserFactory(email="staff@example.org", is_staff=True))

    response = client.get(reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]))

    assert response.status_code == 403


def test_the_change_page_links_to_the_preview(client, superuser):
    template = wording()
    login_with_two_factor(client, superuser)

    page = client.get(
        reverse("admin:stepchange_noticetemplate_change", args=[template.pk])
    ).content.decode()

    preview = reverse("admin:stepchange_noticetemplate_preview", args=[template.pk])
    assert f'<a href="{preview}">Preview</a>' in page
    assert f'formaction="{preview}"' in page


def test_copying_makes_one_inactive_template_per_known_notice_once(client, superuser):
    login_with_two_factor(client, superuser)
    url = reverse("admin:stepchange_noticetemplate_copy")

    first = client.post(url)
    edited = NoticeTemplate.objects.get(key=CONFIRMATION)
    edited.subject = "edited"
    edited.save()
    second = client.post(url)

    assert (first.status_code, second.status_code) == (302, 302)
    templates = NoticeTemplate.objects.all()
    assert sorted(template.key for template in templates) == sorted(registry.TYPES)
    assert {template.is_active for template in templates} == {False}
    assert NoticeTemplate.objects.get(key=CONFIRMATION).subject == "edited"
    question = NoticeTemplate.objects.get(key="projects/email/question")
    assert question.subject == "Question about project {{ project_code }}"
    assert question.updated_by == superuser
    assert "{% autoescape" not in question.body_text
    assert question.body_html.startswith("{% load govuk %}<!DOCTYPE html>")
    for template in templates:
        template.full_clean()


def test_copying_needs_a_post(client, superuser):
    login_with_two_factor(client, superuser)

    response = client.get(reverse("admin:stepchange_noticetemplate_copy"))

    assert response.status_code == 405


@pytest.mark.parametrize("key", sorted(registry.TYPES))
def test_copied_wording_renders_as_the_files_do(submitted, key):
    """Activating the copies changes nothing the recipients see."""
    context = registry.preview_context(key, submitted)
    from_files = rendering.render_wording(key, context)
    rendering.copy_from_files()
    NoticeTemplate.objects.update(is_active=True)

    assert rendering.render_wording(key, context) == from_files


def test_the_list_of_templates_answers(client, superuser):
    rendering.copy_from_files()
    login_with_two_factor(client, superuser)

    response = client.get(reverse("admin:stepchange_noticetemplate_changelist"))

    assert response.status_code == 200
    assert "Copy the current wording from the file templates" in response.content.decode()
    assert response.context["cl"].result_count == len(registry.TYPES)


def test_the_list_of_templates_takes_as_many_queries_for_1_and_3(client, superuser):
    login_with_two_factor(client, superuser)
    url = reverse("admin:stepchange_noticetemplate_changelist")
    queries = []
    for keys in [[CONFIRMATION], ["projects/email/question", "participants/email/referee_request"]]:
        for key in keys:
            template = wording(key=key)
            template.updated_by = UserFactory()
            template.save()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        queries.append(len(captured))

    assert response.context["cl"].result_count == 3
    assert queries[0] == queries[1]


def test_the_preview_of_a_new_template_takes_the_key_from_the_form(client, superuser, submitted):
    login_with_two_factor(client, superuser)

    response = client.post(
        reverse("admin:stepchange_noticetemplate_preview_new"),
        {
            "key": "participants/email/referee_request",
            "subject": "{{ days }} days",
            "body_text": "{{ link }}",
            "body_html": "<p>{{ referee_name }}</p>",
        },
    )

    assert response.status_code == 200
    assert (
        response.context["subject"],
        response.context["body_text"],
        response.context["body_html"],
    ) == (
        "Step-Change Programme: 30 days",
        f"{settings.SITE_URL}/referee/preview/",
        "<p>Robin Referee</p>",
    )


def test_the_preview_says_when_there_is_no_eoi_yet(client, superuser):
    template = wording()
    login_with_two_factor(client, superuser)

    response = client.get(reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]))

    assert response.status_code == 200
    assert response.context["error"] == ("There is no expression of interest to preview with yet.")
