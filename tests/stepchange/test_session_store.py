"""Sessions read from Redis and written through to the database (stepchange/session_store.py)."""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache


def test_a_session_is_kept_in_redis_a_minute_at_most(applicant_client):
    """An ending Redis missed (it ignores its errors) lasts no longer than that:
    stepchange/session_store.py."""
    assert settings.SESSION_ENGINE == "stepchange.session_store"
    key = applicant_client.session.session_key
    applicant_client.get("/applications/")
    assert 0 < cache.ttl(KEY_PREFIX + key) <= settings.SESSION_CACHE_SECONDS == 60


def test_signing_out_ends_the_session_in_redis_and_the_database(applicant_client):
    key = applicant_client.session.session_key
    applicant_client.get("/applications/")
    assert cache.get(KEY_PREFIX + key) is not None
    applicant_client.post("/accounts/logout/")
    assert cache.get(KEY_PREFIX + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    assert applicant_client.get("/applications/").status_code == 302
