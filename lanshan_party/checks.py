"""System checks for production settings that Django's own `check --deploy` does not know about."""

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# The development secret written in settings.py: never good enough with DEBUG off.
DEV_SECRET_KEYS = {"dev-only-secret-key-never-use-in-production-lanshan-431127"}
MIN_BLIND_INDEX_KEY = 32


def _is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


@register(Tags.security, deploy=True)
def check_keys(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if settings.SECRET_KEY in DEV_SECRET_KEYS:
        problems.append(
            Error(
                "SECRET_KEY is the development key written in settings.py.",
                hint="Set SECRET_KEY to a long random string: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="lanshan.E001",
            )
        )
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        problems.append(
            Error(
                "FIELD_ENCRYPTION_KEYS is empty: ID numbers and phones are encrypted with a key derived from SECRET_KEY.",
                hint="Generate one: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
                id="lanshan.E002",
            )
        )
    for position, key in enumerate(keys, 1):
        if not _is_fernet_key(key):
            problems.append(
                Error(
                    f"Key {position} of FIELD_ENCRYPTION_KEYS is not a Fernet key (44 characters of URL-safe base64 "
                    "encoding 32 bytes).",
                    hint="Copy the key again without spaces or quotes; keys are separated by commas, newest first.",
                    id="lanshan.E003",
                )
            )
    if len(set(keys)) != len(keys):
        problems.append(Warning("FIELD_ENCRYPTION_KEYS lists the same key twice.", id="lanshan.W004"))
    if len(settings.BLIND_INDEX_KEY or "") < MIN_BLIND_INDEX_KEY:
        problems.append(
            Error(
                f"BLIND_INDEX_KEY is shorter than {MIN_BLIND_INDEX_KEY} characters (or empty).",
                hint="On a new installation generate one: python -c 'import secrets; print(secrets.token_urlsafe(32))'. "
                "On an existing one never change it: every stored search hash depends on it.",
                id="lanshan.E005",
            )
        )
    return problems
