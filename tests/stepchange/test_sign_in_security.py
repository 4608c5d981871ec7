"""Sign-in: two factors for staff and co-chairs, the admin's login through allauth,
sessions that end when they should, and password rules."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from stepchange import session_limits
from tests.conftest import deliver_outbox
from tests.factories import UserFactory, login_with_two_factor, totp_code
from workstreams.models import Workstream

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def account(email, **fields):
    user = UserFactory(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def signed_in(client):
    return SESSION_KEY in client.session


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.parametrize("path", ["/admin/", "/admin/participants/expressionofinterest/"])
def test_staff_without_two_factor_are_sent_to_set_it_up(client, db, path):
    client.force_login(account("pco@example.org", is_staff=True, two_factor=False))

    response = client.get(path)

    # Sent to set it up, with where they were going handed on (stepchange/onward.py).
    onward = "?" + urlencode({"next": path})
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp") + onward
    # A code emailed to them first (then allauth asks for the password again).
    assert client.get(response.url).url == reverse("two_factor_email_code") + onward


def test_co_chairs_without_two_factor_are_sent_to_set_it_up(client, loaded_programme):
    co_chair = account("chair@example.org")
    Workstream.objects.filter(slug="transport").update(police_co_chair=co_chair)
    client.force_login(co_chair)

    assert client.get("/workspace/").url == reverse("mfa_activate_totp") + "?next=%2Fworkspace%2F"


def test_stakeholders_are_not_asked_for_two_factor(client, db):
    client.force_login(account("sam@example.org"))

    assert client.get("/applications/").status_code == 200


def test_a_post_to_the_admin_login_signs_nobody_in(client, db):
    account("pco@example.org", is_superuser=True, is_staff=True)

    response = client.post(
        "/admin/login/", {"username": "pco@example.org", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_staff_sign_in_needs_the_code_as_well_as_the_password(client, db):
    user = account("pco@example.org", is_staff=True, is_superuser=True)

    after_password = sign_in(client, user.email)

    assert after_password.url == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not signed_in(client)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(user.totp_secret)})
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_a_code_from_the_step_before_works_once_and_older_codes_do_not(client, db):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    user = account("pco@example.org", is_staff=True, is_superuser=True)

    def code(steps_ago):
        """The code the app showed `steps_ago` 30-second steps ago."""
        return format_hotp_value(hotp_value(user.totp_secret, int(time.time()) // 30 - steps_ago))

    sign_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": code(2)})
    assert not signed_in(client)
    just_expired = code(1)
    client.post(reverse("mfa_authenticate"), {"code": just_expired})
    assert signed_in(client)

    client.logout()
    sign_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": just_expired})
    assert not signed_in(client)  # a code works once


def test_signing_in_gives_a_new_session_key(client, db):
    account("sam@example.org")
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key

    sign_in(client, "sam@example.org")

    assert signed_in(client)
    assert client.session.session_key != before


@pytest.mark.parametrize(
    "moment, seconds_ago",
    [(session_limits.SEEN, 31 * 60), (session_limits.STARTED, 13 * 60 * 60)],
    ids=["idle", "too-old"],
)
def test_staff_sessions_end_when_idle_or_too_old(client, db, moment, seconds_ago):
    login_with_two_factor(client, account("pco@example.org", is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[moment] = time.time() - seconds_ago
    session.save()

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert not signed_in(client)


def test_a_stakeholders_session_is_not_cut_short(client, db):
    client.force_login(account("sam@example.org"))
    session = client.session
    session[session_limits.SEEN] = time.time() - 31 * 60
    session.save()

    assert client.get("/applications/").status_code == 200


def test_deactivating_an_account_ends_its_sessions(client, db):
    from django.contrib.sessions.models import Session

    user = account("sam@example.org")
    sign_in(client, user.email)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    user.is_active = False
    user.save()

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/applications/").status_code == 302


def test_changing_the_password_ends_the_other_sessions(client, db):
    user = account("sam@example.org")
    other = Client()
    other.force_login(user)
    client.force_login(user)

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "another quite long passphrase",
            "password2": "another quite long passphrase",
        },
    )

    assert other.get("/applications/").status_code == 302
    assert client.get("/applications/").status_code == 200


def test_users_see_and_end_their_sessions(client, db):
    user = account("sam@example.org")
    other = Client()
    sign_in(other, user.email)
    sign_in(client, user.email)

    page = client.get(reverse("usersessions_list"))

    assert page.status_code == 200
    assert page.content.decode().count("127.0.0.1") >= 2
    client.post(reverse("usersessions_list"))  # "sign out other sessions"
    assert other.get("/applications/").status_code == 302
    assert client.get("/applications/").status_code == 200


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("short-pass1", False),  # 11 characters
        ("password1234", False),  # common
        ("123456789012345", False),  # numeric
        ("a" * 12 + "Q7!", True),
        ("correct horse battery staple " * 2 + "abcdef", True),  # 64 characters
    ],
)
def test_password_rules(client, db, password, accepted):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Nat New",
            "email": "new@example.org",
            "password1": password,
            "password2": password,
        },
    )

    assert (response.status_code == 302) is accepted


def test_a_password_reset_does_not_sign_in_so_two_factor_still_applies(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = account("pco@example.org", is_staff=True)
    client.post(reverse("account_reset_password"), {"email": user.email})
    deliver_outbox()
    link = mail.outbox[0].body.split("http://testserver", 1)[1].split()[0]
    form = client.get(link, follow=True)

    client.post(
        form.request["PATH_INFO"],
        {
            "password1": "another quite long passphrase",
            "password2": "another quite long passphrase",
        },
    )

    assert not signed_in(client)
    after_password = sign_in(client, user.email, "another quite long passphrase")
    assert after_password.url == reverse("mfa_authenticate")
    assert not signed_in(client)
