"""Notices are rendered against a flat context of plain values that each notice
declares; anything else is refused when the notice is queued, whichever wording
(the files or the office's) would render it. Generated from the registry, so a
new notice is covered without anyone remembering to."""

import datetime

import pytest
from django.template import Context, Engine
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from participants.models import ExpressionOfInterest, User
from stepchange.models import Notice, NoticeTemplate
from stepchange.notices import engine, outbox, registry, rendering
from stepchange.notices.context import NoticeContextError, check_context
from tests.factories import UserFactory, login_with_two_factor

CONFIRMATION = "participants/email/confirmation"
KEYS = sorted(registry.TYPES)


def test_every_notice_app_registers_its_notices_and_their_previews():
    assert KEYS == [
        "participants/email/call_closed",
        "participants/email/closing_reminder",
        "participants/email/closing_reminder_programme",
        "participants/email/closing_summary",
        "participants/email/co_chair_appointed",
        "participants/email/confirmation",
        "participants/email/decision",
        "participants/email/member_withdrew_office",
        "participants/email/milestone_reminder",
        "participants/email/referee_request",
        "participants/email/team_member_withdrew",
        "participants/email/withdrawal_confirmation",
        "projects/email/question",
    ]
    assert sorted(key for key, notice in registry.TYPES.items() if notice.example) == KEYS
    assert sorted(key for key, notice in registry.TYPES.items() if notice.placeholders) == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_each_notice_builds_exactly_its_declared_placeholders_as_plain_values(submitted, key):
    context = registry.preview_context(key, submitted)

    check_context(key, context, registry.TYPES[key].placeholders)
    assert sorted(context) == sorted(registry.TYPES[key].placeholders)
    assert all(description for _, description in registry.placeholders(key))


@pytest.mark.parametrize("key", KEYS)
def test_the_files_use_only_the_notices_placeholders(submitted, key):
    """A placeholder the files use but the notice does not declare would render
    empty; an engine that marks what is undefined finds it."""
    context = registry.preview_context(key, submitted)
    sources = rendering.file_wording(key)

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
        rendering.copy_from_files()
        NoticeTemplate.objects.update(is_active=True)

    for what, value in not_flat().items():
        with pytest.raises(NoticeContextError) as refused:
            outbox.queue_notice(
                recipient="casey@example.org",
                occurrence=f"test:{what}",
                key=CONFIRMATION,
                context={"reference": "SC-TEST", "full_name": value},
            )
        assert str(refused.value).startswith(
            f"The placeholder 'full_name' of {CONFIRMATION} holds {type(value).__name__}, "
        ), what
    assert Notice.objects.count() == 0


def test_the_office_renderer_refuses_a_context_that_is_not_flat(db):
    wording = {"subject": "{{ x }}", "body_text": "{{ x }}", "body_html": "{{ x }}"}

    for value in not_flat().values():
        with pytest.raises(NoticeContextError):
            engine.render(wording, {"x": value})
    with pytest.raises(NoticeContextError) as refused:
        engine.render(wording, Context({"x": "y"}))
    assert str(refused.value) == "The context is a Context, not a dict."


def test_a_placeholder_the_notice_does_not_declare_is_refused(db):
    with pytest.raises(NoticeContextError) as refused:
        outbox.queue_notice(
            recipient="casey@example.org",
            occurrence="test:1",
            key=CONFIRMATION,
            context={"reference": "SC-TEST", "eoi": "SC-TEST", "applicant": "x"},
        )

    assert str(refused.value) == f"{CONFIRMATION} has no placeholder applicant, eoi."
    assert Notice.objects.count() == 0


def test_a_notice_nobody_registered_is_refused(db):
    with pytest.raises(NoticeContextError) as refused:
        rendering.render_wording("participants/email/confirmation_copy", {})

    assert str(refused.value) == (
        "participants/email/confirmation_copy is not a registered notice."
    )


def test_a_builder_that_strays_from_its_declaration_is_refused(submitted):
    @registry.register(
        "tests/email/stray",
        reason="eoi_confirmation",
        audience="A test notice.",
        placeholders={"a": "A.", "b": "B."},
    )
    def stray(eoi):
        return {"a": eoi.reference}

    try:
        with pytest.raises(NoticeContextError) as refused:
            stray(submitted)
    finally:
        registry.TYPES.pop("tests/email/stray")

    assert str(refused.value) == (
        "The builder of tests/email/stray gave ['a'], but the notice declares ['a', 'b']."
    )


def test_plain_values_rows_and_lists_render(db):
    check_context(
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
    subject, text, html = engine.render(
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
    rendering.copy_from_files()
    template = NoticeTemplate.objects.get(key=key)
    login_with_two_factor(client, superuser)

    response = client.get(f"/admin/stepchange/noticetemplate/{template.pk}/preview/")

    assert response.status_code == 200
    assert response.context["notice_placeholders"] == [
        (key, list(registry.TYPES[key].placeholders.items()))
    ]
    page = response.content.decode()
    for name in registry.TYPES[key].placeholders:
        assert f"<code>{{{{ {name} }}}}</code>" in page


def test_the_change_form_lists_the_notices_placeholders(client, superuser):
    rendering.copy_from_files()
    template = NoticeTemplate.objects.get(key="projects/email/question")
    login_with_two_factor(client, superuser)

    change = client.get(f"/admin/stepchange/noticetemplate/{template.pk}/change/")
    add = client.get("/admin/stepchange/noticetemplate/add/")

    assert change.context["notice_placeholders"] == [
        ("projects/email/question", registry.placeholders("projects/email/question"))
    ]
    assert "<code>{{ signed_in_as }}</code>" in change.content.decode()
    assert [key for key, _ in add.context["notice_placeholders"]] == list(registry.TYPES)


@pytest.fixture
def superuser(db):
    return UserFactory(email="pco@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def submitted(applicant_client, complete_draft):
    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/check-your-answers/"
    )
    assert response.status_code == 302
    return ExpressionOfInterest.objects.get(pk=complete_draft.pk)
