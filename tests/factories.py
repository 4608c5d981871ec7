import datetime
import functools

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from participants.models import User
from projects.models import Call, Project
from workstreams.models import Workstream


@functools.cache
def hashed(password):
    """The password hashed once per test run: the real hasher, without its cost per user."""
    return make_password(password)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.Transformer("a-long-test-password", transform=hashed)


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
