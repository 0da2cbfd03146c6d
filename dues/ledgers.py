"""The dues ledgers: the dues ledger (one row per member and year: standard, months paid, amount paid, arrears) and
the payments ledger (one row per payment), which is imported as well."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dues.models import Basis, PaidBy
from dues.summary import months_due
from lanshan_party.ledgers.definitions import (
    CHOICE,
    DATE,
    DATE_HELP,
    ID_NUMBER,
    NUMBER,
    SERIAL,
    Column,
    Ledger,
    register,
)


def _arrears(standard: Any) -> int:
    """Months of the standard's year due by now and neither paid nor exempted."""
    return max(0, months_due(standard.year, timezone.localdate()) - standard.months_settled)


DUES = register(
    Ledger(
        key="dues",
        title=_("Party dues ledger"),
        list_url="dues:standard_list",
        view="dues.views.DuesStandardListView",
        select_related=("member", "home_branch"),
        defer=("home_branch__contact_phone", "member__phone"),
        columns=(
            Column("序号", kind=SERIAL, width=6),
            Column("年度", "year", NUMBER, 8),
            Column("姓名", "member.name", width=10),
            Column("公民身份号码", "member.id_number", ID_NUMBER, 21),
            Column("组织关系所在党支部", "home_branch.name", width=36),
            Column("计算依据", "basis", CHOICE, 16, Basis),
            Column("月收入（元）", "monthly_income", NUMBER, 12),
            Column("月缴纳标准（元）", "amount", NUMBER, 12),
            Column("已交月数", "months_paid", NUMBER, 8),
            Column("已交金额（元）", "amount_paid", NUMBER, 12),
            Column("欠交月数", _arrears, NUMBER, 8),
        ),
    )
)

PAYMENTS = register(
    Ledger(
        key="dues_payments",
        title=_("Party dues payment ledger"),
        list_url="dues:payment_list",
        view="dues.views.DuesPaymentListView",
        select_related=("member", "home_branch", "paid_at"),
        defer=("home_branch__contact_phone", "paid_at__contact_phone", "member__phone"),
        prefetch_related=("months",),
        importer="dues.importers.DuesPaymentImporter",
        import_roles=("admin", "county", "township", "secretary"),
        description=_(
            "One row per payment, the member matched by citizen ID number. Every row is checked as the payment form "
            "checks it: months at most 6 back from the payment date, none paid twice, the amount not below the dues."
        ),
        columns=(
            Column("序号", kind=SERIAL, width=6),
            Column("姓名", "member.name", width=10, field="name"),
            Column(
                "公民身份号码",
                "member.id_number",
                ID_NUMBER,
                21,
                field="id_number",
                required=True,
                aliases=("身份证号码", "身份证号"),
            ),
            Column("组织关系所在党支部", "home_branch.name", width=36),
            Column(
                "缴纳月份",
                lambda payment: payment.months_display(),
                width=24,
                field="months",
                required=True,
                help=_("The months paid for, as 2026-01、2026-02 (separated by 、 , or spaces)."),
            ),
            Column("金额（元）", "amount", NUMBER, 10, field="amount", required=True),
            Column("缴纳日期", "paid_on", DATE, 12, field="paid_on", required=True, help=DATE_HELP),
            Column(
                "缴纳地点",
                "paid_at.name",
                width=36,
                field="paid_at",
                help=_("The home branch, or the flowing organization at the destination; empty for the home branch."),
            ),
            Column("缴纳方式", "paid_by", CHOICE, 10, PaidBy, "paid_by"),
            Column("代交人", "proxy_name", width=10, field="proxy_name"),
            Column("备注", "note", width=20, field="note"),
        ),
    )
)
