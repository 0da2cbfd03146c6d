"""The transfer table: letters expired without a receipt are flagged."""

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lanshan_party.tables import WIDE_ONLY
from transfers.models import Transfer

STATUS_BADGES = {
    "draft": "secondary",
    "at_township": "info",
    "at_county": "info",
    "returned": "warning",
    "issued": "primary",
    "completed": "success",
    "withdrawn": "light",
}


class TransferTable(tables.Table):
    name = tables.LinkColumn("transfers:transfer_detail", args=[tables.A("pk")])
    direction = tables.Column(attrs=WIDE_ONLY)
    home_branch = tables.Column(accessor="home_branch__display_name", order_by="home_branch__path", attrs=WIDE_ONLY)
    other_org = tables.Column(attrs=WIDE_ONLY)
    letter = tables.Column(
        verbose_name=_("letter"), accessor="letter_number", order_by=("letter_year", "letter_number")
    )
    valid_until = tables.DateColumn(format="Y-m-d", attrs=WIDE_ONLY)
    status = tables.Column()

    class Meta:
        model = Transfer
        fields = ["name", "direction", "home_branch", "other_org", "letter", "valid_until", "status"]
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "transfer-table"}

    def render_letter(self, value: Any, record: Transfer) -> str:
        return record.letter_code

    def render_status(self, value: Any, record: Transfer) -> str:
        badge = format_html(
            '<span class="badge text-bg-{}">{}</span>', STATUS_BADGES.get(record.status, "secondary"), value
        )
        if record.is_overdue:
            return format_html(
                '{} <span class="badge text-bg-danger" data-testid="overdue">{}</span>', badge, _("Expired")
            )
        return badge
