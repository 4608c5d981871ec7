"""The "Projects" page's per-project questions come from a template tag
(participants/templatetags/eoi_projects.py) instead of the template loop they
replaced: the page must be the same, byte for byte, in every state. The loop's
template is kept in markup/section_projects_before.html to compare with."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory

from participants.forms.eoi_projects import EXPERIENCE_MAX_LENGTH, ProjectsForm

BEFORE = (Path(__file__).parent / "markup" / "section_projects_before.html").read_text()
AFTER = (Path(__file__).parents[2] / "templates/participants/section_projects.html").read_text()


def _both(eoi, user, data):
    request = RequestFactory().post("/") if data is not None else RequestFactory().get("/")
    request.user = user
    form = ProjectsForm(data, call=eoi.call, instance=eoi)
    if data is not None:
        form.is_valid()
    context = {"eoi": eoi, "form": form, "experience_max": EXPERIENCE_MAX_LENGTH}
    engine = engines["django"]
    before = engine.from_string(BEFORE).render(context, request)
    after = engine.from_string(AFTER).render(context, request)
    # The CSRF token is masked afresh at each render: compare everything else.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    return token.sub("TOKEN", before), token.sub("TOKEN", after)


@pytest.mark.parametrize(
    "data",
    [
        None,  # as saved: CP2 and T1 answered
        {},  # nothing sent
        {"projects": ["CP1", "CP2", "T1"], "role_CP1": "lead", "preference_CP2": "9"},
        {
            "projects": ["CP1", "T1"],
            "role_CP1": "develop",
            "role_T1": "<b>",
            "experience_CP1": 'Ran <script>alert("x")</script> & more\n"quoted"',
            "experience_T1": "x" * (EXPERIENCE_MAX_LENGTH + 1),
            "preference_CP1": "1",
            "preference_T1": "1",
            "hours_per_month": "many",
        },
    ],
    ids=["saved", "empty", "some-errors", "escaping-and-errors"],
)
def test_the_projects_page_is_the_same_byte_for_byte(complete_draft, applicant, data):
    before, after = _both(complete_draft, applicant, data)
    assert "conditional-CP1" in after
    assert after == before
