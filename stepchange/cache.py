"""A Redis cache that answers "nothing cached" while Redis is unreachable.

The cache holds rate limits and speeds pages up; neither is worth a failed
page. With Django's own RedisCache an unreachable Redis raises on every
access, so a sign-in or an EOI would fail while Redis restarts; this one logs
the failure and carries on as if the cache were empty (rate limits then
allow, which is the lesser harm for minutes).
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
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


class ResilientRedisCache(RedisCache):
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
