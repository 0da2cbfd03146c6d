"""Making and revoking API tokens: typed functions, one transaction each, audited."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import ApiToken, new_token
from lanshan_party import audit
from lanshan_party.models import User


@transaction.atomic
def create_token(
    user: User, *, name: str, valid_days: int | None, submission: str | None = None
) -> tuple[ApiToken, str | None]:
    """A new token of the user, and its value (the only time it exists outside the caller's hands). The same form
    posted twice (same submission) returns the first token and None: its value was shown once and is gone."""
    if submission:
        existing = ApiToken.objects.filter(submission=submission, user=user).first()
        if existing is not None:
            return existing, None
    value = new_token()
    token = ApiToken(user=user, name=name, submission=submission or None)
    token.set_token(value)
    if valid_days:
        token.expires_at = timezone.now() + datetime.timedelta(days=valid_days)
    try:
        with transaction.atomic():
            token.save()
    except IntegrityError:
        # The same submission saved by a concurrent request a moment ago.
        existing = ApiToken.objects.filter(submission=submission, user=user).first()
        if existing is None:
            raise
        return existing, None
    audit.record_create(token, actor=user)
    return token, value


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> bool:
    """Revoke the token from now on; False when it was already revoked (a second click changes nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    before = audit.snapshot(token)
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record_update(token, before, actor=by, note=str(token.user) if token.user_id != by.pk else "")
    return True
