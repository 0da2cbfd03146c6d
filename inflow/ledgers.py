"""The inflow member ledger (流入党员台账), exported and imported, in the columns of the county's customary layout."""

from django.utils.translation import gettext_lazy as _

from inflow.models import InflowStatus
from lanshan_party.ledgers.definitions import (
    BOOL,
    CHOICE,
    DATE,
    DATE_HELP,
    PHONE,
    SERIAL,
    Column,
    Ledger,
    register,
)
from lanshan_party.ledgers.people import birth_date_column, gender_column, id_number_column, phone_column
from lanshan_party.models import Role
from members.models import FlowReason, Gender

INFLOW = register(
    Ledger(
        key="inflow",
        title=_("Inflow Party member ledger"),
        list_url="inflow:inflowmember_list",
        view="inflow.views.InflowMemberListView",
        select_related=("branch",),
        defer=("branch__contact_phone",),
        importer="inflow.importers.InflowImporter",
        # Our own organizations' users; a destination partner's account has nothing to do with inflow members.
        import_roles=(Role.ADMIN, Role.COUNTY, Role.TOWNSHIP, Role.SECRETARY),
        description=_(
            "One row per inflow member, matched by citizen ID number: one already registered is updated, a new one "
            "is added to the branch named."
        ),
        columns=(
            Column("序号", kind=SERIAL, width=6),
            Column("姓名", "name", field="name", required=True, width=10),
            gender_column(Gender),
            id_number_column("身份证号", aliases=("公民身份号码", "身份证号码")),
            phone_column(),
            Column(
                "党支部",
                "branch.name",
                width=36,
                field="branch",
                required=True,
                help=_("The local branch's full official name, as in the organization tree."),
            ),
            Column("原职业", "occupation", field="occupation", width=12),
            Column("流入前所在省份", "from_province", field="from_province", width=12),
            Column("是否持有活动证", "has_certificate", BOOL, 10, field="has_certificate"),
            Column("流入时间", "arrived_on", DATE, 12, field="arrived_on", help=DATE_HELP),
            Column("流入原因", "reason", CHOICE, 10, FlowReason, "reason"),
            Column("入党时间", "joined_on", DATE, 12, field="joined_on", help=DATE_HELP),
            Column(
                "组织关系所在地",
                "home_place",
                width=24,
                field="home_place",
                help=_("Province and county of the home organization, e.g. 广东省广州市白云区."),
            ),
            Column("状态", "status", CHOICE, 8, InflowStatus, "status"),
            birth_date_column(),
            Column("活动证编号", "certificate_number", width=14, field="certificate_number"),
            Column("组织关系所在党组织", "home_org_name", width=30, field="home_org_name"),
            Column("原党组织联系人", "home_contact", width=10, field="home_contact"),
            Column("原党组织联系电话", "contact_phone", PHONE, 14, field="contact_phone"),
            Column("报到时间", "reported_on", DATE, 12, field="reported_on", help=DATE_HELP),
            Column(
                "离开时间", "left_on", DATE, 12, field="left_on", help=_("For a member whose status is 已离开 only.")
            ),
            Column("离开原因", "left_reason", width=20, field="left_reason"),
            Column("备注", "note", width=20, field="note"),
        ),
    )
)
