"""Calls to Redis (broker and cache) that a web request makes must never hold the request up: each is bounded in
time, and after a failure the same kind of call is skipped for a while instead of waiting again on every request.

What a skipped publish would have done is done later by a sweep, which works from database rows; what a skipped
cache read would have shown falls back to what the database knows.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Opens for `cooldown` seconds after a failure: while open, `allow()` is false and callers skip the call."""

    def __init__(self, name: str, cooldown: float) -> None:
        self.name = name
        self.cooldown = cooldown
        self._open_until = 0.0
        self._lock = threading.Lock()

    def allow(self) -> bool:
        return time.monotonic() >= self._open_until

    def trip(self, reason: str) -> None:
        with self._lock:
            if self.allow():
                logger.warning("%s unavailable (%s): skipping it for %.0f s", self.name, reason, self.cooldown)
            self._open_until = time.monotonic() + self.cooldown

    def reset(self) -> None:
        self._open_until = 0.0


broker = CircuitBreaker("Celery broker", cooldown=30)
cache = CircuitBreaker("Cache", cooldown=10)


def bounded(call: Callable[[], Any], *, breaker: CircuitBreaker, wait: float) -> bool:
    """Run call in a daemon thread and wait at most `wait` seconds for it. True when it finished without error.

    A broker that refuses connections fails fast; one that accepts them and never answers (hung, or a firewall
    dropping packets) would hold the caller for the client's whole socket timeout. The thread may go on after we
    stop waiting: if it succeeds late, the work is done twice at worst, and every task here is idempotent.
    """
    if not breaker.allow():
        return False
    outcome: dict[str, BaseException | None] = {}

    def work() -> None:
        try:
            call()
            outcome["error"] = None
        except BaseException as error:  # noqa: BLE001 - reported to the caller through outcome
            outcome["error"] = error

    thread = threading.Thread(target=work, name=f"bounded-{breaker.name}", daemon=True)
    thread.start()
    thread.join(wait)
    if "error" not in outcome:
        breaker.trip(f"no answer within {wait:.1f} s")
        return False
    if outcome["error"] is not None:
        breaker.trip(f"{type(outcome['error']).__name__}: {outcome['error']}")
        return False
    return True
