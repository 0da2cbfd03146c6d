"""Tables for dues standards, payments, arrears and reliefs."""

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dues.arrears import ARREARS_LEVEL_LABELS, level_of
from dues.models import DuesPayment, DuesRelief, DuesStandard
from lanshan_party.tables import WIDE_ONLY
from members.models import Member

LEVEL_BADGES = {3: "warning", 6: "danger"}


class DuesStandardTable(tables.Table):
    year = tables.Column()
    member = tables.LinkColumn("dues:member_dues", args=[tables.A("member_id")], order_by="member__name")
    home_branch = tables.Column(accessor="home_branch__display_name", order_by="home_branch__path", attrs=WIDE_ONLY)
    basis = tables.Column()
    monthly_income = tables.Column(attrs=WIDE_ONLY, default="—")
    amount = tables.Column(verbose_name=_("monthly dues (yuan)"), accessor="pk", order_by="computed_amount")
    confirmed_at = tables.Column(verbose_name=_("confirmed"), orderable=False)
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = DuesStandard
        fields = ["year", "member", "home_branch", "basis", "monthly_income", "amount", "confirmed_at"]

    def render_amount(self, value: Any, record: DuesStandard) -> str:
        if record.manual_amount is not None:
            return format_html('{} <span class="badge text-bg-secondary">{}</span>', record.amount, _("by hand"))
        return str(record.amount)

    def render_confirmed_at(self, value: Any, record: DuesStandard) -> str:
        return format_html('<i class="bi bi-lock-fill text-success"></i> {}', _("locked")) if value else _("not yet")

    def render_edit(self, value: Any, record: DuesStandard) -> str:
        if record.is_confirmed:
            return ""
        from django.urls import reverse

        return format_html('<a href="{}">{}</a>', reverse("dues:standard_update", args=[record.pk]), _("Edit"))


class DuesPaymentTable(tables.Table):
    paid_on = tables.DateColumn(format="Y-m-d")
    member = tables.LinkColumn("dues:member_dues", args=[tables.A("member_id")], order_by="member__name")
    months = tables.Column(verbose_name=_("months"), accessor="pk", orderable=False)
    amount = tables.Column()
    paid_at = tables.Column(accessor="paid_at__display_name", order_by="paid_at__path")
    paid_by = tables.Column(attrs=WIDE_ONLY)

    class Meta:
        model = DuesPayment
        fields = ["paid_on", "member", "months", "amount", "paid_at", "paid_by"]

    def render_months(self, value: Any, record: DuesPayment) -> str:
        return record.months_display()

    def render_paid_by(self, value: Any, record: DuesPayment) -> str:
        return f"{value}（{record.proxy_name}）" if record.proxy_name else str(value)


class ArrearsTable(tables.Table):
    name = tables.LinkColumn("members:member_detail", args=[tables.A("pk")])
    dues_behind = tables.Column(verbose_name=_("months unpaid"))
    level = tables.Column(verbose_name=_("level"), accessor="dues_behind", orderable=False)
    home_branch = tables.Column(order_by="home_branch__path", accessor="home_branch__display_name", attrs=WIDE_ONLY)
    flowing_org = tables.Column(
        verbose_name=_("flowing organization"),
        accessor="flowing_org__display_name",
        order_by="flowing_org__path",
        default="—",
        attrs=WIDE_ONLY,
    )
    pay = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = Member
        fields = ["name", "dues_behind", "level", "home_branch", "flowing_org"]
        order_by = ("-dues_behind",)

    def render_level(self, value: int, record: Member) -> str:
        level = level_of(value)
        if level is None:
            return ""
        return format_html('<span class="badge text-bg-{}">{}</span>', LEVEL_BADGES[level], ARREARS_LEVEL_LABELS[level])

    def render_pay(self, value: Any, record: Member) -> str:
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a>', reverse("dues:payment_create", args=[record.pk]), _("Record a payment")
        )


class DuesReliefTable(tables.Table):
    created_at = tables.DateColumn(format="Y-m-d", verbose_name=_("requested"))
    member = tables.Column(order_by="member__name")
    kind = tables.Column()
    months = tables.Column(verbose_name=_("months"), accessor="pk", orderable=False)
    reduced_amount = tables.Column(default="—", attrs=WIDE_ONLY)
    organization = tables.Column(accessor="organization__display_name", attrs=WIDE_ONLY)
    approver = tables.Column(accessor="approver__display_name", attrs=WIDE_ONLY)
    status = tables.LinkColumn("dues:relief_decide", args=[tables.A("pk")])

    class Meta:
        model = DuesRelief
        fields = ["created_at", "member", "kind", "months", "reduced_amount", "organization", "approver", "status"]

    def render_months(self, value: Any, record: DuesRelief) -> str:
        return record.months_display()
