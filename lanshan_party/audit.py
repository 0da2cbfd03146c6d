"""The one audit helper: every create, change, delete, reveal, export, import and login goes through it."""

import datetime
import decimal
import hashlib
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

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


def record_many(
    items: Iterable[tuple[str, models.Model, dict[str, Any]]],
    *,
    actor: User | None,
    note: str = "",
    ip: str | None = None,
) -> list[AuditEntry]:
    """One entry per (action, object, changes), as record() writes it, in one INSERT: a ledger import's entry for
    every member it created or changed, batch by batch. Changes come from snapshot() and diff(), so masked."""
    actor_name = actor.username if actor is not None and actor.is_authenticated else ""
    ip = ip or current_ip.get()
    entries = [
        AuditEntry(
            actor=actor if actor_name else None,
            actor_name=actor_name,
            action=action,
            ip=ip,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            changes=changes,
            note=note,
        )
        for action, obj, changes in items
    ]
    return AuditEntry.objects.bulk_create(entries)


def record_create(obj: models.Model, *, actor: User | None, note: str = "") -> AuditEntry:
    return record(AuditAction.CREATE, actor=actor, obj=obj, changes=diff({}, snapshot(obj)), note=note)


def record_update(
    obj: models.Model, before: dict[str, Any], *, actor: User | None, note: str = ""
) -> AuditEntry | None:
    changes = diff(before, snapshot(obj))
    if not changes:
        return None
    return record(AuditAction.UPDATE, actor=actor, obj=obj, changes=changes, note=note)


# ---------------------------------------------------------------- reading the log

# Keys of entries that are not fields of the object (ledger exports and imports count rows).
EXTRA_LABELS = {
    "rows": _("rows"),
    "created": _("new"),
    "updated": _("changed"),
    "masked": _("personal data masked"),
}


# Lists of choices kept in a JSONField have no choices on the model field: their labels come from these.
LIST_CHOICES = {
    ("organizations.station", "funding"): "organizations.models.Funding",
    ("organizations.agreement", "scope"): "organizations.models.AgreementScope",
}


def _field(object_type: str, name: str) -> models.Field | None:
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _choices(object_type: str, field: models.Field | None) -> dict[str, str]:
    if field is None:
        return {}
    if (object_type, field.name) in LIST_CHOICES:
        return {str(key): str(label) for key, label in import_string(LIST_CHOICES[object_type, field.name]).choices}
    return {str(key): str(label) for key, label in field.flatchoices}


def _readable(choices: dict[str, str], value: Any) -> str:
    """A stored value as an officer reads it: choice labels, yes/no, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if choices:
        text = str(value)
        if text in choices:
            return choices[text]
        parts = [part.strip() for part in text.split(",")]  # a multiple choice, stored joined by commas
        if all(part in choices for part in parts):
            return "、".join(choices[part] for part in parts)
    return str(value)


def describe_changes(object_type: str, changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, old, new) for each change, with the field's verbose name and choice labels of today's model.

    Entries keep raw field names and values, so this is resolved when the log is read: entries written before
    a label was translated read as well as new ones, and a field since removed still shows its name.
    """
    rows = []
    for key, pair in changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        field = _field(object_type, key) if object_type else None
        if field is not None:
            label = str(field.verbose_name)
        else:
            label = str(EXTRA_LABELS.get(key, key))
        choices = _choices(object_type, field)
        rows.append((label, _readable(choices, old), _readable(choices, new)))
    return rows
