"""Arbitrary text in every field of every EOI page never makes a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import ExpressionOfInterest
from tests.answers import ANSWERS, section_url

# Text of every kind: control characters, NUL, surrogates excluded (they cannot
# be sent in a form), right-to-left overrides, long runs, markup.
hostile_text = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "{{ 7*7 }}",
            "\u202eevil",
            "=cmd|'/c calc'!A1",
            "x" * 5000,
            "\x00",
        ]
    ),
)
SECTIONS = list(ANSWERS)
CONFLICT_FIELDS = ["organisation", "nature", "details", "projects"]


def answers(posted):
    """The page again or onwards; 400 for a NUL, refused before any page sees it."""
    return {200, 302, 400} if any("\x00" in value for value in posted.values()) else {200, 302}


def field_names(section):
    names = set(ANSWERS[section])
    if section == "projects":
        names |= {
            f"{kind}_{code}"
            for kind in ["role", "experience", "preference"]
            for code in ["T1", "CP2", "SR5"]
        }
    return sorted(names)


@pytest.mark.parametrize("section", SECTIONS)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_arbitrary_text_in_every_field_never_fails(applicant_client, complete_draft, section, data):
    posted = {name: data.draw(hostile_text, label=name) for name in field_names(section)}

    response = applicant_client.post(section_url(complete_draft, section), posted)

    assert response.status_code in answers(posted)
    if response.status_code == 200:
        assert "<script>alert(1)</script>" not in response.content.decode()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_arbitrary_text_in_conflict_and_withdraw_forms_never_fails(
    applicant_client, complete_draft, data
):
    ref = complete_draft.reference
    conflict = {name: data.draw(hostile_text, label=name) for name in CONFLICT_FIELDS}
    assert applicant_client.post(
        f"/applications/{ref}/conflicts-of-interest/add/", conflict
    ).status_code in answers(conflict)
    reason = data.draw(hostile_text, label="reason")
    response = applicant_client.post(f"/applications/{ref}/withdraw/", {"reason": reason})
    assert response.status_code in answers({"reason": reason})
    ExpressionOfInterest.objects.filter(pk=complete_draft.pk).update(
        status="draft", withdrawn_at=None
    )
