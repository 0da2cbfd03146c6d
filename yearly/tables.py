"""Tables of the year's lists: the training-hours shortfall, study records, committee seats and terms due."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lanshan_party.tables import WIDE_ONLY
from members.models import Member
from yearly.models import CommitteeMember, StudyRecord, Term, TermStatus

STATUS_BADGES = {
    TermStatus.EXPIRED: "danger",
    TermStatus.WITHIN_30: "warning",
    TermStatus.WITHIN_90: "info",
    TermStatus.RUNNING: "light border",
}


class ShortfallTable(tables.Table):
    name = tables.LinkColumn("members:member_detail", args=[tables.A("pk")])
    organization = tables.Column(
        verbose_name=_("organization"), accessor="home_branch__display_name", order_by="home_branch__path"
    )
    flowing_org = tables.Column(
        verbose_name=_("flowing organization"),
        accessor="flowing_org__display_name",
        order_by="flowing_org__path",
        default="—",
        attrs=WIDE_ONLY,
    )
    activity_hours = tables.Column(verbose_name=_("activities (h)"), attrs=WIDE_ONLY)
    study_hours = tables.Column(verbose_name=_("own study (h)"), attrs=WIDE_ONLY)
    hours = tables.Column(verbose_name=_("hours"))
    target = tables.Column(verbose_name=_("target"))
    missing = tables.Column(verbose_name=_("missing"))
    record = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = Member
        fields = ["name", "organization", "flowing_org", "activity_hours", "study_hours", "hours", "target", "missing"]
        order_by = "-missing"

    def render_missing(self, value: object) -> str:
        return format_html('<span class="text-danger fw-semibold">{}</span>', value)

    def render_target(self, value: object, record: Member) -> str:
        if record.is_cadre:
            return format_html('{} <span class="badge text-bg-light border">{}</span>', value, _("committee"))
        return str(value)

    def render_record(self, value: int) -> str:
        return format_html(
            '<a class="btn btn-outline-secondary btn-sm" href="{}">{}</a>',
            reverse("yearly:studyrecord_create", args=[value]),
            _("Record study"),
        )


class StudyRecordTable(tables.Table):
    date = tables.DateColumn(format="Y-m-d")
    member = tables.LinkColumn("members:member_detail", args=[tables.A("member_id")], order_by="member__name")
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path", attrs=WIDE_ONLY)
    edit = tables.LinkColumn(
        "yearly:studyrecord_update", args=[tables.A("pk")], text=_("Edit"), orderable=False, verbose_name=""
    )

    class Meta:
        model = StudyRecord
        fields = ["date", "member", "title", "kind", "hours", "organization", "edit"]


class CommitteeMemberTable(tables.Table):
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path")
    member = tables.LinkColumn("members:member_detail", args=[tables.A("member_id")], order_by="member__name")
    since = tables.DateColumn(format="Y-m-d")
    until = tables.DateColumn(format="Y-m-d", default="—")
    edit = tables.LinkColumn(
        "yearly:committeemember_update", args=[tables.A("pk")], text=_("Edit"), orderable=False, verbose_name=""
    )

    class Meta:
        model = CommitteeMember
        fields = ["organization", "member", "role", "since", "until", "edit"]


class TermTable(tables.Table):
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path")
    kind = tables.Column(
        verbose_name=_("kind"),
        accessor="organization__get_kind_display",
        order_by="organization__kind",
        attrs=WIDE_ONLY,
    )
    started_on = tables.DateColumn(format="Y-m-d")
    years = tables.Column(attrs=WIDE_ONLY)
    extended_until = tables.DateColumn(format="Y-m-d", default="—", attrs=WIDE_ONLY)
    ends_on = tables.DateColumn(format="Y-m-d")
    status = tables.Column(verbose_name=_("status"), accessor="pk", order_by="ends_on")
    actions = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = Term
        fields = ["organization", "kind", "started_on", "years", "extended_until", "ends_on", "status", "actions"]
        order_by = "ends_on"

    def render_status(self, record: Term) -> str:
        today = timezone.localdate()
        status = TermStatus(record.status(today))
        days = record.days_left(today)
        when = _("%(days)s days ago") % {"days": -days} if days < 0 else _("in %(days)s days") % {"days": days}
        return format_html(
            '<span class="badge text-bg-{}">{}</span> <span class="small text-muted">{}</span>',
            STATUS_BADGES[status],
            status.label,
            when,
        )

    def render_actions(self, record: Term) -> str:
        if not self.may_record:
            return ""
        return format_html(
            '<a class="btn btn-outline-secondary btn-sm" href="{}">{}</a> '
            '<a class="btn btn-primary btn-sm" href="{}?organization={}">{}</a>',
            reverse("yearly:term_update", args=[record.pk]),
            _("Edit"),
            reverse("yearly:term_create"),
            record.organization_id,
            _("Record the election"),
        )

    def __init__(self, *args: object, may_record: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.may_record = may_record
