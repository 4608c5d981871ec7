"""The shared cache: django-redis, answering "nothing cached" while Redis is unreachable.

The cache holds rate limits and speeds pages up; neither is worth a failed
page. With IGNORE_EXCEPTIONS (settings.py) django-redis logs the failure and
carries on as if the cache were empty, so a sign-in or an EOI still works
while Redis restarts. django-redis keeps one client per server, reused by
every call.

One answer needs correcting: while Redis is away django-redis's `add` answers
None, which a rate limit would read as "every slot taken" and refuse
everyone. Here it answers True, so rate limits allow for those minutes, which
is the lesser harm.
"""

from django_redis.cache import RedisCache


class ResilientRedisCache(RedisCache):
    def add(self, *args, **kwargs):
        added = super().add(*args, **kwargs)
        return True if added is None else added
