"""Tables for activities, six-month-rule warnings and red packages."""

from typing import Any

import django_tables2 as tables
from django.db.models import F
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, RedPackage
from lanshan_party.tables import WIDE_ONLY
from members.models import LIFE_LEVEL_LABELS, Member

LEVEL_BADGES = {3: "info", 5: "warning", 6: "danger"}


class ActivityTable(tables.Table):
    date = tables.DateColumn(format="Y-m-d")
    topic = tables.LinkColumn("activities:activity_detail", args=[tables.A("pk")])
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path", attrs=WIDE_ONLY)
    attended = tables.Column(verbose_name=_("attended"))
    hours = tables.Column(attrs=WIDE_ONLY)

    class Meta:
        model = Activity
        fields = ["date", "type", "topic", "organization", "attended", "hours"]

    def render_attended(self, value: int, record: Activity) -> str:
        if not record.recorded:
            return "—"
        return format_html(
            '{} / {} <span class="text-muted small">({}%)</span>',
            value,
            record.recorded,
            round(100 * value / record.recorded),
        )


def level_badge(level: int | None) -> str:
    if level is None:
        return ""
    return format_html('<span class="badge text-bg-{}">{}</span>', LEVEL_BADGES[level], LIFE_LEVEL_LABELS[level])


class LifeWarningTable(tables.Table):
    name = tables.LinkColumn("members:member_detail", args=[tables.A("pk")])
    level = tables.Column(verbose_name=_("warning"), accessor="pk", orderable=False)
    last_life_on = tables.DateColumn(format="Y-m-d", default=_("None recorded"))
    home_branch = tables.Column(order_by="home_branch__path", accessor="home_branch__display_name", attrs=WIDE_ONLY)
    flowing_org = tables.Column(
        verbose_name=_("flowing organization"),
        accessor="flowing_org__display_name",
        order_by="flowing_org__path",
        default="—",
        attrs=WIDE_ONLY,
    )
    masked_phone = tables.Column(verbose_name=_("phone"), orderable=False)

    class Meta:
        model = Member
        fields = ["name", "level", "last_life_on", "masked_phone", "home_branch", "flowing_org"]
        order_by = "last_life_on"

    def order_last_life_on(self, queryset: Any, is_descending: bool) -> tuple[Any, bool]:
        # Never recorded sorts as the oldest on every database (PostgreSQL would put NULL last).
        field = F("last_life_on")
        order = field.desc(nulls_last=True) if is_descending else field.asc(nulls_first=True)
        return queryset.order_by(order, "pk"), True

    def render_level(self, record: Member) -> str:
        return level_badge(record.life_warning_level())


class RedPackageTable(tables.Table):
    sent_on = tables.DateColumn(format="Y-m-d")
    member = tables.LinkColumn("members:member_detail", args=[tables.A("member_id")])
    items = tables.Column()
    signed_on = tables.DateColumn(format="Y-m-d", default=_("Not yet"))
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path", attrs=WIDE_ONLY)
    edit = tables.LinkColumn(
        "activities:redpackage_update", args=[tables.A("pk")], text=_("Edit"), orderable=False, verbose_name=""
    )

    class Meta:
        model = RedPackage
        fields = ["sent_on", "member", "items", "channel", "signed_on", "organization", "edit"]
