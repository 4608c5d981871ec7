"""The queries of each page a signed-in person uses, pinned: a page that starts asking
the database once more per project, per row or per header link fails here.

The counts are of a warm request (the shared parts, such as the catalogue's list,
already kept; see tests/projects/test_shared_fragments.py) made afresh, not the
page kept for the session (stepchange/personal_pages.py), which costs KEPT: the
user with their roles and two factors (the session itself is read from Redis). They include the
middlewares' share (the session, the user, roles and two factors, the access log).
"""

import pytest
from django.test import override_settings

from tests.factories import login_with_two_factor

STAKEHOLDER_PAGES = {
    "/": 3,
    "/projects/": 2,
    "/projects/cp1/": 7,
    "/applications/": 8,
    "{eoi}": 6,
    "{eoi}your-details/": 6,
    "{eoi}your-organisation/": 6,
    "{eoi}validation/": 6,
    "{eoi}projects/": 10,
    "{eoi}conflicts-of-interest/": 7,
    "{eoi}declarations/": 6,
    "{eoi}check-your-answers/": 8,
}

CO_CHAIR_PAGES = {
    "/workspace/crowded-places/": 10,
    "/workspace/crowded-places/projects/cp1/": 7,
    "/workspace/crowded-places/projects/cp1/applicants/": 7,
    "/workspace/crowded-places/projects/cp1/team/": 7,
    "/projects/": 2,
    "/": 3,
}

OFFICE_PAGES = {"/": 3, "/projects/": 2, "/projects/cp1/": 6}


KEPT = 1


def _pinned(client, url, queries, django_assert_num_queries, kept=KEPT):
    with override_settings(PERSONAL_PAGE_SECONDS=0):  # made afresh each time
        assert client.get(url).status_code == 200  # warm: shared parts kept
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(kept):
        again = client.get(url)
    assert again.content == first.content


@pytest.mark.parametrize(("url", "queries"), STAKEHOLDER_PAGES.items())
def test_a_stakeholders_pages(
    applicant_client, complete_draft, url, queries, django_assert_num_queries
):
    url = url.format(eoi=f"/applications/{complete_draft.reference}/")
    _pinned(applicant_client, url, queries, django_assert_num_queries)


@pytest.mark.parametrize(("url", "queries"), CO_CHAIR_PAGES.items())
def test_a_co_chairs_pages(client, open_call, co_chair, url, queries, django_assert_num_queries):
    login_with_two_factor(client, co_chair)
    _pinned(client, url, queries, django_assert_num_queries)


@pytest.mark.parametrize(("url", "queries"), OFFICE_PAGES.items())
def test_the_offices_pages(client, open_call, office, url, queries, django_assert_num_queries):
    login_with_two_factor(client, office)
    # A project's page shows the office its in-confidence notes as the session's
    # two factors allow: made afresh each time (Cache-Control: no-store).
    kept = queries if url == "/projects/cp1/" else KEPT
    _pinned(client, url, queries, django_assert_num_queries, kept)
