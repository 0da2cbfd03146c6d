"""On a real Redis, clearing the cache leaves the broker's queued tasks alone."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache.backends.redis import RedisCache

from lanshan_party.settings import next_redis_database

REDIS = os.environ.get("TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS, reason="no TEST_REDIS_URL: no Redis to test against")


def test_clearing_the_cache_keeps_every_task_queued_on_the_broker():
    import redis

    parts = urlsplit(REDIS)
    number = int(parts.path.strip("/") or 0)
    broker_url = urlunsplit(parts._replace(path=f"/{number - 1 if number else 0}"))  # leave room for the next one
    broker = redis.Redis.from_url(broker_url)
    queue = f"lanshan-test-queue-{os.getpid()}"
    broker.delete(queue)
    broker.lpush(queue, "a queued task")
    cache = RedisCache(next_redis_database(broker_url), {})
    try:
        cache.set("ledgers:progress:export:1", 10)
        cache.clear()

        assert cache.get("ledgers:progress:export:1") is None
        assert broker.llen(queue) == 1
    finally:
        broker.delete(queue)
