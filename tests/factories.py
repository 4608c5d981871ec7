import datetime
import functools
import time

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from participants.models import User
from projects.models import Call, Project
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


@functools.cache
def hashed(password):
    """The password hashed once per test run: the real hasher, without its cost per user."""
    return make_password(password)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.Transformer("a-long-test-password", transform=hashed)

    @factory.post_generation
    def two_factor(user, create, extracted, **kwargs):
        # Staff must sign in with two factors, so staff made here have an
        # authenticator app; pass two_factor=False for one who has not set it up.
        wanted = user.is_staff if extracted is None else extracted
        if create and wanted and not hasattr(user, "totp_secret"):
            give_two_factor(user)


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
