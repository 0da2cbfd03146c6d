"""Tables for the account list and the audit log."""

from typing import Any

import django_tables2 as tables
from django.apps import apps
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from lanshan_party import audit
from lanshan_party.models import AuditEntry, User

# Columns shown on wide screens only: on a phone a table keeps what a secretary needs at a glance.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class UserTable(tables.Table):
    username = tables.LinkColumn("accounts:user_update", args=[tables.A("pk")])
    organization = tables.Column(order_by="organization__path")
    last_login = tables.DateTimeColumn(format="Y-m-d H:i")
    lockout = tables.TemplateColumn(
        template_name="lanshan_party/includes/user_lockout.html",
        verbose_name=_("Sign-in"),
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "organization", "may_reveal", "is_active", "last_login", "lockout"]

    def __init__(self, *args: Any, locked: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked = locked or set()  # usernames django-axes refuses now (one query in the view)


class AuditEntryTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    changes = tables.Column(orderable=False)
    # On a phone: when, who, what and to which record, and the change itself; the rest on wider screens.
    object_type = tables.Column(attrs=WIDE_ONLY)
    note = tables.Column(attrs=WIDE_ONLY)
    ip = tables.Column(attrs=WIDE_ONLY)

    class Meta:
        model = AuditEntry
        fields = ["at", "actor_name", "action", "object_type", "object_repr", "changes", "note", "ip"]

    def render_object_type(self, value: str) -> str:
        try:
            return str(apps.get_model(value)._meta.verbose_name)
        except (LookupError, ValueError):
            return value

    def render_changes(self, value: dict, record: AuditEntry) -> str:
        if not value:
            return "—"
        return format_html_join("", "<div><b>{}</b>：{} → {}</div>", audit.describe_changes(record.object_type, value))
