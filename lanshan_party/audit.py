"""The one audit helper: every create, change, delete, reveal, export, import and login goes through it."""

import datetime
import decimal
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from lanshan_party.middleware import current_ip
from lanshan_party.models import AuditAction, AuditEntry, User
from lanshan_party.personal_data import mask_id_number, mask_phone

# Fields whose values are personal data: the audit log keeps them masked, never in clear.
MASKERS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "contact_phone": mask_phone,
    "partner_contact_phone": mask_phone,
    "mobile": mask_phone,
}


# Fields never copied into the log, not even masked: a password hash, and bookkeeping noise.
OMITTED = {"last_login", "updated_at", "created_at", "path"}


def _fingerprint(value: str) -> str:
    """A short non-reversible stand-in, so the log shows that a password changed but not its hash."""
    return "已设置·" + hashlib.sha256(value.encode()).hexdigest()[:8] if value else ""


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):  # a File iterates over its content's lines: log the stored name only
        return value.name or ""
    if isinstance(value, Iterable):
        return ", ".join(str(v) for v in value)
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values, display-ready and masked, keyed by field name."""
    result: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name.endswith("_hash") or field.primary_key or field.name in OMITTED:
            continue
        if field.name == "password":
            result["password"] = _fingerprint(getattr(instance, "password", ""))
            continue
        if field.is_relation:
            value = getattr(instance, field.attname)
            value = str(getattr(instance, field.name)) if value is not None else None
        else:
            value = _plain(getattr(instance, field.attname))
        masker = MASKERS.get(field.name)
        result[field.name] = masker(value) if masker and value else value
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    action: str,
    *,
    actor: User | None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    object_repr: str = "",
    ip: str | None = None,
) -> AuditEntry:
    actor_name = ""
    if actor is not None and actor.is_authenticated:
        actor_name = actor.username
    else:
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=actor_name,
        action=action,
        ip=ip or current_ip.get(),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        changes=changes or {},
        note=note,
    )


def record_create(obj: models.Model, *, actor: User | None, note: str = "") -> AuditEntry:
    return record(AuditAction.CREATE, actor=actor, obj=obj, changes=diff({}, snapshot(obj)), note=note)


def record_update(
    obj: models.Model, before: dict[str, Any], *, actor: User | None, note: str = ""
) -> AuditEntry | None:
    changes = diff(before, snapshot(obj))
    if not changes:
        return None
    return record(AuditAction.UPDATE, actor=actor, obj=obj, changes=changes, note=note)
