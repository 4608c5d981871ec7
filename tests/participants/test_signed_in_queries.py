"""The queries of each page a signed-in person uses, pinned: a page that starts asking
the database once more per project, per row or per header link fails here.

The counts are of a warm request (the shared parts, such as the catalogue's list,
already kept; see tests/projects/test_shared_fragments.py). They include the
middlewares' share (the session, the user, roles and two factors, the access log).
"""

import pytest

from tests.factories import login_with_two_factor

STAKEHOLDER_PAGES = {
    "/": 4,
    "/projects/": 3,
    "/projects/cp1/": 8,
    "/applications/": 9,
    "{eoi}": 7,
    "{eoi}your-details/": 7,
    "{eoi}your-organisation/": 7,
    "{eoi}validation/": 7,
    "{eoi}projects/": 11,
    "{eoi}conflicts-of-interest/": 8,
    "{eoi}declarations/": 7,
    "{eoi}check-your-answers/": 9,
}

CO_CHAIR_PAGES = {
    "/workspace/crowded-places/": 11,
    "/workspace/crowded-places/projects/cp1/": 8,
    "/workspace/crowded-places/projects/cp1/applicants/": 8,
    "/workspace/crowded-places/projects/cp1/team/": 8,
    "/projects/": 3,
    "/": 4,
}

OFFICE_PAGES = {"/": 4, "/projects/": 3, "/projects/cp1/": 7}


def _pinned(client, url, queries, django_assert_num_queries):
    assert client.get(url).status_code == 200  # warm: shared parts kept
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


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
    _pinned(client, url, queries, django_assert_num_queries)
