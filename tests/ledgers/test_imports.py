"""Importing member and organization ledgers: every fault reported at its Excel row and column with nothing written,
round trips that change nothing, re-imports that update and never duplicate, outflows moved only through the
workflow, one audit entry per import, and nothing outside the importing user's scope."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from lanshan_party.ledgers import imports
from lanshan_party.models import AuditAction, AuditEntry, ImportBatch, ImportStatus
from members import actions
from members.importers import transition_path
from members.models import LostCause, Member, Outflow, OutflowEvent, OutflowEventKind, OutflowStatus
from organizations.models import Organization, OrgKind
from tests.conftest import login
from tests.factories import MemberFactory, make_id_number_ending_in_x
from tests.ledgers.workbooks import (
    MEMBER_HEADERS,
    ORGANIZATION_HEADERS,
    away_member,
    confirm,
    download_bytes,
    faulty_ledger,
    latest_batch,
    member_row,
    read_sheet,
    upload,
    workbook,
)


def database_state() -> dict:
    """Every row an import could touch, decrypted, in a comparable form."""
    return {
        "members": list(Member.objects.order_by("pk").values()),
        "outflows": list(Outflow.objects.order_by("pk").values()),
        "events": list(OutflowEvent.objects.order_by("pk").values()),
        "organizations": list(Organization.objects.order_by("pk").values()),
        "tags": list(Member.tags.through.objects.order_by("pk").values()),
    }


def export_file(client, url: str, **data) -> bytes:
    response = client.post(url, {"format": "xlsx", **data})
    assert response.status_code == 200, response
    return download_bytes(response)


# ---------------------------------------------------------------- a faulty ledger


def test_a_faulty_ledger_writes_nothing_and_reports_every_fault_at_its_row_and_column(county):
    data, expected = faulty_ledger(county)
    client = login(county.admin)
    before = database_state()

    response = upload(client, data)

    batch = latest_batch()
    assert response.status_code == 302 and response.headers["Location"] == reverse(
        "ledgers:import_detail", args=[batch.pk]
    )
    assert batch.status == ImportStatus.CHECKED
    found = {(fault["row"], fault["column"]) for fault in batch.errors}
    for row, column in expected.items():
        assert (row, column) in found, f"no fault reported at row {row}, {column}: {batch.errors}"
    assert {row for row, _column in found} == set(expected)  # the two good rows and the sloppy one are fine
    assert batch.error_rows == len(expected) and batch.total_rows == len(expected) + 3
    assert batch.created_count == 3

    response = confirm(client, batch)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert database_state() == before
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


def test_each_fault_says_what_is_wrong_in_words(county):
    data, _expected = faulty_ledger(county)
    upload(login(county.admin), data)
    messages = {(fault["row"], fault["column"]): fault["message"] for fault in latest_batch().errors}
    assert "第 2 行" in messages[(7, "公民身份号码")]  # the duplicate points at the first occurrence
    assert "公式" in messages[(9, "姓名")]
    assert "1988-13-40" in messages[(11, "出生日期")]
    assert "中共蓝山县不存在镇某某村支部委员会" in messages[(12, "组织关系所在党支部")]


def test_the_sloppy_but_valid_row_is_accepted_and_normalized_when_the_valid_rows_are_imported(county):
    data, expected = faulty_ledger(county)
    client = login(county.admin)
    upload(client, data)

    confirm(client, latest_batch(), valid_only=True)

    batch = latest_batch()
    assert batch.status == ImportStatus.DONE
    assert batch.created_count == 3 and batch.error_rows == len(expected)
    sloppy = Member.objects.get(name="徐强生")
    assert sloppy.id_number == make_id_number_ending_in_x()  # upper-case X, no spaces
    assert sloppy.gender == "F"
    assert Member.objects.filter(name__in=["好党员甲", "好党员乙"]).count() == 2
    assert not Member.objects.filter(name="电话错").exists()


def test_the_preview_lists_the_faults_and_offers_the_uploaded_workbook_with_the_bad_cells_marked(county):
    data, expected = faulty_ledger(county)
    client = login(county.admin)
    upload(client, data)
    batch = latest_batch()

    page = client.get(reverse("ledgers:import_detail", args=[batch.pk])).content.decode()
    marked = client.get(reverse("ledgers:import_marked", args=[batch.pk]))

    assert "1988-13-40" in page and reverse("ledgers:import_marked", args=[batch.pk]) in page
    book = openpyxl.load_workbook(io.BytesIO(download_bytes(marked)))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    assert headers[: len(MEMBER_HEADERS)] == MEMBER_HEADERS and headers[-1] == imports.MARKED_HEADER
    for row, column in expected.items():
        cell = sheet.cell(row=row, column=MEMBER_HEADERS.index(column) + 1)
        assert cell.comment is not None and cell.fill.fgColor.rgb == "FFFFC7CE", (row, column)
        assert sheet.cell(row=row, column=len(headers)).value
    assert sheet.cell(row=2, column=2).comment is None
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


# ---------------------------------------------------------------- round trips and re-imports


@pytest.fixture
def populated(county):
    """Members in every state a ledger shows: reported, registered, lost, and at home."""
    county.li = MemberFactory(name="李春华", home_branch=county.huaguo, note="村后备力量")
    county.zhou = MemberFactory(name="周报到", home_branch=county.chengdong, phone="")
    outflow = actions.register_outflow(
        county.zhou,
        by=county.admin,
        departure_date=datetime.date(2023, 5, 1),
        province="广东省",
        city="广州市",
        district="花都区",
        employer="广州恒发",
        partner_contact_phone="13579750001",
    )
    actions.report_arrival(outflow, by=county.admin, on=datetime.date(2023, 5, 10))
    county.wu = MemberFactory(name="吴失联", home_branch=county.zongshicun)
    lost = actions.register_outflow(
        county.wu, by=county.admin, departure_date=datetime.date(2022, 1, 1), province="浙江省", city="杭州市"
    )
    actions.mark_lost(lost, cause=LostCause.MOVED, by=county.admin, on=datetime.date(2024, 1, 1))
    return county


def test_a_member_ledger_exported_and_imported_again_leaves_the_database_unchanged(populated):
    client = login(populated.admin)
    data = export_file(client, reverse("members:member_list"), full="on", reason="核对台账往返")
    before = database_state()

    upload(client, data, name="导出的台账.xlsx")
    batch = latest_batch()
    assert (batch.status, batch.error_count, batch.unchanged_count) == (ImportStatus.CHECKED, 0, 6), batch.errors
    confirm(client, batch)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 6)
    assert database_state() == before


def test_an_organization_ledger_exported_and_imported_again_leaves_the_database_unchanged(populated):
    Organization.objects.filter(pk=populated.huadu.pk).update(
        secretary_name="杨云发", contact_phone="", basis="association", founded=datetime.date(2022, 1, 15)
    )
    client = login(populated.admin)
    data = export_file(client, reverse("organizations:organization_ledger"), full="on", reason="核对组织台账")
    before = database_state()

    upload(client, data, ledger="organizations")
    batch = latest_batch()
    assert (batch.error_count, batch.unchanged_count) == (0, 8), batch.errors
    confirm(client, batch)

    assert latest_batch().status == ImportStatus.DONE
    assert database_state() == before


def test_a_masked_export_cannot_be_imported_and_says_why(populated):
    client = login(populated.admin)
    upload(client, export_file(client, reverse("members:member_list")))
    messages = {fault["message"] for fault in latest_batch().errors}
    assert any("已脱敏" in message for message in messages)


def test_reimporting_a_changed_ledger_updates_members_matched_by_id_number_and_duplicates_no_one(populated):
    client = login(populated.admin)
    data = export_file(client, reverse("members:member_list"), full="on", reason="批量更新")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [cell.value for cell in sheet[2]]
    for row in sheet.iter_rows(min_row=3):
        if row[headers.index("姓名")].value == "周报到":
            row[headers.index("工作单位")].value = "广州新工厂"
            row[headers.index("联系电话")].value = "13800138000"
    buffer = io.BytesIO()
    book.save(buffer)
    members_before = Member.objects.count()

    upload(client, buffer.getvalue())
    batch = latest_batch()
    assert (batch.updated_count, batch.unchanged_count, batch.created_count) == (1, 5, 0), batch.errors
    confirm(client, batch)

    assert Member.objects.count() == members_before
    zhou = Member.objects.get(name="周报到")
    assert zhou.phone == "13800138000"
    assert zhou.current_outflow.employer == "广州新工厂"
    assert zhou.current_outflow.status == OutflowStatus.REPORTED
    update = OutflowEvent.objects.filter(outflow=zhou.current_outflow, kind=OutflowEventKind.UPDATE).get()
    assert update.by == populated.admin and "导出" not in update.note


def test_the_whole_import_has_one_audit_entry_of_its_own_besides_one_per_member(populated):
    client = login(populated.admin)
    rows = [member_row(**away_member(n, name=f"新党员{n}", branch=populated.huaguo.name)) for n in range(1, 4)]
    upload(client, workbook(MEMBER_HEADERS, rows))
    before = AuditEntry.objects.exclude(action=AuditAction.WORKFLOW).count()

    confirm(client, latest_batch())

    entries = AuditEntry.objects.exclude(action=AuditAction.WORKFLOW).order_by("pk")[before:]
    assert [entry.action for entry in entries] == [AuditAction.CREATE] * 3 + [AuditAction.IMPORT]
    whole = entries[3]
    assert whole.changes["rows"] == [None, 3] and whole.actor == populated.admin
    assert "台账.xlsx" in whole.note


def test_new_members_with_a_destination_get_their_outflow_through_the_workflow(county):
    rows = [
        member_row(**away_member(1, name="已报到的", branch=county.huaguo.name)),
        member_row(
            **away_member(2, name="刚登记的", branch=county.huaguo.name, 流动状态="已登记", 所属在外流动党组织="")
        ),
        member_row(**away_member(3, name="失联的", branch=county.huaguo.name, 流动状态="失联", 失联原因="出国（境）")),
        member_row(
            **away_member(4, name="在家的", branch=county.huaguo.name, **dict.fromkeys(MEMBER_HEADERS[14:30], None))
        ),
    ]
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, rows))
    confirm(client, latest_batch())

    reported, registered, lost, home = (
        Member.objects.get(name=name) for name in ("已报到的", "刚登记的", "失联的", "在家的")
    )
    assert reported.current_outflow.status == OutflowStatus.REPORTED and reported.flowing_org == county.huadu
    assert registered.current_outflow.status == OutflowStatus.REGISTERED
    assert registered.flowing_org == county.huadu  # left empty: assigned at the destination, as on the page
    assert lost.current_outflow.status == OutflowStatus.LOST and lost.current_outflow.lost_cause == LostCause.ABROAD
    assert home.current_outflow is None
    kinds = list(OutflowEvent.objects.filter(outflow__member=reported).values_list("kind", flat=True))
    assert kinds == [OutflowEventKind.REGISTER, OutflowEventKind.REPORT]
    assert reported.current_outflow.partner_contact_phone == "13579750001"


def test_a_status_change_the_workflow_does_not_allow_is_a_fault_at_the_status_column(populated):
    client = login(populated.admin)
    data = export_file(client, reverse("members:member_list") + "?q=周报到", full="on", reason="测试状态")
    book = openpyxl.load_workbook(io.BytesIO(data))
    headers = [cell.value for cell in book.active[2]]
    book.active.cell(row=3, column=headers.index("流动状态") + 1).value = "已登记"
    buffer = io.BytesIO()
    book.save(buffer)

    upload(client, buffer.getvalue())

    faults = latest_batch().errors
    assert [(fault["row"], fault["column"]) for fault in faults] == [(3, "流动状态")]
    assert "已报到" in faults[0]["message"]


def test_a_returned_member_is_recorded_through_the_workflow(populated):
    client = login(populated.admin)
    data = export_file(client, reverse("members:member_list") + "?q=吴失联", full="on", reason="测试返乡")
    book = openpyxl.load_workbook(io.BytesIO(data))
    headers = [cell.value for cell in book.active[2]]
    book.active.cell(row=3, column=headers.index("流动状态") + 1).value = "已返乡"
    buffer = io.BytesIO()
    book.save(buffer)

    upload(client, buffer.getvalue())
    confirm(client, latest_batch())

    wu = Member.objects.get(name="吴失联")
    assert wu.current_outflow is None
    outflow = Outflow.objects.get(member=wu)
    assert outflow.status == OutflowStatus.RETURNED
    assert list(outflow.events.values_list("kind", flat=True))[-2:] == [OutflowEventKind.FIND, OutflowEventKind.RETURN]


def test_the_workflow_path_follows_the_transition_table():
    S, E = OutflowStatus, OutflowEventKind
    assert transition_path(S.REGISTERED, "", S.REPORTED) == [E.REPORT]
    assert transition_path(S.LOST, S.REGISTERED, S.REPORTED) == [E.FIND, E.REPORT]
    assert transition_path(S.LOST, S.REPORTED, S.REPORTED) == [E.FIND]
    assert transition_path(S.REPORTED, "", S.REGISTERED) is None
    assert transition_path(S.REPORTED, "", S.REPORTED) == []


# ---------------------------------------------------------------- scope


def test_a_branch_secretary_cannot_import_members_into_another_organization(county):
    rows = [
        member_row(**away_member(1, name="外村党员", branch=county.zongshicun.name)),
        member_row(**away_member(2, name="本村党员", branch=county.huaguo.name)),
    ]
    client = login(county.branch)
    upload(client, workbook(MEMBER_HEADERS, rows))
    batch = latest_batch()

    assert [(fault["row"], fault["column"]) for fault in batch.errors] == [(2, "组织关系所在党支部")]
    assert county.zongshicun.name in batch.errors[0]["message"]
    confirm(client, batch, valid_only=True)
    assert not Member.objects.filter(name="外村党员").exists()
    assert Member.objects.get(name="本村党员").home_branch == county.huaguo


def test_a_secretary_cannot_change_a_member_outside_their_organization_through_a_ledger(county):
    row = away_member(1, name="改名马云", branch=county.zongshicun.name, 公民身份号码=county.ma.id_number)
    row["出生日期"] = county.ma.birth_date.isoformat()
    client = login(county.branch)
    upload(client, workbook(MEMBER_HEADERS, [member_row(**row)]))

    faults = latest_batch().errors
    assert [(fault["row"], fault["column"]) for fault in faults] == [(2, "公民身份号码")]
    assert "管理范围以外" in faults[0]["message"]
    county.ma.refresh_from_db()
    assert county.ma.name == "马云"


def test_a_flowing_organization_secretary_updates_their_members_but_cannot_add_any(county):
    client = login(county.secretary)
    data = export_file(client, reverse("members:member_list"))  # masked: only to learn what the page holds
    assert [row[1] for row in read_sheet(data)[2:]] == ["袁芳伟"]
    yuan = away_member(1, name="袁芳伟", branch=county.huaguo.name, flowing=county.huadu.name)
    yuan.update(
        {
            "公民身份号码": county.yuan.id_number,
            "出生日期": county.yuan.birth_date.isoformat(),
            # joined at 18 and a full member at 19 of his own birth date (the factory's, which depends on the run)
            "入党时间": (county.yuan.birth_date + datetime.timedelta(days=365 * 18 + 10)).isoformat(),
            "转正时间": (county.yuan.birth_date + datetime.timedelta(days=365 * 19 + 10)).isoformat(),
            "外出时间": "2024-03-01",
            "流动状态": "已登记",
            "工作单位": "花都新厂",
        }
    )
    newcomer = away_member(2, name="新来的", branch=county.huaguo.name, flowing=county.huadu.name)
    upload(client, workbook(MEMBER_HEADERS, [member_row(**yuan), member_row(**newcomer)]))

    batch = latest_batch()
    assert [(fault["row"], fault["column"]) for fault in batch.errors] == [(3, "组织关系所在党支部")], batch.errors
    confirm(client, batch, valid_only=True)
    county.yuan.refresh_from_db()
    assert county.yuan.current_outflow.employer == "花都新厂"
    assert county.yuan.home_branch == county.huaguo


def test_only_county_level_users_may_import_the_organization_ledger(county):
    rows = [[1, "中共蓝山县塔峰镇新村支部委员会", "村党支部", "党支部", county.tafeng.name]]
    response = upload(login(county.township), workbook(ORGANIZATION_HEADERS, rows), ledger="organizations")
    assert response.status_code == 200 and "ledger" in response.context["form"].errors
    assert not ImportBatch.objects.exists()
    response = login(county.township).get(reverse("ledgers:import_template", args=["organizations"]))
    assert response.status_code == 403


def test_an_organization_ledger_creates_parents_before_children_in_file_order(county):
    rows = [
        [
            1,
            "中共蓝山县新圩镇委员会",
            "乡镇党委",
            "党委",
            county.committee.name,
            "湖南省",
            "永州市",
            "蓝山县",
            "1984-05-01",
        ],
        [
            2,
            "中共蓝山县新圩镇和平村支部委员会",
            "村党支部",
            "党支部",
            "中共蓝山县新圩镇委员会",
            "湖南省",
            "永州市",
            "蓝山县",
        ],
        [
            3,
            "中共蓝山县驻义乌流动党员支部委员会",
            "在外流动党组织",
            "党支部",
            county.committee.name,
            "浙江省",
            "金华市",
            "义乌市",
            "2021-02-15",
            "园区",
            "王丽军",
            "13857067891",
        ],
        [4, "中共蓝山县无上级村支部委员会", "村党支部", "党支部", "中共蓝山县不存在镇委员会"],
    ]
    client = login(county.county_staff)
    upload(client, workbook(ORGANIZATION_HEADERS, rows), ledger="organizations")
    batch = latest_batch()
    assert [(f["row"], f["column"]) for f in batch.errors] == [(5, "上级党组织")]
    assert batch.created_count == 3
    assert not Organization.objects.filter(name="中共蓝山县新圩镇委员会").exists()  # the check wrote nothing

    confirm(client, batch, valid_only=True)

    village = Organization.objects.get(name="中共蓝山县新圩镇和平村支部委员会")
    assert village.parent.name == "中共蓝山县新圩镇委员会" and village.path.startswith(county.committee.path)
    yiwu = Organization.objects.get(name="中共蓝山县驻义乌流动党员支部委员会")
    assert (yiwu.kind, yiwu.basis, yiwu.contact_phone) == (OrgKind.FLOWING, "park", "13857067891")
