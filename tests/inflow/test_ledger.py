"""The inflow member ledger: exported masked unless revealed with a reason, in the customary columns; a full export
imported into an empty database gives the same rows; a faulty ledger is refused whole, each fault at its cell."""

import datetime

import pytest
from django.urls import reverse

from inflow.ledgers import INFLOW
from inflow.models import InflowMember, InflowReport, InflowStatus
from lanshan_party.models import AuditAction, AuditEntry, ImportStatus, Role
from organizations.models import OrgKind
from tests.conftest import login
from tests.factories import OrganizationFactory, UserFactory, make_id_number
from tests.inflow.factories import InflowMemberFactory, other_county_id_number
from tests.ledgers.workbooks import confirm, download_bytes, latest_batch, read_sheet, upload, workbook

pytestmark = pytest.mark.usefixtures("ledger_jobs_run_inline")
HEADERS = [column.header for column in INFLOW.columns]
OWIP = ["序号", "姓名", "性别", "身份证号", "联系电话", "党支部", "原职业", "流入前所在省份", "是否持有活动证"]
OWIP += ["流入时间", "流入原因", "入党时间", "组织关系所在地", "状态"]
# Every stored column a ledger carries (not the bookkeeping ones), decrypted.
COMPARED = [
    "name", "gender", "birth_date", "id_number", "phone", "occupation", "from_province", "joined_on", "home_org_name",
    "home_place", "home_contact", "contact_phone", "arrived_on", "reason", "has_certificate", "certificate_number",
    "branch_id", "status", "reported_on", "left_on", "left_reason", "note",
]  # fmt: skip


@pytest.fixture(autouse=True)
def ledger_jobs_run_inline(settings):
    settings.LEDGER_EAGER_JOBS_IN_THREAD = False


def export(client, query: str = "", **data) -> bytes:
    response = client.post(
        reverse("inflow:inflowmember_list") + (f"?{query}" if query else ""), {"format": "xlsx", **data}
    )
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment"), response
    return download_bytes(response)


def rows(world) -> list[tuple]:
    return sorted(tuple(getattr(inflow, name) for name in COMPARED) for inflow in InflowMember.objects.all())


def test_the_ledger_starts_with_the_customary_columns():
    assert HEADERS[: len(OWIP)] == OWIP


def test_an_export_masks_personal_data_unless_revealed_with_a_reason_which_is_audited(world):
    client = login(world.admin)
    masked = read_sheet(export(client))
    header = masked[1]
    id_column, phone_column = header.index("身份证号"), header.index("联系电话")
    record = next(row for row in masked if row[1] == world.in_huaguo.name)
    assert "*" in record[id_column] and "*" in record[phone_column]
    full = read_sheet(export(client, full="on", reason="核对流入党员台账"))
    record = next(row for row in full if row[1] == world.in_huaguo.name)
    assert (record[id_column], record[phone_column]) == (world.in_huaguo.id_number, world.in_huaguo.phone)
    assert record[header.index("党支部")] == world.huaguo.name
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert entry.note and "核对流入党员台账" in entry.note + str(entry.changes)


def test_a_branch_secretarys_export_holds_only_their_branchs_inflow_members(world):
    names = [row[1] for row in read_sheet(export(login(world.branch)))[2:]]
    assert sorted(names) == ["huaguo待报到", "huaguo流入"]


def test_an_export_imported_into_an_empty_database_gives_the_same_rows(world):
    left = InflowMemberFactory(
        name="离开的",
        branch=world.chengdong,
        status=InflowStatus.LEFT,
        left_on=datetime.date(2025, 12, 1),
        left_reason="工作调动",
        has_certificate=False,
        certificate_number="",
        phone="",
        note="曾任党小组长",
    )
    assert left.pk
    client = login(world.admin)
    data = export(client, full="on", reason="台账往返核对")
    before = rows(world)
    InflowReport.objects.all().delete()
    InflowMember.objects.all().delete()

    upload(client, data, ledger="inflow", name="流入党员台账.xlsx")
    batch = latest_batch()
    assert (batch.status, batch.error_count, batch.created_count) == (ImportStatus.CHECKED, 0, 7), batch.errors
    confirm(client, batch)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert rows(world) == before
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="inflow.inflowmember").count() >= 7

    upload(client, data, ledger="inflow", name="again.xlsx")  # and again: every row found unchanged
    assert (latest_batch().unchanged_count, latest_batch().created_count) == (7, 0)


def _row(**values) -> list:
    good = {
        "序号": 1,
        "姓名": "卿桂英",
        "性别": "女",
        "身份证号": other_county_id_number(9, datetime.date(1988, 4, 9), male=False),
        "联系电话": "13922223333",
        "党支部": "中共蓝山县塔峰镇花果村支部委员会",
        "原职业": "电商从业者",
        "流入前所在省份": "广东省",
        "是否持有活动证": "否",
        "流入时间": "2025-03-01",
        "流入原因": "经商",
        "入党时间": "2010-07-01",
        "组织关系所在地": "广东省连州市",
        "状态": "Awaiting report-in",
        "组织关系所在党组织": "中共连州市保安镇卿罡村支部委员会",
    }
    good.update(values)
    return [good.get(header) for header in HEADERS]


def test_a_faulty_ledger_writes_nothing_and_says_what_is_wrong_at_each_cell(world):
    client = login(world.branch)
    rows_ = [
        _row(),
        _row(姓名="校验码错", 身份证号=other_county_id_number(10, datetime.date(1990, 1, 1))[:-1] + "Y"),
        _row(姓名="日期错", 身份证号=other_county_id_number(11, datetime.date(1991, 1, 1)), 流入时间="2025-13-40"),
        _row(
            姓名="支部不存在",
            身份证号=other_county_id_number(12, datetime.date(1992, 1, 1)),
            党支部="中共蓝山县不存在村支部委员会",
        ),
        _row(
            姓名="别人的支部",
            身份证号=other_county_id_number(13, datetime.date(1993, 1, 1)),
            党支部=world.zongshicun.name,
        ),
        _row(姓名="本县党员", 身份证号=world.yuan.id_number),
        _row(姓名="重复", 身份证号=other_county_id_number(9, datetime.date(1988, 4, 9), male=False)),
        _row(姓名="状态错", 身份证号=other_county_id_number(14, datetime.date(1994, 1, 1)), 状态="出国"),
        _row(姓名="离开无日期", 身份证号=other_county_id_number(15, datetime.date(1995, 1, 1)), 状态="Left"),
    ]
    expected = {
        3: "身份证号",
        4: "流入时间",
        5: "党支部",
        6: "党支部",
        7: "身份证号",
        8: "身份证号",
        9: "状态",
        10: "离开时间",
    }

    upload(client, workbook(HEADERS, rows_), ledger="inflow")

    batch = latest_batch()
    found = {(fault["row"], fault["column"]): fault["message"] for fault in batch.errors}
    for row, column in expected.items():
        assert (row, column) in found, (row, column, batch.errors)
    assert {row for row, _column in found} == set(expected)
    assert "2025-13-40" in found[(4, "流入时间")]
    assert "中共蓝山县不存在村支部委员会" in found[(5, "党支部")]
    assert "第 2 行" in found[(8, "身份证号")] or "row 2" in found[(8, "身份证号")]
    confirm(client, batch)
    assert not InflowMember.objects.filter(name="卿桂英").exists()  # all or nothing


def test_a_masked_export_cannot_be_imported(world):
    client = login(world.admin)
    upload(client, export(client), ledger="inflow")
    assert latest_batch().error_count >= 6 and not latest_batch().created_count


def test_an_inflow_member_born_in_lanshan_but_on_no_roll_of_ours_is_accepted(world):
    number = make_id_number(3, datetime.date(1990, 1, 1))
    upload(login(world.admin), workbook(HEADERS, [_row(身份证号=number, 性别="男")]), ledger="inflow")
    assert latest_batch().error_count == 0  # a Lanshan-born inflow member with no roll entry here is fine


def test_the_import_page_offers_the_inflow_ledger_and_its_template_has_its_columns(world):
    client = login(world.branch)
    assert "inflow" in client.get(reverse("ledgers:import_create")).content.decode()
    template = client.get(reverse("ledgers:import_template", args=["inflow"]))
    assert template.status_code == 200
    sheet = read_sheet(download_bytes(template))
    assert any(row[: len(OWIP)] == OWIP for row in sheet)


def test_a_destination_partners_account_may_not_import_the_inflow_ledger(world):
    partner = UserFactory(role=Role.PARTNER, organization=OrganizationFactory(kind=OrgKind.PARTNER))
    assert not INFLOW.may_import(partner) and INFLOW.may_import(world.branch)
