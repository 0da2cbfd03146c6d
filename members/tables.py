"""The member list table: personal data always masked here."""

import django_tables2 as tables
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from lanshan_party.tables import WIDE_ONLY
from members.models import CensusCampaign, CensusTask, Member, OutflowStatus

STATUS_BADGES = {"registered": "secondary", "reported": "success", "lost": "danger"}
# Columns a phone screen can do without; name, phone, destination and status stay visible.


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
    lost_cause = tables.Column(
        verbose_name=_("cause of lost contact"),
        accessor="current_outflow__get_lost_cause_display",
        order_by="current_outflow__lost_cause",
        default="—",
    )
    lost_on = tables.DateColumn(
        verbose_name=_("lost contact on"), accessor="current_outflow__lost_on", format="Y-m-d", default="—"
    )
    tags = tables.Column(verbose_name=_("tags"), orderable=False, accessor="pk", attrs=WIDE_ONLY)

    class Meta:
        model = Member
        # Name, status, phone and destination first: what fits on a phone screen.
        sequence = [
            "name",
            "status",
            "lost_cause",
            "lost_on",
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

    def before_render(self, request: HttpRequest) -> None:
        # Why and since when are the lost register's columns (失联党员名册: ?status=lost, or a cause chosen).
        if request.GET.get("status") != OutflowStatus.LOST and not request.GET.get("lost_cause"):
            self.columns.hide("lost_cause")
            self.columns.hide("lost_on")

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


class CensusTaskTable(tables.Table):
    member = tables.Column(verbose_name=_("member"), order_by=("member__name", "pk"))
    # Shown on a phone too: with two campaigns open a member has a task in each, and only this tells them apart.
    campaign = tables.Column(
        verbose_name=_("campaign"), accessor="campaign__name", order_by=("-campaign__starts_on", "-campaign_id")
    )
    destination = tables.Column(
        verbose_name=_("destination"), accessor="member__current_outflow__destination", orderable=False, default="—"
    )
    phone = tables.Column(verbose_name=_("phone"), accessor="member__masked_phone", orderable=False, default="—")
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path", attrs=WIDE_ONLY)
    result = tables.Column(empty_values=())
    answered_at = tables.DateTimeColumn(format="m-d H:i", attrs=WIDE_ONLY)
    answer = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = CensusTask
        fields = ["member", "campaign", "result", "phone", "destination", "organization", "answered_at", "answer"]
        attrs = {"class": "table table-sm table-hover align-middle census-table"}

    def render_member(self, record: CensusTask) -> str:
        return format_html('<a href="{}">{}</a>', record.member.get_absolute_url(), record.member.name)

    def render_result(self, record: CensusTask) -> str:
        if not record.answered_at:
            return format_html('<span class="badge text-bg-secondary">{}</span>', _("Not answered"))
        colour = {"lost": "danger", "returned": "secondary", "updated": "info"}.get(record.result, "success")
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, record.get_result_display())

    def render_answer(self, record: CensusTask) -> str:
        label = _("Change") if record.answered_at else _("Answer")
        style = "outline-secondary" if record.answered_at else "primary"
        return format_html(
            '<a class="btn btn-sm btn-{}" href="{}">{}</a>',
            style,
            reverse("members:censustask_answer", args=[record.pk]),
            label,
        )


class CampaignTable(tables.Table):
    name = tables.LinkColumn("members:campaign_detail", args=[tables.A("pk")])
    starts_on = tables.DateColumn(format="Y-m-d")
    ends_on = tables.DateColumn(format="Y-m-d")
    tasks_n = tables.Column(verbose_name=_("tasks"), orderable=False)
    answered_n = tables.Column(verbose_name=_("answered"), orderable=False)

    class Meta:
        model = CensusCampaign
        fields = ["name", "status", "starts_on", "ends_on", "tasks_n", "answered_n"]
