"""Ledger imports: files refused at upload, headers and cells read as counties write them, the empty template, and
the cost and the background job of large imports."""

import datetime
import io
import os

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lanshan_party.ledgers import exports, imports, sheets
from lanshan_party.models import ImportBatch, ImportStatus
from members.importers import MemberImporter
from members.ledgers import MEMBERS
from members.models import Member
from tests.conftest import login
from tests.factories import MemberFactory, make_id_number
from tests.ledgers.workbooks import (
    MEMBER_HEADERS,
    away_member,
    confirm,
    download_bytes,
    latest_batch,
    member_row,
    upload,
    workbook,
)

# ---------------------------------------------------------------- files refused at upload


def test_a_renamed_csv_is_refused_at_upload_with_a_message_saying_what_to_do(county):
    response = upload(login(county.admin), "序号,姓名\n1,袁芳伟\n".encode(), name="台账.xlsx")
    assert response.status_code == 200
    assert "另存为" in str(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_a_workbook_without_the_required_columns_is_refused_naming_them(county):
    data = workbook(["序号", "姓名", "性别"], [[1, "袁芳伟", "男"]])
    upload(login(county.admin), data)
    batch = latest_batch()  # the header row is read by the check job, not by the upload request
    assert batch.status == ImportStatus.REJECTED
    assert "公民身份号码" in batch.message and "组织关系所在党支部" in batch.message


def test_a_file_over_the_size_limit_is_refused(county, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 2000
    data = workbook(MEMBER_HEADERS, [member_row(**away_member(1, name="甲", branch=county.huaguo.name))])
    response = upload(login(county.admin), data)
    assert "拆分" in str(response.context["form"].errors["file"])


def test_a_sheet_over_the_row_limit_is_refused(county, settings):
    settings.LEDGER_IMPORT_MAX_ROWS = 3
    rows = [member_row(**away_member(n, name=f"党员{n}", branch=county.huaguo.name)) for n in range(1, 5)]
    upload(login(county.admin), workbook(MEMBER_HEADERS, rows))
    batch = latest_batch()
    assert batch.status == ImportStatus.REJECTED and "超过 3 行" in batch.message
    assert not batch.file  # the upload, with its personal data, is not kept


def test_headers_are_found_under_a_title_row_and_in_any_order(county):
    row = away_member(1, name="乱序党员", branch=county.huaguo.name)
    headers = list(reversed(MEMBER_HEADERS))
    data = workbook(headers, [list(reversed(member_row(**row)))], title="蓝山县流动党员台账（2026年）")
    client = login(county.admin)
    upload(client, data)
    confirm(client, latest_batch())
    assert Member.objects.get(name="乱序党员").current_outflow.city == "广州市"


def test_numbers_typed_as_numbers_are_read_and_an_id_number_stored_as_a_number_is_a_fault(county):
    row = member_row(**away_member(1, name="数字党员", branch=county.huaguo.name))
    row[MEMBER_HEADERS.index("联系电话")] = 18707280001
    other = member_row(**away_member(2, name="号码变数字", branch=county.huaguo.name))
    other[MEMBER_HEADERS.index("公民身份号码")] = float(make_id_number(2, datetime.date(1980, 7, 8))[:17])
    upload(login(county.admin), workbook(MEMBER_HEADERS, [row, other], text=False))
    faults = latest_batch().errors
    assert [(f["row"], f["column"]) for f in faults] == [(3, "公民身份号码")]
    assert "前15位" in faults[0]["message"]


def test_the_empty_template_has_the_official_columns_and_how_to_fill_them_in(county):
    response = login(county.branch).get(reverse("ledgers:import_template", args=["members"]))
    book = openpyxl.load_workbook(io.BytesIO(download_bytes(response)))
    assert [cell.value for cell in book.worksheets[0][2]] == MEMBER_HEADERS
    notes = {row[0]: row for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "正式党员" in notes["党员类别"][2] and notes["公民身份号码"][1]


# ---------------------------------------------------------------- jobs and cost


def test_a_large_import_is_checked_and_imported_as_a_background_job(
    county, settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_IMPORT_SYNC_ROWS = 1
    rows = [member_row(**away_member(n, name=f"批量{n}", branch=county.huaguo.name)) for n in range(1, 4)]
    client = login(county.admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, workbook(MEMBER_HEADERS, rows))
    batch = latest_batch()
    assert batch.status == ImportStatus.CHECKED and batch.created_count == 3
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, batch)
    assert latest_batch().status == ImportStatus.DONE
    assert Member.objects.filter(name__startswith="批量").count() == 3


def test_a_confirmed_batch_imports_once_even_if_its_task_runs_twice(county):
    rows = [member_row(**away_member(1, name="只一次", branch=county.huaguo.name))]
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, rows))
    batch = latest_batch()
    confirm(client, batch)
    assert imports.run(batch.pk) == ImportStatus.DONE  # already done: nothing more
    assert Member.objects.filter(name="只一次").count() == 1


def _count_check_queries(county, how_many: int) -> int:
    rows = [member_row(**away_member(n, name=f"查询{n}", branch=county.huaguo.name)) for n in range(1, how_many + 1)]
    book = openpyxl.load_workbook(io.BytesIO(workbook(MEMBER_HEADERS, rows)), read_only=True)
    layout = sheets.find_layout(book, MEMBERS, "x.xlsx")
    raw = list(sheets.data_rows(layout))
    importer = MemberImporter(MEMBERS, county.admin, layout, "x.xlsx")
    with CaptureQueriesContext(connection) as captured:
        results = list(importer.check(raw))
    assert len(results) == how_many and not any(r.faults for r in results), [r.faults for r in results]
    return len(captured.captured_queries)


def test_checking_a_batch_of_rows_costs_the_same_queries_for_5_and_for_50_rows(county):
    for n in range(1, 6):  # some of the rows update members that exist
        MemberFactory(
            name=f"查询{n}",
            home_branch=county.huaguo,
            id_number=make_id_number(n, datetime.date(1980, 1, 1) + datetime.timedelta(days=97 * n)),
            birth_date=datetime.date(1980, 1, 1) + datetime.timedelta(days=97 * n),
        )
    few = _count_check_queries(county, 5)
    many = _count_check_queries(county, 50)
    assert few == many
    assert many <= 6


def test_an_upload_left_unconfirmed_is_deleted_after_the_keeping_time(county, settings):
    client = login(county.admin)
    upload(client, workbook(MEMBER_HEADERS, [member_row(**away_member(1, name="未确认", branch=county.huaguo.name))]))
    batch = latest_batch()
    path = batch.file.path
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.LEDGER_FILES_KEEP_HOURS + 1)
    )

    exports.expire_files()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED and not batch.file
    assert not os.path.exists(path)
    assert confirm(client, batch).status_code == 302 and not Member.objects.filter(name="未确认").exists()
