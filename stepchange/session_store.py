"""Sessions read from Redis, written through to the database, kept in Redis a minute.

Django's `cached_db` saves a query a request (the session's row) by keeping each
session in the cache for its whole life. Our Redis cache ignores its errors
(stepchange/cache.py), so a session ended while Redis could not be reached
(signed out, ended from another device, an account deactivated) is deleted from
the database but could stay in a Redis that comes back with its data. Kept for at
most SESSION_CACHE_SECONDS, such a session ends by itself within that time; the
database, which every ending reaches, stays the record.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class _AMinuteAtMost:
    """The session cache, with every entry's life cut to SESSION_CACHE_SECONDS."""

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout=None, **kwargs):
        limit = settings.SESSION_CACHE_SECONDS
        timeout = limit if timeout is None else min(timeout, limit)
        return self._cache.set(key, value, timeout, **kwargs)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _AMinuteAtMost(self._cache)
