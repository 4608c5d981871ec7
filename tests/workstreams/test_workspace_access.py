"""Who reaches which workspace URL: a matrix of roles × every URL of the
"workspace" namespace, read from the URL configuration so that a new URL
joins it by itself."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from participants.models import CoChairInterest
from tests.factories import UserFactory, applicant_for, login_with_two_factor

# What a co-chair of the workstream gets on a GET; every other URL: 200.
# (compare without two revisions chosen goes back to the list of revisions.)
OWN_CO_CHAIR = {"home": 302, "interest_remove": 405, "compare": 302}
# URLs that belong to the user rather than to a workstream.
PERSONAL = {"home", "interests", "interest_remove"}
CHANGES = {"project_edit", "applicant", "interests", "interest_remove"}


def workspace_urls():
    """(name, the names of its arguments) for every pattern of the workspace."""
    (workspace,) = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "workspace"
    ]
    return [(pattern.name, set(pattern.pattern.converters)) for pattern in workspace.url_patterns]


URLS = workspace_urls()


@pytest.fixture
def world(open_call, co_chair, other_co_chair, office):
    eoi = applicant_for(open_call, "Ash Lead")
    interest = CoChairInterest.objects.create(co_chair=co_chair, organisation="Other plc")
    arguments = {
        "slug": "crowded-places",
        "code": "cp1",
        "reference": eoi.reference,
        "pk": interest.pk,
    }
    return {
        "arguments": arguments,
        "people": {
            "stakeholder": eoi.applicant,
            "another stakeholder": UserFactory(email="other@example.org", stakeholder=True),
            "co-chair of another workstream": other_co_chair,
            "coordination office": office,
            "co-chair": co_chair,
        },
    }


def url_of(name, argument_names, arguments):
    return reverse(f"workspace:{name}", kwargs={key: arguments[key] for key in argument_names})


def test_the_matrix_covers_the_workspace():
    names = {name for name, _ in URLS}
    assert {"workstream", "project", "applicants", "applicants_csv", "applicant"} <= names


@pytest.mark.parametrize(("name", "argument_names"), URLS, ids=[name for name, _ in URLS])
def test_each_role_on_each_url(world, name, argument_names):
    url = url_of(name, argument_names, world["arguments"])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")

    for role, user in world["people"].items():
        client = Client()
        login_with_two_factor(client, user)
        response = client.get(url)
        if role == "co-chair":
            expected = OWN_CO_CHAIR.get(name, 200)
        elif role == "co-chair of another workstream" and name in PERSONAL - {"interest_remove"}:
            expected = OWN_CO_CHAIR.get(name, 200)  # their own workspace, not this one
        else:
            expected = 404
        assert response.status_code == expected, (role, url)


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_every_change_needs_the_csrf_token(world, name):
    argument_names = dict(URLS)[name]
    client = Client(enforce_csrf_checks=True)
    login_with_two_factor(client, world["people"]["co-chair"])

    response = client.post(url_of(name, argument_names, world["arguments"]), {})

    assert response.status_code == 403
    assert CoChairInterest.objects.count() == 1
