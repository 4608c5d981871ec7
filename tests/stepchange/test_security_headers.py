"""Strict headers and cookies on every kind of page, and a production
configuration that passes Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from stepchange.models import NoticeTemplate
from tests.factories import login_with_two_factor

ROOT = Path(__file__).resolve().parents[2]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}
PASSWORD = "a-long-test-password"  # tests/factories.py UserFactory's


def directives(policy):
    """A Content-Security-Policy as {directive: [sources]}."""
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def no_store(response):
    return "no-store" in response.headers.get("Cache-Control", "")


def get(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200, url
    return response


# Each kind of page: the public site (anonymous), an applicant's page, allauth's
# and the admin's.
@pytest.fixture(params=["home", "project", "applications", "sign-in", "admin"])
def page(request, client, loaded_programme):
    if request.param == "applications":
        client.force_login(request.getfixturevalue("applicant"))
    elif request.param == "admin":
        login_with_two_factor(client, request.getfixturevalue("superuser"))
    url = {
        "home": "/",
        "project": "/projects/cp1/",
        "applications": "/applications/",
        "sign-in": "/accounts/login/",
        "admin": "/admin/",
    }[request.param]
    return request.param, get(client, url)


def test_every_kind_of_page_sends_the_security_headers(page):
    _, response = page

    assert {name: response.headers.get(name) for name in HEADERS} == HEADERS


def test_the_policy_allows_no_inline_or_evaluated_script(page):
    _, response = page

    policy = directives(response.headers["Content-Security-Policy"])

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert (policy["object-src"], policy["base-uri"]) == (["'none'"], ["'none'"])
    assert (policy["default-src"], policy["frame-ancestors"]) == (["'self'"], ["'none'"])
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_personal_pages_are_never_stored_and_public_pages_may_be(page):
    name, response = page

    assert no_store(response) is (name in {"applications", "sign-in", "admin"})


def test_a_signed_in_persons_public_page_is_never_stored(client, loaded_programme, applicant):
    client.force_login(applicant)

    assert no_store(get(client, "/")) is True
    assert no_store(get(client, "/projects/cp1/")) is True


@pytest.mark.parametrize(
    "url", ["/referee/not-a-token/", "/unsubscribe/not-a-token/", "/workspace/", "/admin/login/"]
)
def test_pages_reached_by_a_link_without_signing_in_are_never_stored(client, db, url):
    response = client.get(url, secure=True)

    assert no_store(response) is True


def test_the_notice_preview_alone_allows_the_emails_style_attributes(client, superuser):
    # The preview's srcdoc iframe inherits the page's policy; emails are styled
    # with style attributes.
    template = NoticeTemplate.objects.create(
        key="participants/email/confirmation", subject="s", body_text="t", body_html="<p>h</p>"
    )
    login_with_two_factor(client, superuser)

    response = get(client, reverse("admin:stepchange_noticetemplate_preview", args=[template.pk]))

    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert (policy["script-src"], policy["style-src"]) == (["'self'"], ["'self'"])
    other = get(client, reverse("admin:stepchange_noticetemplate_change", args=[template.pk]))
    assert other.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_csrf_cookie_is_a_secure_host_cookie(client, db):
    response = get(client, "/accounts/login/")

    cookie = response.cookies["__Host-csrftoken"]
    assert (cookie["secure"], cookie["path"], cookie["domain"], cookie["samesite"]) == (
        True,
        "/",
        "",
        "Lax",
    )


def test_signing_in_sets_a_secure_http_only_host_session_cookie(client, applicant):
    response = client.post(
        "/accounts/login/", {"login": applicant.email, "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert (
        cookie["secure"],
        cookie["httponly"],
        cookie["path"],
        cookie["domain"],
        cookie["samesite"],
    ) == (True, True, "/", "", "Lax")


def environment(**env):
    """This process's environment without its test-only security settings, plus `env`."""
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production has none.
    skipped = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "STATICFILES_BACKEND",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    return {
        **{
            key: value
            for key, value in os.environ.items()
            if key not in skipped and not key.startswith(("SECURE_", "TRUST_X_FORWARDED"))
        },
        "DJANGO_SETTINGS_MODULE": "stepchange.settings",
        **env,
    }


def test_production_settings_pass_the_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment(
            DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="portal.example.org"
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "debug, expected",
    [
        ("0", "True __Host-sessionid __Host-csrftoken True True"),
        # `make run` serves plain http on loopback.
        ("1", "False sessionid csrftoken False False"),
    ],
)
def test_production_redirects_to_https_and_uses_host_cookies(debug, expected):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(DEBUG=debug, SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == expected, result.stderr
