"""Tables of the export and import histories and of the organization ledger page."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lanshan_party.ledgers.definitions import LEDGERS
from lanshan_party.models import ExportJob, ExportStatus, ImportBatch, ImportStatus
from lanshan_party.tables import WIDE_ONLY

EXPORT_BADGES: dict[str, str] = {
    ExportStatus.PENDING: "secondary",
    ExportStatus.RUNNING: "info",
    ExportStatus.DONE: "success",
    ExportStatus.FAILED: "danger",
    ExportStatus.EXPIRED: "light",
}
IMPORT_BADGES: dict[str, str] = {
    ImportStatus.CHECKING: "info",
    ImportStatus.REJECTED: "danger",
    ImportStatus.CHECKED: "warning",
    ImportStatus.IMPORTING: "info",
    ImportStatus.DONE: "success",
    ImportStatus.FAILED: "danger",
    ImportStatus.CANCELLED: "light",
}


def ledger_title(key: str) -> Any:
    ledger = LEDGERS.get(key)
    return ledger.title if ledger else key


def badge(kind: str, label: Any) -> str:
    return format_html('<span class="badge text-bg-{} border">{}</span>', kind, label)


class ExportJobTable(tables.Table):
    created_at = tables.DateTimeColumn(format="Y-m-d H:i")
    ledger = tables.Column()
    filters = tables.Column(orderable=False, attrs=WIDE_ONLY, empty_values=())
    masked = tables.Column(verbose_name=_("personal data"))
    row_count = tables.Column()
    status = tables.Column()
    user = tables.Column(verbose_name=_("exported by"), attrs=WIDE_ONLY)
    expires_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=WIDE_ONLY)
    download = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = ExportJob
        fields = ["created_at", "ledger", "filters", "masked", "row_count", "status", "user", "expires_at", "download"]
        sequence = fields
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "export-history"}

    def render_ledger(self, value: str, record: ExportJob) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("ledgers:export_detail", args=[record.pk]), ledger_title(value)
        )

    def render_masked(self, value: bool) -> str:
        return badge("light", _("masked")) if value else badge("warning", _("full"))

    def render_status(self, value: str, record: ExportJob) -> str:
        if self._past_keeping(record):
            return badge(EXPORT_BADGES[ExportStatus.EXPIRED], ExportStatus.EXPIRED.label)
        return badge(EXPORT_BADGES.get(record.status, "light"), value)

    @staticmethod
    def _past_keeping(record: ExportJob) -> bool:
        # Files are deleted by an hourly sweep; meanwhile one past its time is shown as expired already.
        return (
            record.status == ExportStatus.DONE and record.expires_at is not None and record.expires_at < timezone.now()
        )

    def render_filters(self, value: str, record: ExportJob) -> str:
        parts = [_("scope: %(organization)s") % {"organization": record.scope}] if record.scope else []
        return format_html('<span class="small text-muted">{}</span>', "；".join([*parts, value] if value else parts))

    def render_download(self, record: ExportJob) -> str:
        if record.status != ExportStatus.DONE or not record.file or self._past_keeping(record):
            return ""
        return format_html(
            '<a class="btn btn-outline-primary btn-sm text-nowrap" href="{}"><i class="bi bi-download"></i> {}</a>',
            reverse("ledgers:export_download", args=[record.pk]),
            _("Download"),
        )


class ImportBatchTable(tables.Table):
    created_at = tables.DateTimeColumn(format="Y-m-d H:i")
    ledger = tables.Column()
    original_name = tables.Column()
    status = tables.Column()
    total_rows = tables.Column()
    error_rows = tables.Column(attrs=WIDE_ONLY)
    created_count = tables.Column(attrs=WIDE_ONLY)
    updated_count = tables.Column(attrs=WIDE_ONLY)
    user = tables.Column(verbose_name=_("imported by"), attrs=WIDE_ONLY)

    class Meta:
        model = ImportBatch
        fields = [
            "created_at",
            "ledger",
            "original_name",
            "status",
            "total_rows",
            "error_rows",
            "created_count",
            "updated_count",
            "user",
        ]
        sequence = fields
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_ledger(self, value: str) -> str:
        return str(ledger_title(value))

    def render_original_name(self, value: str, record: ImportBatch) -> str:
        return format_html('<a href="{}">{}</a>', reverse("ledgers:import_detail", args=[record.pk]), value)

    def render_status(self, value: str, record: ImportBatch) -> str:
        return badge(IMPORT_BADGES.get(record.status, "light"), value)
