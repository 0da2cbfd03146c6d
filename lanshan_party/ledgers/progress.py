"""Live progress of export and import jobs, in the cache rather than the database: an import writes its rows inside
one long transaction that nobody else can see into until it commits, and progress must show meanwhile."""

from django.core.cache import cache

KEEP_SECONDS = 24 * 3600


def _key(kind: str, pk: int) -> str:
    return f"ledgers:progress:{kind}:{pk}"


def set(kind: str, pk: int, done: int) -> None:  # noqa: A001 - reads as progress.set(...)
    cache.set(_key(kind, pk), done, KEEP_SECONDS)


def get(kind: str, pk: int) -> int | None:
    return cache.get(_key(kind, pk))
