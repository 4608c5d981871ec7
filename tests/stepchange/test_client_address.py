"""Behind our proxy each visitor counts alone: one client address for every limit.

In the documented deployment gunicorn sits behind a reverse proxy, so
REMOTE_ADDR is the proxy's address for everyone. stepchange.client_address
reads X-Forwarded-For as TRUSTED_PROXY_COUNT says; our rate limits, allauth's
and the address stored with each session all use it, and no other module
reads REMOTE_ADDR or X-Forwarded-For.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from participants import referees
from projects.models import ProjectQuestion
from projects.services import QUESTION_LIMITS
from stepchange import ratelimit
from stepchange.client_address import client_address
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "stepchange.settings"
PROXY = "127.0.0.1"  # our proxy, on gunicorn's host
ALICE = "198.51.100.7"
BOB = "198.51.100.8"
SPOOF = "203.0.113.66"  # what a client writes into X-Forwarded-For itself
QUESTION_URL = "/projects/cp3/question/"
QUESTION = {"name": "Sam Asker", "email": "sam@example.org", "question": "How long?"}
PASSWORD = "a-long-test-password"


def request_from(remote=PROXY, forwarded=None, **headers):
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize(
    "count, forwarded, remote, expected",
    [
        # No trusted proxy: X-Forwarded-For is ignored entirely.
        (0, ALICE, PROXY, PROXY),
        (0, f"{SPOOF}, {ALICE}", BOB, BOB),
        # One proxy: the right-most entry, the one our proxy added.
        (1, ALICE, PROXY, ALICE),
        (1, f"{SPOOF}, {ALICE}", PROXY, ALICE),
        (1, f"not an address, {SPOOF},{ALICE}", PROXY, ALICE),
        # Two proxies: the outer one wrote the client, the inner one the outer's address.
        (2, f"{SPOOF}, {ALICE}, 10.0.0.2", PROXY, ALICE),
        # Not through every proxy (a health check from the proxy's host): who connected.
        (1, None, PROXY, PROXY),
        (2, ALICE, PROXY, PROXY),
        # Proxies that add the port, or brackets.
        (1, f"{ALICE}:51234", PROXY, ALICE),
        (1, "[2001:DB8::1]:443", PROXY, "2001:db8::1"),
        (1, "2001:db8::1", PROXY, "2001:db8::1"),
        # What our proxy wrote is not an address: no client address at all.
        (1, f"{ALICE}, unknown", PROXY, None),
    ],
)
def test_the_client_address_is_the_entry_our_proxies_added(
    settings, count, forwarded, remote, expected
):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_address(request_from(remote, forwarded)) == expected


def test_a_trusted_header_names_the_client_and_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"

    assert client_address(request_from(forwarded=SPOOF, HTTP_X_REAL_IP=ALICE)) == ALICE
    assert client_address(request_from(forwarded=ALICE)) is None


def test_allauth_uses_the_same_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from(forwarded=f"{SPOOF}, {ALICE}")

    assert get_adapter().get_client_ip(request) == ALICE
    assert ratelimit.senders(request) == [f"ip:{ALICE}"]
    with pytest.raises(PermissionDenied):
        get_adapter().get_client_ip(request_from(forwarded="unknown"))
    with pytest.raises(PermissionDenied):
        ratelimit.senders(request_from(forwarded="unknown"))


# Configured from the environment, read once in settings.py


def start(code="", **env):
    """Start Django in a new process with DEBUG on and `env`; run `code` after setup."""
    environment = {**os.environ, **env, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": SETTINGS}
    for name in {"TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER"} - set(env):
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT must be a whole number, 0 or more"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be a whole number, 0 or more"),
        (
            {"TRUSTED_CLIENT_IP_HEADER": "X-Forwarded-For"},
            "TRUSTED_CLIENT_IP_HEADER must be one header's name",
        ),
        (
            {"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP: 1"},
            "TRUSTED_CLIENT_IP_HEADER must be one header's name",
        ),
        (
            {"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP", "TRUSTED_PROXY_COUNT": "1"},
            "and not set with TRUSTED_PROXY_COUNT",
        ),
    ],
)
def test_a_bad_proxy_setting_stops_start_up_naming_it(env, message):
    result = start(**env)

    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "0 0 None"),
        ({"TRUSTED_PROXY_COUNT": "2"}, "2 2 None"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "0 0 X-Real-IP"),
    ],
)
def test_allauth_reads_the_same_proxy_settings(env, expected):
    result = start(
        "from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT, "
        "s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)",
        **env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == expected


# Every limit counts the visitor behind the proxy, not the proxy


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def via_proxy(forwarded):
    """A request as our proxy passes it on: from its address, with the header it appended to."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def use_up(action, address, limit):
    """Take every slot of `address` for `action`, as its earlier requests would have."""
    now = timezone.now()
    keys = [f"ratelimit:{action}:address:ip:{address}:{slot}" for slot in range(limit)]
    cache.set_many(dict.fromkeys(keys, now), timeout=3600)


def test_project_questions_count_each_visitor_behind_the_proxy(
    client, loaded_programme, behind_one_proxy
):
    use_up("project-question", ALICE, QUESTION_LIMITS["per_address"])

    assert client.post(QUESTION_URL, QUESTION, **via_proxy(ALICE)).status_code == 429
    # Alice does not get out of her count by writing another address in front of hers.
    assert client.post(QUESTION_URL, QUESTION, **via_proxy(f"{SPOOF}, {ALICE}")).status_code == 429
    assert client.get(QUESTION_URL, **via_proxy(f"{BOB}, {ALICE}")).status_code == 429
    # Bob, through the same proxy, is not held back by Alice.
    assert client.post(QUESTION_URL, QUESTION, **via_proxy(BOB)).status_code == 302
    assert ProjectQuestion.objects.count() == 1


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, loaded_programme, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    use_up("project-question", ALICE, QUESTION_LIMITS["per_address"])

    # Alice, connecting herself, cannot claim to be Bob ...
    response = client.post(QUESTION_URL, QUESTION, REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=BOB)
    assert response.status_code == 429
    # ... nor can Bob be taken for Alice.
    response = client.post(QUESTION_URL, QUESTION, REMOTE_ADDR=BOB, HTTP_X_FORWARDED_FOR=ALICE)
    assert response.status_code == 302


def test_referee_links_count_each_visitor_behind_the_proxy(client, db, behind_one_proxy):
    use_up("referee-link", ALICE, referees.REFEREE_LINK_LIMITS["per_address"])

    assert client.get("/referee/not-a-token/", **via_proxy(f"{SPOOF}, {ALICE}")).status_code == 429
    assert client.get("/referee/not-a-token/", **via_proxy(BOB)).status_code == 404


def test_allauths_limits_count_each_visitor_behind_the_proxy(client, db, behind_one_proxy):
    refused = {"email": "someone@example.org", "password1": "x", "password2": "x"}
    # allauth allows 20 sign-ups a minute from one address; each time a different
    # address is written in front of Alice's.
    for number in range(20):
        forwarded = f"203.0.113.{number}, {ALICE}"
        assert (
            client.post(reverse("account_signup"), refused, **via_proxy(forwarded)).status_code
            == 200
        )

    response = client.post(reverse("account_signup"), refused, **via_proxy(f"{SPOOF}, {ALICE}"))
    assert response.status_code == 429
    assert client.post(reverse("account_signup"), refused, **via_proxy(BOB)).status_code == 200


def test_a_session_records_the_visitors_address_not_the_proxys(client, db, behind_one_proxy):
    user = UserFactory(email="sam@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        **via_proxy(f"{SPOOF}, {ALICE}"),
    )

    assert response.status_code == 302
    assert UserSession.objects.get(user=user).ip == ALICE


# No other module reads the address: a new limit or record gets it from client_address()

# Where a request's address could be read from: the WSGI variable, the proxy headers
# (X-Forwarded-For, Forwarded, X-Real-IP, CF-Connecting-IP, True-Client-IP, ...).
ADDRESS_SOURCES = re.compile(
    r"remote[_-]?addr|forwarded[_-]?for|^forwarded$|real[_-]?ip|client[_-]?ip", re.IGNORECASE
)
# Configuration, not reading: settings.py names the headers it is told to trust.
MAY_NAME_THEM = {"stepchange/client_address.py", "stepchange/settings/security.py"}
# allauth's own entry point, overridden to call client_address().
MAY_NAME_GET_CLIENT_IP = {"participants/adapters.py"}
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "var", "tests", "static", "__pycache__"}


def first_party_files(suffix):
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        for name in files:
            if name.endswith(suffix):
                path = Path(folder) / name
                yield path.relative_to(ROOT).as_posix(), path.read_text()


def address_reads(source):
    """(line, text) of each string constant or name in `source` that could read an address."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and ADDRESS_SOURCES.search(node.value.strip()):
                yield node.lineno, node.value
        elif isinstance(node, ast.Attribute | ast.Name | ast.FunctionDef):
            name = getattr(node, "attr", None) or getattr(node, "id", None) or node.name
            if name == "get_client_ip":
                yield node.lineno, name


def test_only_client_address_reads_the_clients_address():
    found = {path: list(address_reads(source)) for path, source in first_party_files(".py")}
    found = {path: reads for path, reads in found.items() if reads}

    # The scan sees the one module that does read it.
    assert "stepchange/client_address.py" in found
    assert [
        (path, reads)
        for path, reads in found.items()
        if path not in MAY_NAME_THEM
        and not (path in MAY_NAME_GET_CLIENT_IP and {r for _, r in reads} == {"get_client_ip"})
    ] == []


def test_no_template_reads_the_clients_address():
    assert [
        path
        for path, text in first_party_files(".html")
        if re.search(r"REMOTE_ADDR|request\.META", text, re.IGNORECASE)
    ] == []
