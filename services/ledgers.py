"""The service ledger: services rendered, mediations and wages recovered."""

from django.utils.translation import gettext_lazy as _

from lanshan_party.ledgers.definitions import CHOICE, DATE, NUMBER, SERIAL, Column, Ledger, register
from services.models import CaseKind, Outcome

SERVICE_CASES = register(
    Ledger(
        key="service_cases",
        title=_("Service ledger"),
        list_url="services:servicecase_list",
        view="services.views.ServiceCaseListView",
        select_related=("organization", "member", "service_item", "handled_by"),
        defer=("organization__contact_phone", "member__id_number", "member__phone", "handled_by__mobile"),
        columns=(
            Column("序号", kind=SERIAL, width=6),
            Column("服务日期", "date", DATE, 12),
            Column("服务类别", "kind", CHOICE, 12, CaseKind),
            Column("服务对象", "beneficiary", width=10),
            Column("服务组织", "organization.name", width=36),
            Column("跨省通办事项", "service_item.name", width=20),
            Column("服务内容", "description", width=40),
            Column("办理结果", "outcome", CHOICE, 10, Outcome),
            Column("结果说明", "outcome_note", width=24),
            Column("金额（元）", "amount", NUMBER, 12),
            Column("受益人数", "people_helped", NUMBER, 8),
            Column("记录人", lambda case: str(case.handled_by) if case.handled_by_id else "", width=10),
        ),
    )
)
