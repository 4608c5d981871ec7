"""Typed text refuses control characters, and one-line fields line breaks
(stepchange.plain_text): every form class of the portal, and every admin form,
found by walking the code and the admin's registry, so a new one is covered."""

import importlib
import pkgutil

import pytest
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.forms import BaseForm, Textarea
from django.test import RequestFactory
from django.utils.module_loading import import_string

from participants.models import ExpressionOfInterest
from stepchange.plain_text import (
    CODE,
    NoControlCharacters,
    PlainTextMixin,
    has_control_characters,
    is_typed_text,
)
from tests.admin_forms import change_form_data
from tests.answers import ANSWERS, section_url
from tests.factories import UserFactory, login_with_two_factor

APPS = ["stepchange", "participants", "projects", "workstreams"]
NOT_IMPORTED = {"stepchange.wsgi", "stepchange.asgi", "stepchange.settings"}


def _import_every_module():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if module.name in NOT_IMPORTED or ".migrations" in module.name:
                continue
            importlib.import_module(module.name)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def admin_forms():
    """(name, form class) for every registered model admin and each of its inlines."""
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.build(is_staff=True, is_superuser=True, is_active=True)
    for model, model_admin in admin_site._registry.items():
        for obj in (None, model()):
            label = f"{model._meta.label} {'change' if obj else 'add'}"
            yield label, model_admin.get_form(request, obj)
            for inline in model_admin.get_inline_instances(request, obj):
                formset = inline.get_formset(request, obj)
                yield f"{label}, inline {inline.model._meta.label}", formset.form


def portal_forms():
    """Every form class defined in the portal's code, and the allauth forms it
    names in ACCOUNT_FORMS, except those the admin builds its pages from (which
    admin_forms() covers)."""
    _import_every_module()
    from_admin = {form for _, form in admin_forms()}
    classes = {
        cls
        for cls in _subclasses(BaseForm)
        if cls.__module__.split(".")[0] in APPS and "modelform_factory" not in cls.__qualname__
    }
    classes |= {import_string(path) for path in settings.ACCOUNT_FORMS.values()}
    return sorted(
        (cls for cls in classes if not any(issubclass(form, cls) for form in from_admin)),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def test_every_portal_form_refuses_control_characters(db):
    forms = portal_forms()

    assert len(forms) >= 25  # the walk found the portal's forms
    missing = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in forms
        if not issubclass(cls, PlainTextMixin)
    ]
    assert missing == []


def test_every_admin_form_refuses_control_characters(db):
    forms = list(admin_forms())

    assert len(forms) >= 40  # every model admin, added and changed, and their inlines
    assert [label for label, form in forms if not issubclass(form, PlainTextMixin)] == []


# What each form needs to be made, beyond nothing: a new form that needs more
# fails here until it is added.
def _form_kwargs(open_call):
    eoi = ExpressionOfInterest.objects.create(applicant=UserFactory(), call=open_call)
    user = eoi.applicant
    by_name = {
        "ProjectsForm": {"call": open_call, "instance": eoi},
        "ConflictForm": {"eoi": eoi},
        "DeclarationsForm": {"call": open_call},
        "EraseAccountForm": {"user": user},
        "StageDecisionForm": {"projects": open_call.projects.all()},
        "ChangePasswordForm": {"user": user},
        "SetPasswordForm": {"user": user},
        "AddEmailForm": {"user": user},
        "ReauthenticateForm": {"user": user},
        "AuthenticateForm": {"user": user},
        "ActivateTOTPForm": {"user": user},
        "ResetPasswordKeyForm": {"user": user, "temp_key": "key"},
        "LoginForm": {"request": RequestFactory().get("/")},
        "EmailCodeForm": {"request": RequestFactory().get("/")},
    }
    return by_name


def test_each_text_field_says_what_it_refuses_in_its_own_words(open_call):
    kwargs = _form_kwargs(open_call)
    messages = {}
    for cls in portal_forms():
        if hasattr(cls, "_meta") and cls._meta.model is None:
            continue  # a base for model forms, as SectionForm is
        # allauth's form that adds an app keeps a new secret in the request's session.
        request = RequestFactory().get("/")
        request.session = {}
        with allauth_context.request_context(request):
            form = cls(**kwargs.get(cls.__name__, {}))
        form.full_clean()  # unbound: guards the fields and validates nothing
        for name, field in form.fields.items():
            if not is_typed_text(field):
                continue
            (validator,) = [v for v in field.validators if isinstance(v, NoControlCharacters)]
            multiline = isinstance(field.widget, Textarea)
            assert validator.multiline is multiline
            messages[f"{cls.__name__}.{name}"] = validator.message

    assert messages["DetailsForm.full_name"] == (
        "Full name must not contain line breaks or control characters"
    )
    assert messages["OrganisationForm.sector_other"] == (
        "Other sector must not contain line breaks or control characters"
    )
    assert messages["WithdrawForm.reason"] == "Your reason must not contain control characters"
    assert messages["ProjectsForm.experience_CP1"] == (
        "Your relevant experience for CP1 must not contain control characters"
    )
    for field, message in messages.items():
        assert "?" not in message, field
        assert message.endswith(
            (
                "must not contain line breaks or control characters",
                "must not contain control characters",
            )
        ), field


@pytest.mark.parametrize(
    "value, one_line, multi_line",
    [
        ("Alex Applicant", False, False),
        ("Zoë O'Brien-Smith", False, False),
        ("Alex\r\nBcc: victim@example.org", True, False),
        ("Alex\nApplicant", True, False),
        ("Alex\tApplicant", True, False),
        ("before\x00after", True, True),
        ("bell\x07", True, True),
        ("escape\x1b[31m", True, True),
        ("delete\x7f", True, True),
        ("next line\x85", True, True),
        ("c1\x9b", True, True),
        ("line\u2028separator", True, False),
        ("paragraph\u2029separator", True, False),
        ("vertical\x0btab", True, True),
        ("form\x0cfeed", True, True),
        ("right-to-left \u202e and zero width \u200b are text", False, False),
    ],
)
def test_what_is_refused(value, one_line, multi_line):
    assert has_control_characters(value) is one_line
    assert has_control_characters(value, multiline=True) is multi_line


def test_a_line_break_in_a_name_shows_the_govuk_error_and_saves_nothing(
    applicant_client, complete_draft
):
    data = {**ANSWERS["your-details"], "full_name": "Alex\r\nBcc: victim@example.org"}

    response = applicant_client.post(section_url(complete_draft, "your-details"), data)

    assert response.status_code == 200
    html = response.content.decode()
    message = "Full name must not contain line breaks or control characters"
    assert 'class="govuk-error-summary"' in html
    assert f'<a href="#id_full_name">{message}</a>' in html
    assert html.count(message) == 2  # the summary and the field's own message
    complete_draft.refresh_from_db()
    assert complete_draft.full_name == "Alex Applicant"


def test_an_email_with_a_line_break_gets_one_message(db):
    from projects.forms import ProjectQuestionForm

    form = ProjectQuestionForm(
        {"name": "Sam", "email": "sam@example.org\r\nBcc: x@example.org", "question": "Hi"}
    )

    assert not form.is_valid()
    assert form.errors.as_data()["email"][0].code == CODE
    assert form.errors["email"] == [
        "Your email address must not contain line breaks or control characters"
    ]


@pytest.mark.parametrize("field", ["referee_name", "referee_job_title", "referee_relationship"])
def test_a_line_break_in_the_referees_details_is_refused_so_the_email_never_fails(
    applicant_client, complete_draft, field
):
    """A CR/LF once reached the referee's email and failed it for good: now the
    page refuses it, and the EOI still holds the answer that was good."""
    before = getattr(complete_draft, field)
    data = {**ANSWERS["validation"], field: "Robin\r\nBcc: victim@example.org"}

    response = applicant_client.post(section_url(complete_draft, "validation"), data)

    assert response.status_code == 200
    assert "must not contain line breaks or control characters" in response.content.decode()
    complete_draft.refresh_from_db()
    assert getattr(complete_draft, field) == before


def test_a_textarea_keeps_its_line_breaks_and_refuses_other_controls(
    applicant_client, complete_draft
):
    url = section_url(complete_draft, "projects")
    kept = {**ANSWERS["projects"], "experience_CP2": "First line.\r\nSecond line.\tTabbed."}
    assert applicant_client.post(url, kept).status_code == 302
    interest = complete_draft.project_interests.get(project__code="CP2")
    assert interest.experience == "First line.\r\nSecond line.\tTabbed."

    refused = {**ANSWERS["projects"], "experience_CP2": "Escape \x1b[31m red"}
    response = applicant_client.post(url, refused)

    assert response.status_code == 200
    assert (
        "Your relevant experience for CP2 must not contain control characters"
        in response.content.decode()
    )


def test_the_admin_refuses_a_line_break_in_a_one_line_field(client, open_call):
    office = UserFactory(is_staff=True, is_superuser=True)
    login_with_two_factor(client, office)
    url = f"/admin/projects/call/{open_call.pk}/change/"
    page = client.get(url)
    data = change_form_data(page)
    data["title"] = "A call\r\nBcc: victim@example.org"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Title must not contain line breaks or control characters" in response.content.decode()
    open_call.refresh_from_db()
    assert open_call.title != data["title"]
