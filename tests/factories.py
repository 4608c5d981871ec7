import datetime
import functools
import time

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import get_hasher, make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from participants.models import (
    ConflictOfInterest,
    Decision,
    ExpressionOfInterest,
    ProjectInterest,
    TeamMembership,
    User,
    ValidationCheck,
)
from projects.models import Call, Project
from tests.staff_groups import ensure_staff_groups
from workstreams.models import Workstream


def give_two_factor(user):
    """Give `user` an authenticator app (TOTP); returns its secret, also kept on the user."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user.totp_secret


def login_with_two_factor(client, user):
    """Sign `client` in as `user` with a session that passed two factors, as allauth leaves
    it after the password and a code from the app (the admin, the workspace and
    in-confidence notes need that). Gives `user` an app first if they have none.

    client.force_login alone is a session signed in with the password only."""
    from allauth.mfa.base.internal.flows import post_authentication
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest

    app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if app is None:
        give_two_factor(user)
        app = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    client.force_login(user)
    request = HttpRequest()
    request.session, request.user = client.session, user
    post_authentication(request, app)
    request.session.save()


def totp_code(secret):
    """The code the user's authenticator app shows now."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def hashed(password):
    """The password hashed once per test run and hasher, without the cost per user.

    Hashed by the hasher in force (tests/settings.py's fast one, or production's
    in the tests of passwords): a hash by another would be upgraded the first
    time it is checked, which changes the account and ends its sessions.
    """
    return _hashed(password, get_hasher().algorithm)


@functools.cache
def _hashed(password, algorithm):
    return make_password(password, hasher=algorithm)


def _verify_address(user, create, extracted, **kwargs):
    """The login address verified and primary, as following the sign-up link leaves it."""
    if create:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _add_authenticator(user, create, extracted, **kwargs):
    if create and not hasattr(user, "totp_secret"):
        give_two_factor(user)


def _joins(group):
    """A hook that puts the user in one of the staff groups the migrations make."""

    def join(user, create, extracted, **kwargs):
        if create:
            # A transactional test before this one may have flushed the groups.
            ensure_staff_groups()
            user.groups.add(Group.objects.get(name=group))

    return join


class UserFactory(factory.django.DjangoModelFactory):
    """An account. Traits say who it is:

    - `stakeholder`: a member of the public who signed up and followed the link
      in the email (their address verified), the one who writes EOIs;
    - `verified`: the login address verified and primary, as allauth leaves it;
    - `with_authenticator`: an authenticator app (TOTP), as co-chairs and staff have;
    - `co_chair`: a verified account with an app; appoint it with
      `business_co_chair_of=workstream` or `police_co_chair_of=workstream`;
    - `office`, `board`: staff in the coordination office's or the programme
      board's group (the groups the migrations make, with their permissions);
    - `superuser`: staff with every permission.
    """

    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    class Params:
        # A trait can hand a post-generation hook no value, only another declaration:
        # so each one that adds rows names a PostGeneration of its own.
        stakeholder = factory.Trait(verified=factory.PostGeneration(_verify_address))
        with_authenticator = factory.Trait(two_factor=factory.PostGeneration(_add_authenticator))
        co_chair = factory.Trait(
            verified=factory.PostGeneration(_verify_address),
            two_factor=factory.PostGeneration(_add_authenticator),
        )
        office = factory.Trait(
            is_staff=True, staff_group=factory.PostGeneration(_joins("Coordination office"))
        )
        board = factory.Trait(
            is_staff=True, staff_group=factory.PostGeneration(_joins("Programme board"))
        )
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.Transformer("a-long-test-password", transform=hashed)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if extracted:
            _verify_address(user, create, extracted)

    @factory.post_generation
    def two_factor(user, create, extracted, **kwargs):
        # Staff must sign in with two factors, so staff made here have an
        # authenticator app; pass two_factor=False for one who has not set it up.
        if user.is_staff if extracted is None else extracted:
            _add_authenticator(user, create, extracted)

    @factory.post_generation
    def staff_group(user, create, extracted, **kwargs):
        if extracted:
            _joins(extracted)(user, create, extracted)

    @factory.post_generation
    def business_co_chair_of(user, create, extracted, **kwargs):
        if create and extracted:
            appoint_co_chair(user, extracted, "business_co_chair")

    @factory.post_generation
    def police_co_chair_of(user, create, extracted, **kwargs):
        if create and extracted:
            appoint_co_chair(user, extracted, "police_co_chair")


def appoint_co_chair(user, workstream, seat):
    """Give `user` the workstream's business or police co-chair's seat, as the admin
    does: by saving the workstream. `workstream` may be its slug."""
    if isinstance(workstream, str):
        workstream = Workstream.objects.get(slug=workstream)
    setattr(workstream, seat, user)
    workstream.save()
    return workstream


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    code = factory.Sequence(lambda n: f"W{n}")
    slug = factory.Sequence(lambda n: f"workstream-{n}")
    name = factory.Sequence(lambda n: f"Workstream {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"P{n}")
    workstream = factory.SubFactory(WorkstreamFactory)
    action = factory.Faker("sentence", nb_words=12)
    vision_for_success = factory.Faker("sentence", nb_words=12)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = "Test call"
    opens = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    contact_email = "pco@example.org"


def _first_name(eoi):
    return eoi.full_name.split()[0].lower() if eoi.full_name else "someone"


def _last_name(eoi):
    return eoi.full_name.split()[-1] if eoi.full_name else "Example"


class ExpressionOfInterestFactory(factory.django.DjangoModelFactory):
    """An EOI: a draft with nothing answered unless traits say otherwise.

    - `answered`: the details, organisation and validation answers, derived from
      `full_name` ("Blake Member" works at blake@work.example.org for Member Ltd);
    - `draft`, `submitted`, `under_review`, `shortlisted`, `accepted`, `declined`,
      `withdrawn`: the status, with exactly what the transition methods
      (`mark_submitted`, `move_to`, `mark_withdrawn`) set on the row: when it was
      sent, or withdrawn. Their StatusChange trail is not written: tests of the
      trail call the methods themselves.
    """

    class Meta:
        model = ExpressionOfInterest

    class Params:
        answered = factory.Trait(
            job_title="Head of Security",
            work_email=factory.LazyAttribute(lambda o: f"{_first_name(o)}@work.example.org"),
            work_phone="01632 960 001",
            organisation_name=factory.LazyAttribute(lambda o: f"{_last_name(o)} Ltd"),
            sector=ExpressionOfInterest.Sector.PRIVATE,
            referee_name="Robin Referee",
            referee_email=factory.LazyAttribute(
                lambda o: f"referee-of-{_first_name(o)}@example.org"
            ),
            referee_phone="01632 960 999",
            vetting=ExpressionOfInterest.Vetting.SC,
            sia_licence_number="1234567890123456",
        )
        draft = factory.Trait(status=ExpressionOfInterest.Status.DRAFT)
        submitted = factory.Trait(
            status=ExpressionOfInterest.Status.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        under_review = factory.Trait(
            submitted=True, status=ExpressionOfInterest.Status.UNDER_REVIEW
        )
        shortlisted = factory.Trait(submitted=True, status=ExpressionOfInterest.Status.SHORTLISTED)
        accepted = factory.Trait(submitted=True, status=ExpressionOfInterest.Status.ACCEPTED)
        declined = factory.Trait(submitted=True, status=ExpressionOfInterest.Status.DECLINED)
        withdrawn = factory.Trait(
            status=ExpressionOfInterest.Status.WITHDRAWN,
            withdrawn_at=factory.LazyFunction(timezone.now),
        )

    applicant = factory.SubFactory(UserFactory, stakeholder=True)
    call = factory.SubFactory(CallFactory)


def _project(interest):
    return Project.objects.get(code=interest.code) if interest.code else ProjectFactory()


class ProjectInterestFactory(factory.django.DjangoModelFactory):
    """An EOI's offer of a role in a project: `code="CP1"` names one of the programme's."""

    class Meta:
        model = ProjectInterest

    class Params:
        code = None

    expression_of_interest = factory.SubFactory(ExpressionOfInterestFactory)
    project = factory.LazyAttribute(_project)
    role = ProjectInterest.Role.LEAD
    experience = "Years of it."


class ValidationCheckFactory(factory.django.DjangoModelFactory):
    """The referee confirmed the applicant: a passed check (`failed=True` for the other)."""

    class Meta:
        model = ValidationCheck

    class Params:
        failed = factory.Trait(result=ValidationCheck.Result.FAILED)

    expression_of_interest = factory.SubFactory(ExpressionOfInterestFactory)
    method = ValidationCheck.Method.REFEREE_CONFIRMED
    result = ValidationCheck.Result.PASSED


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    """A declared interest the office has not yet decided on."""

    class Meta:
        model = ConflictOfInterest

    expression_of_interest = factory.SubFactory(ExpressionOfInterestFactory)
    organisation = "Acme"
    nature = ConflictOfInterest.Nature.FINANCIAL
    details = "x"


class DecisionFactory(factory.django.DjangoModelFactory):
    """The office's decision on one offer, staged; `applied=True` once applied."""

    class Meta:
        model = Decision

    class Params:
        code = None
        applied = factory.Trait(
            applied_by=factory.SelfAttribute("staged_by"),
            applied_at=factory.LazyFunction(timezone.now),
        )

    expression_of_interest = factory.SubFactory(ExpressionOfInterestFactory)
    project = factory.LazyAttribute(_project)
    outcome = Decision.Outcome.ACCEPT
    role = ProjectInterest.Role.LEAD


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    """A place in a project's team: `code="CP1"` names one of the programme's projects."""

    class Meta:
        model = TeamMembership

    class Params:
        code = None

    project = factory.LazyAttribute(_project)
    member = factory.SubFactory(UserFactory, stakeholder=True)
    role = ProjectInterest.Role.LEAD


def applicant_for(call, name, code="CP1", role="lead", status="submitted", **answers):
    """`name`'s EOI to `call`, answered and in `status` (a trait's name), offering
    `role` in project `code`. Their account is <first name>@example.org, verified."""
    first = name.split()[0].lower()
    eoi = ExpressionOfInterestFactory(
        applicant=UserFactory(email=f"{first}@example.org", full_name=name, stakeholder=True),
        call=call,
        full_name=name,
        answered=True,
        **{status: True},
        **answers,
    )
    ProjectInterestFactory(
        expression_of_interest=eoi,
        code=code,
        role=role,
        experience=f"{name} ran venue security for ten years.",
    )
    return eoi
