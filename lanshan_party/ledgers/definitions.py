"""Declarative ledger definitions: each ledger's columns in the customary order, how each cell is read from a row of
the list page's queryset, and which form field an imported cell fills.

Adding a ledger takes two declarations: a `Ledger(...)` in LEDGERS below, and `ledger = "<key>"` on the list view
(with LedgerExportMixin) it is exported from. Exports then take exactly that page's filtered, sorted, scoped rows.

Headers are the county's official column names (as in the ledgers it sends upward) and are matched exactly on import:
they are the file format, like the keys of a data file, not interface text, so they are not translated.
"""

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityType, Attendance, AttendanceStatus
from lanshan_party.ledgers.xlsx import SheetColumn
from lanshan_party.models import Role
from lanshan_party.personal_data import mask_id_number, mask_phone
from lanshan_party.rights import RIGHTS, Right
from members.models import (
    Category,
    CensusStatus,
    ContactChannel,
    Education,
    FlowReason,
    FlowScope,
    Gender,
    OutflowStatus,
)
from organizations.models import Basis, OrgKind, OrgLevel
from services.models import CaseKind, Outcome

# How a column's cells are written and read.
TEXT = "text"
DATE = "date"
NUMBER = "number"
CHOICE = "choice"  # stored as the choice's value, written as its Chinese label
BOOL = "bool"  # 是 / 否
ID_NUMBER = "id_number"  # personal data: masked unless the export is unmasked; always a text cell
PHONE = "phone"  # personal data, likewise
SERIAL = "serial"  # 序号: the row's number in the ledger; ignored on import

YES, NO = "是", "否"
PERSONAL = (ID_NUMBER, PHONE)
MASKERS = {ID_NUMBER: mask_id_number, PHONE: mask_phone}


@dataclass(frozen=True)
class Column:
    header: str
    source: str | Callable[[Any], Any] = ""  # a dotted attribute path on the row's object, or a function of it
    kind: str = TEXT
    width: float = 12
    choices: type[models.Choices] | None = None
    field: str = ""  # the import form field this column fills; "outflow.<name>" for the member's outflow
    required: bool = False  # an import is refused without this column
    aliases: tuple[str, ...] = ()  # other header names counties use for the same column
    help: Any = ""  # what to write, for the import template's instructions

    def getter(self) -> Callable[[Any], Any]:
        if callable(self.source):
            return self.source
        parts = self.source.split(".")
        if len(parts) == 1:
            return operator.attrgetter(self.source)

        def get(obj: Any) -> Any:
            for part in parts:
                obj = getattr(obj, part)
                if obj is None:
                    return None
            return obj

        return get

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Ledger:
    key: str
    title: Promise  # the ledger's name: sheet, file name and pages
    columns: tuple[Column, ...]
    list_url: str  # URL name of the list page it is exported from; command-line exports start there too
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str | Prefetch, ...] = ()
    # Columns the rows carry but the ledger never reads; encrypted ones especially, which cost a decryption each.
    defer: tuple[str, ...] = ()
    importer: str = ""  # name of the importer in lanshan_party.ledgers.importers; "" for export-only ledgers
    import_roles: tuple[str, ...] = tuple(Role.values)  # who may import (still only within their scope)
    description: Any = field(default="")

    @property
    def importable(self) -> bool:
        return bool(self.importer)

    def may_import(self, user: Any) -> bool:
        return self.importable and user.is_authenticated and user.is_active and user.role in self.import_roles

    def sheet_columns(self) -> list[SheetColumn]:
        return [SheetColumn(c.header, c.width, as_text=c.kind in PERSONAL) for c in self.columns]

    def row_function(self, *, masked: bool) -> Callable[[Any, int], list[Any]]:
        """A function (object, row number) → the row's cell values. Call it with the ledger's language active:
        choice labels are looked up once here, not once per cell."""
        cells: list[Callable[[Any, int], Any]] = []
        for column in self.columns:
            cells.append(_cell(column, masked))

        def row(obj: Any, number: int) -> list[Any]:
            return [cell(obj, number) for cell in cells]

        return row


def _cell(column: Column, masked: bool) -> Callable[[Any, int], Any]:
    if column.kind == SERIAL:
        return lambda obj, number: number
    get = column.getter()
    if column.kind == CHOICE:
        assert column.choices is not None, column.header
        labels = {value: str(label) for value, label in column.choices.choices}
        return lambda obj, number: labels.get(get(obj), get(obj))
    if column.kind == BOOL:
        words = {True: YES, False: NO, None: None}
        return lambda obj, number: words[get(obj)]
    if column.kind in PERSONAL and masked:
        mask = MASKERS[column.kind]
        return lambda obj, number: mask(get(obj) or "")
    return lambda obj, number: get(obj)


# ---------------------------------------------------------------- the ledgers

DATE_HELP = _("A date cell, or text such as 2024-03-01.")
ORG_HELP = _("The organization's full official name, as in the organization tree.")

MEMBERS = Ledger(
    key="members",
    title=_("Flowing Party member ledger"),
    list_url="members:member_list",
    select_related=("home_branch", "flowing_org", "current_outflow"),
    defer=("home_branch__contact_phone", "flowing_org__contact_phone"),
    importer="members",
    description=_(
        "One row per member, matched by citizen ID number: a member already registered is updated, a new one is "
        "added. The destination columns register or update the member's outflow."
    ),
    columns=(
        Column("序号", kind=SERIAL, width=6),
        Column("姓名", "name", field="name", required=True, width=10),
        Column("性别", "gender", CHOICE, 6, Gender, "gender", help=_("Leave empty to take it from the ID number.")),
        Column("民族", "ethnicity", field="ethnicity", width=8),
        Column(
            "出生日期", "birth_date", DATE, 12, field="birth_date", help=_("Leave empty to take it from the ID number.")
        ),
        Column(
            "公民身份号码",
            "id_number",
            ID_NUMBER,
            21,
            field="id_number",
            required=True,
            aliases=("身份证号码", "身份证号"),
            help=_("18 characters, as text; a trailing x is accepted."),
        ),
        Column("学历", "education", CHOICE, 10, Education, "education"),
        Column("入党时间", "joined_on", DATE, 12, field="joined_on", help=DATE_HELP),
        Column("转正时间", "full_member_on", DATE, 12, field="full_member_on", help=DATE_HELP),
        Column("党员类别", "category", CHOICE, 10, Category, "category"),
        Column("户籍乡镇", "household_township", field="household_township"),
        Column("户籍村（社区）", "household_village", field="household_village", aliases=("户籍村(社区)", "户籍村")),
        Column(
            "组织关系所在党支部",
            "home_branch.name",
            width=36,
            field="home_branch",
            required=True,
            help=_("The village or community branch's full official name."),
        ),
        Column("联系电话", "phone", PHONE, 14, field="phone", aliases=("手机号码", "手机号")),
        Column("外出时间", "current_outflow.departure_date", DATE, 12, field="outflow.departure_date", help=DATE_HELP),
        Column(
            "外出地点（省）", "current_outflow.province", width=10, field="outflow.province", aliases=("外出地点(省)",)
        ),
        Column("外出地点（市）", "current_outflow.city", width=10, field="outflow.city", aliases=("外出地点(市)",)),
        Column(
            "外出地点（县区）",
            "current_outflow.district",
            width=10,
            field="outflow.district",
            aliases=("外出地点(县区)",),
        ),
        Column("详细地址", "current_outflow.address", width=24, field="outflow.address"),
        Column("流动范围", "current_outflow.scope", CHOICE, 10, FlowScope, "outflow.scope"),
        Column("外出原因", "current_outflow.reason", CHOICE, 10, FlowReason, "outflow.reason"),
        Column("从事行业", "current_outflow.industry", field="outflow.industry"),
        Column("工作单位", "current_outflow.employer", width=26, field="outflow.employer"),
        Column(
            "所属在外流动党组织",
            "flowing_org.name",
            width=36,
            field="outflow.flowing_org",
            help=_("Leave empty to assign the flowing organization at the destination automatically."),
        ),
        Column("流入地党组织", "current_outflow.partner_org_name", width=26, field="outflow.partner_org_name"),
        Column("流入地联系人", "current_outflow.partner_contact", width=10, field="outflow.partner_contact"),
        Column(
            "流入地联系电话", "current_outflow.partner_contact_phone", PHONE, 14, field="outflow.partner_contact_phone"
        ),
        Column("活动证编号", "current_outflow.certificate_number", width=14, field="outflow.certificate_number"),
        Column(
            "组织关系是否转出",
            "current_outflow.relationship_transferred",
            BOOL,
            10,
            field="outflow.relationship_transferred",
            help=_("是 or 否. 是 records the transfer of the relationship, which ends the outflow."),
        ),
        Column(
            "流动状态",
            "current_outflow.status",
            CHOICE,
            10,
            OutflowStatus,
            "outflow.status",
            help=_("Leave empty, or write 未外出, for a member at home."),
        ),
        Column("备注", "note", width=20, field="note"),
    ),
)

ORGANIZATIONS = Ledger(
    key="organizations",
    title=_("Party organization ledger"),
    list_url="ledgers:organization_list",
    select_related=("parent",),
    defer=("parent__contact_phone",),
    importer="organizations",
    import_roles=RIGHTS[Right.IMPORT_ORGANIZATIONS],
    description=_(
        "One row per organization, matched by its full name: an organization already in the tree is updated, a new "
        "one is added. A parent must be in the tree already or on an earlier row of the same file."
    ),
    columns=(
        Column("序号", kind=SERIAL, width=6),
        Column("组织名称", "name", width=40, field="name", required=True),
        Column("组织类别", "kind", CHOICE, 14, OrgKind, "kind", required=True),
        Column("组织层级", "level", CHOICE, 10, OrgLevel, "level"),
        Column("上级党组织", "parent.name", width=36, field="parent", help=ORG_HELP),
        Column("所在省", "province", width=10, field="province"),
        Column("所在市", "city", width=10, field="city"),
        Column("所在县区", "district", width=10, field="district"),
        Column("成立时间", "founded", DATE, 12, field="founded", help=DATE_HELP),
        Column("组建依托", "basis", CHOICE, 12, Basis, "basis"),
        Column("书记姓名", "secretary_name", width=10, field="secretary_name"),
        Column("联系电话", "contact_phone", PHONE, 14, field="contact_phone"),
    ),
)


def _attendees(status: str) -> Callable[[Any], str]:
    def names(activity: Any) -> str:
        return "、".join(row.member.name for row in activity.attendances.all() if row.status == status)

    return names


def _attended(activity: Any) -> int:
    return sum(
        1 for row in activity.attendances.all() if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE)
    )


ACTIVITIES = Ledger(
    key="activities",
    title=_("Organizational life ledger"),
    list_url="activities:activity_list",
    select_related=("organization",),
    defer=("organization__contact_phone",),
    prefetch_related=(
        Prefetch("attendances", Attendance.objects.select_related("member").order_by("member__name", "member_id")),
    ),
    columns=(
        Column("序号", kind=SERIAL, width=6),
        Column("活动日期", "date", DATE, 12),
        Column("组织名称", "organization.name", width=36),
        Column("活动类型", "type", CHOICE, 14, ActivityType),
        Column("活动主题", "topic", width=30),
        Column("活动地点", "place", width=20),
        Column("时长（小时）", "hours", NUMBER, 8),
        Column("应参加人数", lambda activity: len(activity.attendances.all()), NUMBER, 8),
        Column("实参加人数", _attended, NUMBER, 8),
        Column("现场参加", _attendees(AttendanceStatus.PRESENT), width=40),
        Column("线上参加", _attendees(AttendanceStatus.ONLINE), width=24),
        Column("请假", _attendees(AttendanceStatus.EXCUSED), width=20),
        Column("缺席", _attendees(AttendanceStatus.ABSENT), width=20),
        Column("活动概要", "summary", width=40),
    ),
)

SERVICE_CASES = Ledger(
    key="service_cases",
    title=_("Service ledger"),
    list_url="services:servicecase_list",
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


def _answered_on(task: Any) -> Any:
    return timezone.localdate(task.answered_at) if task.answered_at else None


CENSUS_RESULTS = Ledger(
    key="census_results",
    title=_("Census result ledger"),
    list_url="members:censustask_list",
    select_related=("campaign", "member__home_branch", "member__current_outflow", "organization", "answered_by"),
    defer=("organization__contact_phone", "member__home_branch__contact_phone", "answered_by__mobile"),
    columns=(
        Column("序号", kind=SERIAL, width=6),
        Column("摸排名称", "campaign.name", width=24),
        Column("姓名", "member.name", width=10),
        Column("公民身份号码", "member.id_number", ID_NUMBER, 21),
        Column("联系电话", "member.phone", PHONE, 14),
        Column("组织关系所在党支部", "member.home_branch.name", width=36),
        Column("负责党组织", "organization.name", width=36),
        Column("是否联系上", "contacted", BOOL, 8),
        Column("联系方式", "channel", CHOICE, 10, ContactChannel),
        Column("核实结果", "result", CHOICE, 10, CensusStatus),
        Column("现所在地", "member.current_outflow.destination", width=24),
        Column("备注", "note", width=30),
        Column("填报人", lambda task: str(task.answered_by) if task.answered_by_id else "", width=10),
        Column("填报日期", _answered_on, DATE, 12),
    ),
)

LEDGERS: dict[str, Ledger] = {
    ledger.key: ledger for ledger in (MEMBERS, ORGANIZATIONS, ACTIVITIES, SERVICE_CASES, CENSUS_RESULTS)
}


def importable_ledgers(user: Any) -> Sequence[Ledger]:
    return [ledger for ledger in LEDGERS.values() if ledger.may_import(user)]
