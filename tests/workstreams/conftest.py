import pytest
from django.contrib.auth.models import Group

from participants.models import ExpressionOfInterest, ProjectInterest, ValidationCheck
from projects.models import Project
from tests.factories import UserFactory, give_two_factor
from tests.participants.conftest import verified_user
from workstreams.models import Workstream


@pytest.fixture
def open_call(loaded_programme):
    from projects.services import open_demonstration_call

    return open_demonstration_call()


@pytest.fixture
def crowded_places(loaded_programme):
    return Workstream.objects.get(slug="crowded-places")


@pytest.fixture
def co_chair(crowded_places):
    user = verified_user("chair@example.org", full_name="Chris Chair")
    give_two_factor(user)
    crowded_places.business_co_chair = user
    crowded_places.save()
    return user


@pytest.fixture
def other_co_chair(loaded_programme):
    user = verified_user("transport-chair@example.org", full_name="Toni Transport")
    give_two_factor(user)
    Workstream.objects.filter(slug="transport").update(police_co_chair=user)
    return user


@pytest.fixture
def office(db):
    user = UserFactory(email="pco@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordination office"))
    return user


def applicant_for(call, name, code="CP1", role="lead", status="submitted", **answers):
    """An applicant with a sent EOI offering `role` in project `code`."""
    first = name.split()[0].lower()
    eoi = ExpressionOfInterest.objects.create(
        applicant=verified_user(f"{first}@example.org", full_name=name),
        call=call,
        status=status,
        full_name=name,
        job_title="Head of Security",
        work_email=f"{first}@work.example.org",
        work_phone="01632 960 001",
        organisation_name=answers.pop("organisation_name", f"{name.split()[-1]} Ltd"),
        sector=answers.pop("sector", "private"),
        referee_name="Robin Referee",
        referee_email=f"referee-of-{first}@example.org",
        referee_phone="01632 960 999",
        vetting="sc",
        sia_licence_number="1234567890123456",
        **answers,
    )
    ProjectInterest.objects.create(
        expression_of_interest=eoi,
        project=Project.objects.get(code=code),
        role=role,
        experience=f"{name} ran venue security for ten years.",
    )
    return eoi


def validate(eoi):
    ValidationCheck.objects.create(
        expression_of_interest=eoi, method="referee_confirmed", result="passed"
    )


# Identity and vetting details: never on a co-chair's page or in their CSV.
IDENTITY_VALUES = [
    "work.example.org",
    "01632 960 001",
    "Robin Referee",
    "referee-of-",
    "01632 960 999",
    "1234567890123456",
    "Security Check",
]
