"""URL arguments of the wrong form never reach a view: stepchange/converters.py."""

import pytest
from django.urls import Resolver404, resolve, reverse


@pytest.mark.parametrize(
    "path",
    [
        "/applications/SC-ABCDE/",  # too short
        "/applications/SC-ABCDE-FGHIU/",  # U is not in Crockford's base32
        "/applications/sc-abcde-fghjk/check-your-answers/",
        "/applications/SC-ABCDE-FGHJK\x00/",
        "/projects/cp1.x/",
        "/projects/c p1/question/",
        "/workspace/crowded-places/projects/cp1\x00/",
        "/workspace/crowded-places/projects/CP1/applicants/SC-\x00/",
    ],
)
def test_a_malformed_reference_or_code_resolves_to_nothing(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_well_formed_arguments_resolve_and_reverse():
    assert resolve("/applications/SC-0A1B2-C3D4E/").url_name == "task_list"
    assert resolve("/projects/cp1/question/").kwargs == {"code": "cp1"}
    applicant = "/workspace/crowded-places/projects/CP1/applicants/SC-ZZZZZ-00000/"
    assert resolve(applicant).url_name == "applicant"
    assert reverse("participants:withdraw", kwargs={"reference": "SC-0A1B2-C3D4E"}) == (
        "/applications/SC-0A1B2-C3D4E/withdraw/"
    )
