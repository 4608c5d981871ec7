"""A Redis cache that answers "nothing cached" while Redis is unreachable.

The cache holds rate limits and speeds pages up; neither is worth a failed
page. With Django's own RedisCache an unreachable Redis raises on every
access, so a sign-in or an EOI would fail while Redis restarts; this one logs
the failure and carries on as if the cache were empty (rate limits then
allow, which is the lesser harm for minutes).

It also keeps one redis.Redis client per connection pool: Django's client
makes a new one on every call, which costs about 0.3 ms with redis-py 7 (more
than the round trip to Redis), and a public page or a rate limit is a call or
two.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(default):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as problem:
                logger.warning("cache unreachable in %s: %s", method.__name__, problem)
                return default() if callable(default) else default

        return wrapper

    return decorator


class PooledRedisCacheClient(RedisCacheClient):
    """RedisCacheClient that reuses its redis.Redis clients (thread-safe; the pool connects)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledRedisCacheClient

    add = _tolerant(True)(RedisCache.add)
    get = _tolerant(None)(RedisCache.get)
    set = _tolerant(None)(RedisCache.set)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    get_many = _tolerant(dict)(RedisCache.get_many)
    set_many = _tolerant(list)(RedisCache.set_many)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    incr = _tolerant(0)(RedisCache.incr)
    clear = _tolerant(None)(RedisCache.clear)
