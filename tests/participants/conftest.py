import pytest
from allauth.account.models import EmailAddress

from projects.services import open_demonstration_call
from tests.factories import UserFactory


@pytest.fixture
def open_call(loaded_programme):
    """The demonstration call: open now, closing four weeks from today."""
    return open_demonstration_call()


def verified_user(email, full_name="Alex Applicant"):
    user = UserFactory(email=email, full_name=full_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def applicant(db):
    return verified_user("alex@example.org")


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


ANSWERS = {
    "your-details": {
        "full_name": "Alex Applicant",
        "job_title": "Head of Security",
        "work_phone": "01632 960 001",
        "work_email": "alex@example.org",
    },
    "your-organisation": {
        "organisation_name": "Example Venues Ltd",
        "sector": "private",
        "organisation_size": "large",
        "website": "www.example.org",
        "memberships": ["cssc"],
    },
    "validation": {
        "referee_name": "Robin Referee",
        "referee_job_title": "Chief Operating Officer",
        "referee_email": "robin@example.org",
        "referee_phone": "+44 808 157 0192",
        "referee_relationship": "Line manager",
        "referee_consent": "on",
        "vetting": "sc",
        "sia_licence_number": "1234 5678 9012 3456",
    },
    "projects": {
        "projects": ["CP2", "T1"],
        "role_CP2": "lead",
        "experience_CP2": "Ran the venue partnership programme for five years.",
        "preference_CP2": "1",
        "role_T1": "deliver",
        "experience_T1": "Vetting policy for 2,000 staff.",
        "preference_T1": "2",
        "hours_per_month": "8",
    },
    "conflicts-of-interest": {"has_conflicts": "no"},
    "declarations": {
        "accepts_confidentiality": "on",
        "accepts_voluntary": "on",
        "undertakes_to_declare": "on",
        "read_privacy_notice": "on",
    },
}


def section_url(eoi, section):
    return f"/applications/{eoi.reference}/{section}/"


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


# What the applicant of `sent_eoi` typed that names, reaches or describes them.
PERSONAL_VALUES = [
    "Alex Applicant",
    "alex@example.org",
    "Head of Security",
    "01632 960 001",
    "+44 808 157 0192",
    "Example Venues",
    "www.example.org",
    "Robin Referee",
    "robin@example.org",
    "Chief Operating Officer",
    "1234567890123456",
    "Ran the venue partnership programme",
    "Vetting policy for 2,000 staff",
    "Shareholding in Acme Barriers",
    "Acme Barriers",
    "Referee answered by phone",
    "Strong on venues, knows Alex",
    "I moved jobs",
]


@pytest.fixture
def sent_eoi(applicant_client, complete_draft, open_call):
    """The applicant's EOI, sent, with everything the office adds to one."""
    from django.utils import timezone

    from participants.models import (
        Amendment,
        ConflictOfInterest,
        Decision,
        ExpressionOfInterest,
        Recommendation,
        TeamMembership,
        ValidationCheck,
    )
    from projects.models import Project

    response = applicant_client.post(
        f"/applications/{complete_draft.reference}/check-your-answers/"
    )
    assert response.status_code == 302
    eoi = ExpressionOfInterest.objects.get(pk=complete_draft.pk)
    office = UserFactory(email="pco-officer@example.org", is_staff=True)
    conflict = ConflictOfInterest.objects.create(
        expression_of_interest=eoi,
        organisation="Acme Barriers",
        nature="financial",
        details="Shareholding in Acme Barriers",
        outcome="managed",
        mitigation="Kept out of Acme Barriers procurement",
    )
    conflict.excluded_from.add(Project.objects.get(code="CP1"))
    Amendment.objects.create(
        expression_of_interest=eoi, section="your-details", changes={"job_title": ["x", "y"]}
    )
    ValidationCheck.objects.create(
        expression_of_interest=eoi,
        method="referee_confirmed",
        result="passed",
        note="Referee answered by phone",
        recorded_by=office,
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
    eoi.move_to("accepted", by=office)
    Decision.objects.create(
        expression_of_interest=eoi,
        project=cp2,
        outcome="accept",
        role="lead",
        staged_by=office,
        applied_by=office,
        applied_at=timezone.now(),
    )
    TeamMembership.objects.create(
        project=cp2, member=eoi.applicant, role="lead", expression_of_interest=eoi, added_by=office
    )
    return eoi
