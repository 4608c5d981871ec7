"""Start-up refuses to run in production without the settings it needs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="stepchange.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, missing",
    [
        ({"ALLOWED_HOSTS": "portal.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
    ],
)
def test_production_start_up_names_the_missing_setting(env, missing):
    result = start(DEBUG="0", **env)

    assert result.returncode != 0
    assert f"{missing} must be set in the environment when DEBUG is off" in result.stderr


def test_production_starts_with_both_settings():
    result = start(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org")

    assert result.returncode == 0, result.stderr


def test_development_needs_neither():
    assert start(DEBUG="1").returncode == 0


def test_embedded_defaults_need_no_server():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND)"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL"}
    }
    environment.update(DEBUG="1", DJANGO_SETTINGS_MODULE="stepchange.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )

    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.filebased.EmailBackend",
    ]


def test_the_embedded_broker_keeps_every_folder_under_var():
    """kombu's filesystem transport puts its exchange table in ./control unless told;
    the embedded broker's folders all belong in var/, never in the checkout."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(*sorted(f'{k}={v}' for k, v in s.CELERY_BROKER_TRANSPORT_OPTIONS.items() "
        "if 'folder' in k), s.VAR_DIR)"
    )
    environment = {key: value for key, value in os.environ.items() if key != "CELERY_BROKER_URL"}
    environment.update(DEBUG="1", DJANGO_SETTINGS_MODULE="stepchange.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )

    *folders, var_dir = result.stdout.split()
    assert [folder.split("=")[0] for folder in folders] == [
        "control_folder",
        "data_folder_in",
        "data_folder_out",
        "processed_folder",
    ]
    assert all(folder.split("=", 1)[1].startswith(var_dir) for folder in folders)
