"""Tables of inflow members and their six-month-rule warnings: personal data always masked here."""

from typing import Any

import django_tables2 as tables
from django.db.models import F
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities.tables import level_badge
from inflow.models import InflowMember
from lanshan_party.tables import WIDE_ONLY
from members.models import LIFE_WARNING_MONTHS, months_ago

STATUS_BADGES = {"pending": "warning", "reported": "success", "left": "secondary"}


class InflowMemberTable(tables.Table):
    name = tables.LinkColumn("inflow:inflowmember_detail", args=[tables.A("pk")])
    status = tables.Column()
    masked_phone = tables.Column(verbose_name=_("phone"), orderable=False)
    branch = tables.Column(order_by="branch__path", accessor="branch__display_name")
    masked_id_number = tables.Column(verbose_name=_("citizen ID number"), orderable=False, attrs=WIDE_ONLY)
    from_province = tables.Column(attrs=WIDE_ONLY)
    arrived_on = tables.DateColumn(format="Y-m-d", attrs=WIDE_ONLY)
    home_org_name = tables.Column(attrs=WIDE_ONLY)
    last_life_on = tables.DateColumn(format="Y-m-d", default="—", attrs=WIDE_ONLY)

    class Meta:
        model = InflowMember
        fields = [
            "name",
            "status",
            "masked_phone",
            "branch",
            "masked_id_number",
            "from_province",
            "arrived_on",
            "home_org_name",
            "last_life_on",
        ]
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_status(self, value: str, record: InflowMember) -> str:
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', STATUS_BADGES[record.status], record.get_status_display()
        )


def warning_level(record: InflowMember) -> int | None:
    for months in reversed(LIFE_WARNING_MONTHS):
        if record.life_clock_from <= months_ago(months):
            return months
    return None


class InflowLifeWarningTable(tables.Table):
    name = tables.LinkColumn("inflow:inflowmember_detail", args=[tables.A("pk")])
    level = tables.Column(verbose_name=_("warning"), accessor="pk", orderable=False)
    last_life_on = tables.DateColumn(format="Y-m-d", default=_("None recorded"))
    masked_phone = tables.Column(verbose_name=_("phone"), orderable=False)
    branch = tables.Column(order_by="branch__path", accessor="branch__display_name", attrs=WIDE_ONLY)
    home_org_name = tables.Column(attrs=WIDE_ONLY)

    class Meta:
        model = InflowMember
        fields = ["name", "level", "last_life_on", "masked_phone", "branch", "home_org_name"]
        order_by = "last_life_on"

    def order_last_life_on(self, queryset: Any, is_descending: bool) -> tuple[Any, bool]:
        field = F("last_life_on")
        order = field.desc(nulls_last=True) if is_descending else field.asc(nulls_first=True)
        return queryset.order_by(order, "pk"), True

    def render_level(self, record: InflowMember) -> str:
        return level_badge(warning_level(record))
