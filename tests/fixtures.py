"""The fixtures every test directory shares, registered once as a pytest plugin by
the root conftest (`pytest_plugins`). Each says who or what it is; the people in
them are made by tests/factories.py, so their traits are spelt out there once.

`loaded_programme` (the Call to Action's content) lives in the root conftest;
the fixtures here depend on it by name.
"""

import pytest

from projects.services import open_demonstration_call
from tests.answers import ANSWERS, section_url
from tests.factories import (
    ConflictOfInterestFactory,
    DecisionFactory,
    TeamMembershipFactory,
    UserFactory,
    ValidationCheckFactory,
)
from workstreams.models import Workstream


@pytest.fixture
def open_call(loaded_programme):
    """The demonstration call: open now, closing four weeks from today."""
    return open_demonstration_call()


@pytest.fixture
def crowded_places(loaded_programme):
    return Workstream.objects.get(slug="crowded-places")


# People


@pytest.fixture
def applicant(db):
    """Alex, who signed up and verified their address: the EOI journey's applicant."""
    return UserFactory(email="alex@example.org", full_name="Alex Applicant", stakeholder=True)


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


@pytest.fixture
def co_chair(crowded_places):
    """Chris, the crowded places workstream's business co-chair, with an authenticator."""
    return UserFactory(
        email="chair@example.org",
        full_name="Chris Chair",
        co_chair=True,
        business_co_chair_of=crowded_places,
    )


@pytest.fixture
def other_co_chair(loaded_programme):
    """Toni, the transport workstream's police co-chair: no say over crowded places."""
    return UserFactory(
        email="transport-chair@example.org",
        full_name="Toni Transport",
        co_chair=True,
        police_co_chair_of="transport",
    )


@pytest.fixture
def office(db):
    """A member of the coordination office's staff group, with an authenticator."""
    return UserFactory(email="pco@example.org", office=True)


@pytest.fixture
def superuser(db):
    return UserFactory(email="pco@example.org", superuser=True)


# Expressions of interest made through the applicant's own pages


@pytest.fixture
def complete_draft(applicant_client, open_call, applicant):
    """A draft with every section answered through the pages themselves."""
    from participants.models import ExpressionOfInterest

    applicant_client.get("/applications/express-interest/")
    eoi = ExpressionOfInterest.objects.get(applicant=applicant)
    for section, data in ANSWERS.items():
        response = applicant_client.post(section_url(eoi, section), data)
        assert response.status_code == 302, (section, response.content.decode()[:3000])
    eoi.refresh_from_db()
    return eoi


@pytest.fixture
def submitted(applicant_client, complete_draft):
    """The complete draft, sent from its check-your-answers page; its notices are in
    the outbox."""
    from participants.models import ExpressionOfInterest

    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/check-your-answers/"
    )
    assert response.status_code == 302
    return ExpressionOfInterest.objects.get(pk=complete_draft.pk)


@pytest.fixture
def sent_eoi(submitted):
    """The applicant's EOI, sent, with everything the office adds to one: a conflict
    excluding them from CP1, an amendment, a referee's check, a co-chair's
    recommendation, triage to shortlisted, applied decisions (CP2 accepted, T1 declined,
    so accepted) and a place in CP2's team.
    Its personal values are tests.answers.PERSONAL_VALUES."""
    from participants.models import Amendment, Recommendation
    from projects.models import Project

    eoi = submitted
    office = UserFactory(email="pco-officer@example.org", is_staff=True)
    conflict = ConflictOfInterestFactory(
        expression_of_interest=eoi,
        organisation="Acme Barriers",
        details="Shareholding in Acme Barriers",
        outcome="managed",
        mitigation="Kept out of Acme Barriers procurement",
    )
    conflict.excluded_from.add(Project.objects.get(code="CP1"))
    Amendment.objects.create(
        expression_of_interest=eoi, section="your-details", changes={"job_title": ["x", "y"]}
    )
    ValidationCheckFactory(
        expression_of_interest=eoi, note="Referee answered by phone", recorded_by=office
    )
    cp2 = Project.objects.get(code="CP2")
    Recommendation.objects.create(
        expression_of_interest=eoi,
        project=cp2,
        co_chair=UserFactory(email="chair@example.org"),
        verdict="lead",
        comment="Strong on venues, knows Alex",
    )
    eoi.move_to("under_review", by=office)
    eoi.move_to("shortlisted", by=office)
    DecisionFactory(expression_of_interest=eoi, project=cp2, staged_by=office, applied=True)
    DecisionFactory(
        expression_of_interest=eoi,
        project=Project.objects.get(code="T1"),
        outcome="decline",
        role="",
        staged_by=office,
        applied=True,
    )
    eoi.mark_decided(by=office)
    TeamMembershipFactory(
        project=cp2, member=eoi.applicant, expression_of_interest=eoi, added_by=office
    )
    return eoi
