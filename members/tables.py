"""The member list table: personal data always masked here."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from members.models import Member

STATUS_BADGES = {"registered": "secondary", "reported": "success", "lost": "danger"}
# Columns a phone screen can do without; name, phone, destination and status stay visible.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class MemberTable(tables.Table):
    name = tables.LinkColumn("members:member_detail", args=[tables.A("pk")])
    gender = tables.Column(attrs=WIDE_ONLY)
    category = tables.Column(attrs=WIDE_ONLY)
    masked_id_number = tables.Column(verbose_name=_("citizen ID number"), orderable=False, attrs=WIDE_ONLY)
    masked_phone = tables.Column(verbose_name=_("phone"), orderable=False)
    home_branch = tables.Column(order_by="home_branch__path", accessor="home_branch__display_name", attrs=WIDE_ONLY)
    flowing_org = tables.Column(
        verbose_name=_("flowing organization"),
        accessor="flowing_org__display_name",
        order_by="flowing_org__path",
        default="—",
        attrs=WIDE_ONLY,
    )
    destination = tables.Column(
        verbose_name=_("destination"),
        accessor="current_outflow__destination",
        order_by=("current_outflow__province", "current_outflow__city"),
        default="—",
    )
    status = tables.Column(verbose_name=_("outflow status"), accessor="current_outflow__status", default=_("Not away"))
    tags = tables.Column(verbose_name=_("tags"), orderable=False, accessor="pk", attrs=WIDE_ONLY)

    class Meta:
        model = Member
        # Name, status, phone and destination first: what fits on a phone screen.
        sequence = [
            "name",
            "status",
            "masked_phone",
            "destination",
            "gender",
            "masked_id_number",
            "category",
            "home_branch",
            "flowing_org",
            "tags",
        ]
        fields = sequence
        attrs = {"class": "table table-sm table-hover align-middle member-table"}

    def render_status(self, value: str, record: Member) -> str:
        outflow = record.current_outflow
        badge = format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_BADGES.get(outflow.status, "light"),
            outflow.get_status_display(),
        )
        if outflow.needs_transfer:
            badge += format_html(
                ' <span class="badge text-bg-warning" title="{}">{}</span>',
                _("Away 6+ months without transfer"),
                _("To transfer"),
            )
        return badge

    def render_tags(self, record: Member) -> str:
        return format_html_join(
            " ",
            '<span class="badge rounded-pill text-bg-light border">{}</span>',
            ((t.name,) for t in record.tags.all()),
        )
