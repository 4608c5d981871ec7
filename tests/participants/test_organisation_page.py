"""The "Your organisation" page: the sector's follow-up questions are GOV.UK
conditional reveals that the server still checks; the telephone numbers the
portal takes (UK, or international in +CC form) and says it takes; and every
GOV.UK input in error has its red border, whatever its widget."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.exceptions import ValidationError

from participants.forms.base import gds_helper
from participants.models import ExpressionOfInterest
from participants.validators import PHONE_ERROR, PHONE_HINT, normalise_phone
from stepchange.govuk_fields import with_error_modifier
from stepchange.plain_text import PlainTextForm
from tests.answers import ANSWERS, section_url

ORGANISATION = ANSWERS["your-organisation"]


@pytest.fixture
def draft(applicant_client, open_call, applicant):
    applicant_client.get("/applications/express-interest/")
    return ExpressionOfInterest.objects.get(applicant=applicant)


def post_organisation(client, eoi, **changes):
    data = {**ORGANISATION, **changes}
    return client.post(section_url(eoi, "your-organisation"), data)


def input_tag(html, name):
    """The <input> (or <select>, <textarea>) tag named `name`."""
    return re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html).group(0)


def classes_of(tag):
    return re.search(r'class="([^"]*)"', tag).group(1).split()


# The reveals


def test_the_follow_ups_are_revealed_under_their_answers_only(applicant_client, draft):
    html = applicant_client.get(section_url(draft, "your-organisation")).content.decode()

    controls = dict(re.findall(r'value="(\w+)" data-aria-controls="([\w-]+)"', html))
    assert controls == {
        "private": "conditional-sector-private",
        "other": "conditional-sector-other",
    }
    form = html[html.index("<form") :]
    assert "aria-controls=" not in form.replace("data-aria-controls=", "")
    for reveal_id, field in [
        ("conditional-sector-private", 'name="organisation_size"'),
        ("conditional-sector-other", 'name="sector_other"'),
    ]:
        reveal = html[html.index(f'id="{reveal_id}"') :]
        reveal = reveal[: reveal.index("</fieldset>") if "size" in field else 2000]
        assert field in reveal
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
        "Which sector is your organisation in?</legend>" in html
    )
    # Nothing chosen yet: both hidden (by the stylesheet, only when JavaScript runs).
    assert html.count("govuk-radios__conditional--hidden") == 2


def test_a_chosen_answer_s_follow_up_is_shown(applicant_client, draft):
    response = post_organisation(applicant_client, draft, sector="other", sector_other="")
    html = response.content.decode()

    assert 'class="govuk-radios__conditional" id="conditional-sector-other"' in html
    assert html.count("govuk-radios__conditional--hidden") == 1
    assert "Enter your organisation&#x27;s sector" in html


def test_the_detail_is_required_only_under_other(applicant_client, draft):
    response = post_organisation(applicant_client, draft, sector="other", sector_other=" ")
    assert response.status_code == 200

    response = post_organisation(
        applicant_client, draft, sector="other", sector_other="Sports governing body"
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.sector, draft.sector_other, draft.organisation_size) == (
        "other",
        "Sports governing body",
        "",
    )


def test_the_size_is_required_only_in_the_private_sector(applicant_client, draft):
    response = post_organisation(applicant_client, draft, sector="private", organisation_size="")
    assert "Select how big your organisation is" in response.content.decode()

    response = post_organisation(applicant_client, draft, sector="government", organisation_size="")
    assert response.status_code == 302


def test_a_hidden_branch_s_answer_is_discarded(applicant_client, draft):
    # Typed under Other, then Government chosen: neither the detail nor a size is kept.
    response = post_organisation(
        applicant_client,
        draft,
        sector="government",
        sector_other="Sports governing body",
        organisation_size="large",
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.sector, draft.sector_other, draft.organisation_size) == ("government", "", "")


def test_the_website_input_is_a_gov_uk_input(applicant_client, draft):
    html = applicant_client.get(section_url(draft, "your-organisation")).content.decode()
    assert "govuk-input" in classes_of(input_tag(html, "website"))


# Telephone numbers


@pytest.mark.parametrize(
    "number",
    [
        "01632 960 001",
        "07700 900 982",
        "+44 808 157 0192",
        "+44 (0)1632 960 001",
        "0044 1632 960001",
        "+33 1 23 45 67 89",
        "+1 (202) 555-0100",
        "+353 1 234 5678",
    ],
)
def test_uk_and_international_numbers_are_taken(number):
    assert normalise_phone(number) == number


@pytest.mark.parametrize(
    "number",
    ["12345", "01632 96", "+44 1632 96", "0033 1 23 45 67 89", "+33 12", "+0 123 456 789", "abc"],
)
def test_other_numbers_are_refused_with_the_message_the_hint_matches(number):
    with pytest.raises(ValidationError) as refused:
        normalise_phone(number)
    assert refused.value.messages == [PHONE_ERROR]


def test_hint_and_error_give_the_same_international_example():
    example = "+33 1 23 45 67 89"
    assert example in PHONE_HINT and example in PHONE_ERROR


@pytest.mark.parametrize(
    "section, field", [("your-details", "work_phone"), ("validation", "referee_phone")]
)
def test_both_telephone_questions_take_an_international_number(
    applicant_client, draft, section, field
):
    page = applicant_client.get(section_url(draft, section)).content.decode()
    assert "start with + and the country code, like +33 1 23 45 67 89" in page

    data = {**ANSWERS[section], field: "+33 1 23 45 67 89"}
    assert applicant_client.post(section_url(draft, section), data).status_code == 302
    draft.refresh_from_db()
    assert getattr(draft, field) == "+33 1 23 45 67 89"

    data[field] = "12345"
    html = applicant_client.post(section_url(draft, section), data).content.decode()
    assert "Enter a telephone number, like 01632 960 001, 07700 900 982 or +33" in html


# Red borders


def test_an_email_field_in_error_has_a_red_border(applicant_client, draft):
    data = {**ANSWERS["your-details"], "work_email": "not-an-email"}
    html = applicant_client.post(section_url(draft, "your-details"), data).content.decode()
    assert "govuk-input--error" in classes_of(input_tag(html, "work_email"))


class EveryWidget(PlainTextForm):
    text = forms.CharField()
    email = forms.EmailField()
    website = forms.URLField(assume_scheme="https")
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}))
    number = forms.IntegerField()
    when = forms.DateField(widget=forms.DateInput)
    choice = forms.ChoiceField(choices=[("", "Choose"), ("a", "A")])
    story = forms.CharField(widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.fields, submit=None)


ERROR_MODIFIER = {"choice": "govuk-select--error", "story": "govuk-textarea--error"}


def test_every_widget_in_error_has_its_component_s_red_border():
    form = EveryWidget({"email": "x", "website": "not a website", "number": "many", "when": "x"})
    html = render_crispy_form(form)
    for name in form.fields:
        classes = classes_of(input_tag(html, name))
        expected = ERROR_MODIFIER.get(name, "govuk-input--error")
        assert expected in classes, (name, classes)
        assert [c for c in classes if c.endswith("--error")] == [expected], (name, classes)


def test_every_widget_has_its_gov_uk_class_and_no_border_when_right():
    form = EveryWidget(
        {
            "text": "x",
            "email": "a@example.org",
            "website": "www.example.org",
            "phone": "01632 960 001",
            "number": "3",
            "when": "2026-12-02",
            "choice": "a",
            "story": "x",
        }
    )
    assert form.is_valid(), form.errors
    html = render_crispy_form(form)
    component = {"choice": "govuk-select", "story": "govuk-textarea"}
    for name in form.fields:
        classes = classes_of(input_tag(html, name))
        assert component.get(name, "govuk-input") in classes, (name, classes)
        assert not any(c.endswith("--error") for c in classes), (name, classes)


@pytest.mark.parametrize(
    "classes, marked",
    [
        (
            "govuk-input govuk-!-width-two-thirds",
            "govuk-input govuk-!-width-two-thirds govuk-input--error",
        ),
        ("govuk-select govuk-input--error", "govuk-select govuk-select--error"),
        ("govuk-textarea govuk-input--error", "govuk-textarea govuk-textarea--error"),
        ("govuk-input govuk-input--error", "govuk-input govuk-input--error"),
        ("vTextField", "vTextField"),
        ("", ""),
    ],
)
def test_the_error_modifier_follows_the_component(classes, marked):
    assert with_error_modifier(classes) == marked
