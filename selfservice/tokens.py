"""Personal-link tokens (only their sha256 is stored) and the fixed-window rate limits of the public pages."""

import hashlib
import logging
import secrets

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)


def new_token() -> str:
    """256 random bits, URL-safe: nothing to guess in 10,000 tries or 10^30."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def looks_like_token(token: str) -> bool:
    """A token we could have made: 43 URL-safe characters. Anything else is not looked up at all, but still hashed
    (so every wrong token costs the same)."""
    return len(token) == 43 and all(c.isalnum() or c in "-_" for c in token)


# (limit, window in seconds) per bucket kind: a phone behind a shared carrier address still gets through.
LIMITS = {
    "link-ip": (60, 600),  # link pages opened from one address
    "link": (30, 600),  # one link opened or tried
    "find-ip": (120, 600),  # the public page
    "request-ip": (5, 3600),  # requests left from one address
}


def allow(kind: str, key: str) -> bool:
    """Count one hit in the bucket's current fixed window and say whether it is within the limit. With the cache down
    the hit is allowed and logged: the link's own locked counter and the audit log still stand, and a page never
    fails because of the cache."""
    limit, window = LIMITS[kind]
    slot = int(timezone.now().timestamp()) // window
    name = f"selfservice:{kind}:{hashlib.sha256(key.encode()).hexdigest()[:24]}:{slot}"
    try:
        if cache.add(name, 1, timeout=window + 5):
            count = 1
        else:
            count = cache.incr(name)
    except ValueError:  # the key expired between add and incr
        count = 1
    except Exception:
        logger.warning("Rate limit %s not counted: the cache is not answering; allowed.", kind, exc_info=True)
        return True
    return count <= limit
