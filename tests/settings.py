"""The portal's settings as the test suite runs them (pyproject.toml's DJANGO_SETTINGS_MODULE).

stepchange/settings.py, with two changes made for speed:

- A fast password hasher first. The production hashers follow it, so their
  hashes still check; the tests of passwords put the production order back
  (tests/conftest.py, `real_password_hasher`).
- Under pytest-xdist, each worker has its own Redis databases for the cache
  and the Celery broker (16 + 2n and 17 + 2n for worker gw<n>; .ci/with-services's
  Redis has 256), so that one worker's cache.clear() or queue never meets
  another's. Derived from the environment each time (the broker's URL is
  written back to it, where Celery looks first); a process a test starts with
  these settings finds the same databases.
"""

import os
import re

from django.conf import global_settings

from stepchange.settings import *  # noqa: F403
from stepchange.settings import CACHES, CELERY_BROKER_URL

PRODUCTION_PASSWORD_HASHERS = list(
    globals().get("PASSWORD_HASHERS") or global_settings.PASSWORD_HASHERS
)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    *PRODUCTION_PASSWORD_HASHERS,
]

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"… under xdist
if _worker.startswith("gw"):
    _number = int(_worker[2:])

    def _own_database(url, offset):
        """The Redis URL with this worker's database in place of the one given."""
        return re.sub(r"(redis://[^/]+)(/\d*)?$", rf"\g<1>/{16 + 2 * _number + offset}", url)

    if CELERY_BROKER_URL.startswith("redis://"):
        CELERY_BROKER_URL = _own_database(CELERY_BROKER_URL, 0)
        # Celery reads CELERY_BROKER_URL from the environment before any setting
        # (celery.app.utils.Settings.broker_url), so the worker's own database goes
        # there too; the worker processes a test starts inherit it.
        os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
    if str(CACHES["default"].get("LOCATION", "")).startswith("redis://"):
        CACHES["default"]["LOCATION"] = _own_database(CACHES["default"]["LOCATION"], 1)
