"""Rate limits: sign-in, sign-up, password reset, EOI submission, referee links and
project questions are bounded per address and per account, with a clear page, and
the counts live in the shared cache so that they hold across web processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from participants import referees
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def use_up_in_another_process(action, sender, limit):
    """Take every slot of `sender` for `action` from a separate Python process,
    as another web process would, through the cache configured for the tests."""
    # Slot by slot through ratelimit.take() costs limit² cache round trips; the
    # slots' keys, written at once, are what those calls would leave.
    code = (
        "import django; django.setup()\n"
        "from django.core.cache import cache\n"
        "from django.utils import timezone\n"
        "from stepchange import ratelimit\n"
        f"keys = ratelimit._keys({action!r}, {sender!r}, {limit})\n"
        "cache.set_many(dict.fromkeys(keys, timezone.now()), timeout=3600)\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        # tests.settings: under xdist, this worker's own cache database.
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        check=True,
        timeout=60,
    )


def test_the_cache_is_shared_by_processes():
    # Without a shared cache (the default local memory), each process counts alone.
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()


def test_referee_links_are_limited_per_address(client, db):
    limit = referees.REFEREE_LINK_LIMITS["per_address"]
    use_up_in_another_process("referee-link:address", "ip:127.0.0.1", limit)

    response = client.get("/referee/not-even-a-token/")

    assert response.status_code == 429
    assert "Referee links have been opened too often" in response.content.decode()


def test_failed_sign_ins_are_limited_per_account(client, db):
    user = UserFactory(email="sam@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong guess!"})

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_ups_are_limited_per_address(client, db):
    for number in range(20):
        client.post(
            reverse("account_signup"),
            {"email": f"person{number}@example.org", "password1": "x", "password2": "x"},
        )

    response = client.post(
        reverse("account_signup"),
        {"email": "one.more@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_password_resets_are_limited_per_address_and_address_asked_for(client, db):
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": "sam@example.org"})

    response = client.post(reverse("account_reset_password"), {"email": "sam@example.org"})

    assert response.status_code == 429


def test_project_questions_are_limited_per_account(client, loaded_programme):
    from projects.services import QUESTION_LIMITS

    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    limit = QUESTION_LIMITS["per_account"]
    use_up_in_another_process("project-question:account", f"user:{user.pk}", limit)

    response = client.get("/projects/cp1/question/")

    assert response.status_code == 429
