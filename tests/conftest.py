import pytest
from django.conf import settings

from projects.services import load_programme


def _redacted(url):
    """A URL without its password, for the test report's header."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    vendor = database["ENGINE"].rsplit(".", 1)[-1]
    where = (
        f"{database.get('HOST') or 'local socket'}:{database.get('PORT') or ''}"
        if vendor != "sqlite3"
        else str(database["NAME"])
    )
    return [
        f"database: {vendor} at {where}",
        f"celery broker: {_redacted(settings.CELERY_BROKER_URL)}",
    ]


@pytest.fixture
def loaded_programme(db):
    """The Call to Action's content, loaded as `manage.py loadprogramme` loads it."""
    load_programme()
