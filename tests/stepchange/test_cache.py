"""The shared cache: django-redis, one client reused, and calm while Redis is away."""

import os

import pytest
from django.core.cache import caches

from stepchange.cache import ResilientRedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs the Redis of .ci/with-services"
)


def redis_cache(url):
    return ResilientRedisCache(
        url, {"OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1}}
    )


def test_one_client_serves_every_call():
    cache = redis_cache(os.environ["REDIS_URL"])
    cache.set("test:one-client", "kept", 30)

    assert cache.get("test:one-client") == "kept"
    assert cache.get_many(["test:one-client"]) == {"test:one-client": "kept"}
    assert cache.client.get_client(write=False) is cache.client.get_client(write=True)
    cache.delete("test:one-client")


def test_an_unreachable_redis_answers_as_an_empty_cache(caplog):
    cache = redis_cache("redis://127.0.0.1:9/0")  # the discard port: nothing listens

    assert cache.get("anything") is None
    assert cache.add("anything", 1, 30) is True
    assert cache.get_many(["a", "b"]) == {}
    assert "Exception ignored" in caplog.text
    assert {record.name for record in caplog.records} == {"stepchange.cache"}


def test_the_default_cache_is_the_resilient_one_when_redis_is_configured():
    assert isinstance(caches["default"], ResilientRedisCache) == bool(os.environ.get("CACHE_URL"))
