"""API tokens (接口令牌): one user's key for the read-only API. Only a SHA-256 hash of the token is stored; the
token itself is shown once, when it is made."""

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from lanshan_party.models import User

TOKEN_PREFIX = "lsp_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random token: 256 bits, URL-safe, with a prefix that tells a leaked one apart in a log or a scan."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "ApiTokenQuerySet":
        """Each user sees their own tokens; administrators see everybody's (to revoke them)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(user=user)

    def usable(self, now: datetime.datetime | None = None) -> "ApiTokenQuerySet":
        """Not revoked and not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """An API token (接口令牌) of one user: it reads the API as that user, within that user's scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("token name"), max_length=60, help_text=_("What the token is for, e.g. the platform using it.")
    )
    # The first characters of the token, shown so its owner can tell tokens apart; the rest is never stored.
    prefix = models.CharField(_("token begins with"), max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The random token of the form that made it: the same form posted twice makes one token.
    submission = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        assert self.token_hash, "an API token is saved with the hash of its token (set_token)"
        super().save(*args, **kwargs)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired()

    def set_token(self, token: str) -> None:
        self.token_hash = hash_token(token)
        self.prefix = token[: len(TOKEN_PREFIX) + 4]
