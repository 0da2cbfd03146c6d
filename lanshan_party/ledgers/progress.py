"""Live progress of export and import jobs, in the cache rather than the database: an import writes its rows inside
one long transaction that nobody else can see into until it commits, and progress must show meanwhile.

The cache is a convenience: when it is down or hung, writes are skipped and reads answer None (the pages then show
what the database knows), after at most one bounded wait (see resilience.cache)."""

import logging

from django.core.cache import cache

from lanshan_party import resilience

logger = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 3600


def _key(kind: str, pk: int) -> str:
    return f"ledgers:progress:{kind}:{pk}"


def set(kind: str, pk: int, done: int) -> None:  # noqa: A001 - reads as progress.set(...)
    if not resilience.cache.allow():
        return
    try:
        cache.set(_key(kind, pk), done, KEEP_SECONDS)
    except Exception as error:  # the cache's own client errors: redis.ConnectionError, TimeoutError, ...
        resilience.cache.trip(f"{type(error).__name__}: {error}")


def get(kind: str, pk: int) -> int | None:
    if not resilience.cache.allow():
        return None
    try:
        return cache.get(_key(kind, pk))
    except Exception as error:
        resilience.cache.trip(f"{type(error).__name__}: {error}")
        return None
