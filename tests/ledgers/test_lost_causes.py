"""The member ledger carries the lost register's cause (失联原因, as its Chinese label) and day (失联时间), and an
imported lost member needs one of the seven official causes: never a silent 其他."""

import datetime

from django.urls import reverse

from lanshan_party.ledgers.sheets import _date_input
from members import actions
from members.models import LostCause, Member, OutflowEventKind, OutflowStatus
from tests.conftest import login
from tests.ledgers.workbooks import (
    MEMBER_HEADERS,
    away_member,
    confirm,
    download_bytes,
    latest_batch,
    member_row,
    read_sheet,
    upload,
    workbook,
)
from tests.members.outflow_steps import days_ago

LIST = reverse("members:member_list")


def test_the_member_ledger_exports_the_cause_as_its_chinese_label_and_the_day_lost(county):
    actions.mark_lost(county.yuan_outflow, cause=LostCause.MOVED, by=county.admin, on=days_ago(10))
    response = login(county.admin).post(LIST + "?status=lost&q=袁芳伟", {"format": "xlsx"})

    sheet = read_sheet(download_bytes(response))

    row = dict(zip(sheet[1], sheet[2], strict=True))
    assert row["流动状态"] == "失联" and row["失联原因"] == "居住地变"
    assert _date_input(row["失联时间"]) == days_ago(10).isoformat()


def import_rows(county, **cells):
    row = member_row(**away_member(1, name="新失联", branch=county.huaguo.name, **{"流动状态": "失联", **cells}))
    upload(login(county.admin), workbook(MEMBER_HEADERS, [row]))
    return latest_batch()


def test_an_imported_lost_member_without_a_cause_is_a_fault_at_the_cause_column_listing_the_seven_causes(county):
    batch = import_rows(county)

    faults = [(fault["row"], fault["column"], fault["message"]) for fault in batch.errors]
    assert [(row, column) for row, column, _message in faults] == [(2, "失联原因")]
    message = faults[0][2]
    assert message.startswith("失联党员须填写失联原因：")
    for label in ("外出务工经商", "改制破产", "毕业去向不明", "工作单位变", "出国（境）", "居住地变", "其他"):
        assert label in message
    assert not Member.objects.filter(name="新失联").exists()


def test_an_imported_lost_member_takes_the_cause_and_the_day_of_the_row(county):
    batch = import_rows(county, 失联原因="改制破产", 失联时间="2024-05-01")
    assert batch.errors == []
    confirm(login(county.admin), batch)

    outflow = Member.objects.get(name="新失联").current_outflow
    assert outflow.status == OutflowStatus.LOST
    assert (outflow.lost_cause, outflow.lost_on) == (LostCause.RESTRUCTURING, datetime.date(2024, 5, 1))
    assert outflow.events.get(kind=OutflowEventKind.LOSE).on == datetime.date(2024, 5, 1)


def test_a_cause_of_lost_contact_for_a_member_who_is_not_lost_is_a_fault(county):
    batch = import_rows(county, 流动状态="已报到", 失联原因="改制破产")

    assert [(fault["row"], fault["column"]) for fault in batch.errors] == [(2, "失联原因")]
