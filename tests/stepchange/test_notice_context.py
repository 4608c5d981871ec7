"""Notices are rendered against a flat context of plain values that each notice
declares; anything else is refused when the notice is queued, whichever wording
(the files or the office's) would render it. Generated from the registry, so a
new notice is covered without anyone remembering to."""

import datetime

import pytest
from django.template import Context, Engine
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from participants.models import User
from stepchange import notice_templates, outbox
from stepchange.models import Notice, NoticeTemplate
from tests.factories import UserFactory, login_with_two_factor

CONFIRMATION = "participants/email/confirmation"
KEYS = sorted(notice_templates.KNOWN)


def test_every_notice_app_registers_its_notices_and_their_previews():
    assert KEYS == [
        "participants/email/call_closed",
        "participants/email/closing_reminder",
        "participants/email/closing_reminder_programme",
        "participants/email/closing_summary",
        "participants/email/confirmation",
        "participants/email/decision",
        "participants/email/milestone_reminder",
        "participants/email/referee_request",
        "participants/email/team_member_withdrew",
        "projects/email/question",
    ]
    assert sorted(notice_templates.PREVIEWS) == KEYS
    assert sorted(notice_templates.PLACEHOLDERS) == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_each_notice_builds_exactly_its_declared_placeholders_as_plain_values(submitted, key):
    context = notice_templates.preview_context(key, submitted)

    notice_templates.check_context(key, context)
    assert sorted(context) == sorted(notice_templates.PLACEHOLDERS[key])
    assert all(description for _, description in notice_templates.placeholders(key))


@pytest.mark.parametrize("key", KEYS)
def test_the_files_use_only_the_notices_placeholders(submitted, key):
    """A placeholder the files use but the notice does not declare would render
    empty; an engine that marks what is undefined finds it."""
    context = notice_templates.preview_context(key, submitted)
    sources = notice_templates.file_wording(key)

    for part, source in sources.items():
        engine = Engine(
            libraries={"govuk": "stepchange.templatetags.govuk"},
            autoescape=part == "body_html",
            string_if_invalid="UNDECLARED(%s)",
        )
        rendered = engine.from_string(source).render(
            Context(context, autoescape=part == "body_html")
        )
        assert "UNDECLARED(" not in rendered, (part, rendered)


class Shout(str):
    """A str subclass: a template could walk its attributes."""

    owner = "someone"


def not_flat():
    user = UserFactory(email="secret-holder@example.org")
    return {
        "a model instance": user,
        "a queryset": User.objects.all(),
        "a manager": User.objects,
        "a callable": lambda: "x",
        "a dict": {"email": "x@example.org"},
        "a dict of objects": {"user": user},
        "a list of objects": [user],
        "a row of objects": [{"user": user}],
        "a list of lists": [["a"]],
        "a set": {"a"},
        "a string marked safe": mark_safe("<b>x</b>"),
        "a lazy string": gettext_lazy("Submitted"),
        "a str subclass": Shout("x"),
        "a float": 1.5,
    }


@pytest.mark.parametrize("office", [False, True], ids=["files", "office wording"])
def test_a_context_that_is_not_flat_is_refused_when_queued(db, office):
    if office:
        notice_templates.copy_from_files()
        NoticeTemplate.objects.update(is_active=True)

    for what, value in not_flat().items():
        with pytest.raises(notice_templates.NoticeContextError) as refused:
            outbox.queue_notice(
                reason=Notice.Reason.EOI_CONFIRMATION,
                recipient="casey@example.org",
                occurrence=f"test:{what}",
                template=CONFIRMATION,
                context={"reference": "SC-TEST", "full_name": value},
            )
        assert str(refused.value).startswith(
            f"The placeholder 'full_name' of {CONFIRMATION} holds {type(value).__name__}, "
        ), what
    assert Notice.objects.count() == 0


def test_the_office_renderer_refuses_a_context_that_is_not_flat(db):
    wording = {"subject": "{{ x }}", "body_text": "{{ x }}", "body_html": "{{ x }}"}

    for value in not_flat().values():
        with pytest.raises(notice_templates.NoticeContextError):
            notice_templates.render(wording, {"x": value})
    with pytest.raises(notice_templates.NoticeContextError) as refused:
        notice_templates.render(wording, Context({"x": "y"}))
    assert str(refused.value) == "The context is a Context, not a dict."


def test_a_placeholder_the_notice_does_not_declare_is_refused(db):
    with pytest.raises(notice_templates.NoticeContextError) as refused:
        outbox.queue_notice(
            reason=Notice.Reason.EOI_CONFIRMATION,
            recipient="casey@example.org",
            occurrence="test:1",
            template=CONFIRMATION,
            context={"reference": "SC-TEST", "eoi": "SC-TEST", "applicant": "x"},
        )

    assert str(refused.value) == f"{CONFIRMATION} has no placeholder applicant, eoi."
    assert Notice.objects.count() == 0


def test_a_notice_nobody_registered_is_refused(db):
    with pytest.raises(notice_templates.NoticeContextError) as refused:
        outbox.render_wording("participants/email/confirmation_copy", {})

    assert str(refused.value) == (
        "participants/email/confirmation_copy is not a registered notice."
    )


def test_a_builder_that_strays_from_its_declaration_is_refused(submitted):
    @notice_templates.register("tests/email/stray", "A test notice.", {"a": "A.", "b": "B."})
    def stray(eoi):
        return {"a": eoi.reference}

    try:
        with pytest.raises(notice_templates.NoticeContextError) as refused:
            stray(submitted)
    finally:
        for registry in (notice_templates.KNOWN, notice_templates.PLACEHOLDERS):
            registry.pop("tests/email/stray")

    assert str(refused.value) == (
        "The builder of tests/email/stray gave ['a'], but the notice declares ['a', 'b']."
    )


def test_plain_values_rows_and_lists_render(db):
    notice_templates.check_context(
        None,
        {
            "text": "x",
            "number": 3,
            "yes": True,
            "nothing": None,
            "day": datetime.date(2026, 1, 2),
            "moment": datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
            "codes": ["CP1", "T2"],
            "pair": ("a", 1),
            "rows": [{"code": "CP1", "lead": 2, "when": datetime.date(2026, 1, 2)}],
        },
    )
    subject, text, html = notice_templates.render(
        {
            "subject": "{{ codes|join:', ' }}",
            "body_text": "{% for row in rows %}{{ row.code }}: {{ row.lead }}{% endfor %}",
            "body_html": "<p>{{ text }}</p>",
        },
        {"codes": ["CP1", "T2"], "rows": [{"code": "CP1", "lead": 2}], "text": "<x>"},
    )

    assert (subject, text, html) == ("CP1, T2", "CP1: 2", "<p>&lt;x&gt;</p>")


@pytest.mark.parametrize("key", KEYS)
def test_the_preview_lists_the_notices_placeholders(client, superuser, submitted, key):
    notice_templates.copy_from_files()
    template = NoticeTemplate.objects.get(key=key)
    login_with_two_factor(client, superuser)

    response = client.get(f"/admin/stepchange/noticetemplate/{template.pk}/preview/")

    assert response.status_code == 200
    assert response.context["notice_placeholders"] == [
        (key, list(notice_templates.PLACEHOLDERS[key].items()))
    ]
    page = response.content.decode()
    for name in notice_templates.PLACEHOLDERS[key]:
        assert f"<code>{{{{ {name} }}}}</code>" in page


def test_the_change_form_lists_the_notices_placeholders(client, superuser):
    notice_templates.copy_from_files()
    template = NoticeTemplate.objects.get(key="projects/email/question")
    login_with_two_factor(client, superuser)

    change = client.get(f"/admin/stepchange/noticetemplate/{template.pk}/change/")
    add = client.get("/admin/stepchange/noticetemplate/add/")

    assert change.context["notice_placeholders"] == [
        ("projects/email/question", notice_templates.placeholders("projects/email/question"))
    ]
    assert "<code>{{ signed_in_as }}</code>" in change.content.decode()
    assert [key for key, _ in add.context["notice_placeholders"]] == list(notice_templates.KNOWN)
