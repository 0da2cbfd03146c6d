"""The members' ledgers: the flowing Party member ledger (exported and imported) and the census result ledger."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.ledgers.definitions import (
    BOOL,
    CHOICE,
    DATE,
    DATE_HELP,
    ID_NUMBER,
    PHONE,
    SERIAL,
    Column,
    Ledger,
    register,
)
from lanshan_party.ledgers.people import birth_date_column, gender_column, id_number_column, phone_column
from members.models import (
    Category,
    CensusStatus,
    ContactChannel,
    Education,
    FlowReason,
    FlowScope,
    Gender,
    LostCause,
    OutflowStatus,
)

MEMBERS = register(
    Ledger(
        key="members",
        title=_("Flowing Party member ledger"),
        list_url="members:member_list",
        view="members.views.MemberListView",
        select_related=("home_branch", "flowing_org", "current_outflow"),
        defer=("home_branch__contact_phone", "flowing_org__contact_phone"),
        importer="members.importers.MemberImporter",
        description=_(
            "One row per member, matched by citizen ID number: a member already registered is updated, a new one is "
            "added. The destination columns register or update the member's outflow."
        ),
        columns=(
            Column("序号", kind=SERIAL, width=6),
            Column("姓名", "name", field="name", required=True, width=10),
            gender_column(Gender),
            Column("民族", "ethnicity", field="ethnicity", width=8),
            birth_date_column(),
            id_number_column("公民身份号码", aliases=("身份证号码", "身份证号")),
            Column("学历", "education", CHOICE, 10, Education, "education"),
            Column("入党时间", "joined_on", DATE, 12, field="joined_on", help=DATE_HELP),
            Column("转正时间", "full_member_on", DATE, 12, field="full_member_on", help=DATE_HELP),
            Column("党员类别", "category", CHOICE, 10, Category, "category"),
            Column("户籍乡镇", "household_township", field="household_township"),
            Column(
                "户籍村（社区）", "household_village", field="household_village", aliases=("户籍村(社区)", "户籍村")
            ),
            Column(
                "组织关系所在党支部",
                "home_branch.name",
                width=36,
                field="home_branch",
                required=True,
                help=_("The village or community branch's full official name."),
            ),
            phone_column(),
            Column(
                "外出时间", "current_outflow.departure_date", DATE, 12, field="outflow.departure_date", help=DATE_HELP
            ),
            Column(
                "外出地点（省）",
                "current_outflow.province",
                width=10,
                field="outflow.province",
                aliases=("外出地点(省)",),
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
                "流入地联系电话",
                "current_outflow.partner_contact_phone",
                PHONE,
                14,
                field="outflow.partner_contact_phone",
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
            Column(
                "失联原因",
                "current_outflow.lost_cause",
                CHOICE,
                16,
                LostCause,
                "outflow.lost_cause",
                help=_("For a member whose status is 失联 only, and needed then: one of the seven official causes."),
            ),
            Column(
                "失联时间",
                "current_outflow.lost_on",
                DATE,
                12,
                field="outflow.lost_on",
                help=_("For a member whose status is 失联 only; leave empty for today."),
            ),
            Column("备注", "note", width=20, field="note"),
        ),
    )
)


def _answered_on(task: Any) -> Any:
    return timezone.localdate(task.answered_at) if task.answered_at else None


CENSUS_RESULTS = register(
    Ledger(
        key="census_results",
        title=_("Census result ledger"),
        list_url="members:censustask_list",
        view="members.views.CensusTaskListView",
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
)
