"""Who is calling: `Authorization: Bearer <token>`, checked against the stored hash, and how often (per token).

A token works while it is neither revoked nor expired, its user is active and their role still has the right to use
the API (lanshan_party.rights). The caller then reads as that user: the same scoping as their pages.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from api.models import ApiToken, hash_token
from lanshan_party.rights import Right, has_right

logger = logging.getLogger(__name__)

# Longer than any token we hand out: a header this long is refused before it is hashed or looked up.
MAX_TOKEN_LENGTH = 200


class NoApiRight(Exception):
    """A valid token whose user's role does not include the API (any more): 403."""


class RateLimited(Exception):
    """Too many requests with this token in the current minute: 429, to retry after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def find_token(value: str) -> ApiToken | None:
    """The usable token with this value, its user and organization read along; None for anything else."""
    value = (value or "").strip()
    if not value or len(value) > MAX_TOKEN_LENGTH:
        return None
    token = ApiToken.objects.usable().select_related("user__organization").filter(token_hash=hash_token(value)).first()
    if token is None or not token.user.is_active:
        return None
    return token


def check_rate(token: ApiToken) -> None:
    """A fixed-window counter per token and minute in the cache (settings.API_RATE_LIMIT requests a minute).

    A cache that is down does not stop the API: the request is let through and the failure logged."""
    limit = settings.API_RATE_LIMIT
    if limit <= 0:
        return
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{token.pk}:{window}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 — any cache failure: allow, loudly
        logger.warning("API rate limit not checked: the cache is not answering", exc_info=True)
        return
    if count > limit:
        raise RateLimited(retry_after=max(1, int((window + 1) * 60 - now) + 1))


def authenticate(request: HttpRequest, value: str) -> ApiToken | None:
    token = find_token(value)
    if token is None:
        return None
    if not has_right(token.user, Right.USE_API):
        raise NoApiRight
    check_rate(token)
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    # The request now reads as the token's user (scoping, the audit log, and no-store on the response).
    request.user = token.user
    return token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate(request, token)


def bearer_value(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
