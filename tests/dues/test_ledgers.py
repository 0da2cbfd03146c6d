"""The payments ledger round-trips (export, remove, import back: the same payments), and an import is checked cell by
cell with the payment form's rules and all-or-nothing; the dues ledger carries each member's standard, months and
amount paid and arrears."""

import datetime
from decimal import Decimal

import pytest

from dues import actions
from dues.ledgers import PAYMENTS
from dues.models import DuesMonth, DuesPayment
from lanshan_party.models import ImportStatus
from tests.conftest import login
from tests.dues.conftest import fresh
from tests.ledgers.test_exports import export, rows_of
from tests.ledgers.workbooks import confirm, download_bytes, latest_batch, read_sheet, upload, workbook

HEADERS = [column.header for column in PAYMENTS.columns]
REASON = "核对党费收缴台账并导入"


@pytest.fixture(autouse=True)
def ledger_jobs_run_inline(settings):
    settings.LEDGER_EAGER_JOBS_IN_THREAD = False
    from django.core.cache import cache

    cache.clear()


def _payments(world):
    actions.record_payment(
        fresh(world.yuan),
        months=[(2026, 4), (2026, 5)],
        amount=Decimal("80"),
        paid_on=datetime.date(2026, 6, 1),
        paid_at=world.huadu,
        by=world.admin,
    )
    actions.record_payment(
        fresh(world.qin),
        months=[(2026, 5)],
        amount=Decimal("45.50"),
        paid_on=datetime.date(2026, 6, 2),
        paid_at=world.chengdong,
        paid_by="proxy",
        proxy_name="覃父",
        note="自愿多交",
        by=world.admin,
    )


def _state():
    return sorted(
        (p.member.name, p.amount, p.paid_on, p.paid_at.name, p.paid_by, p.proxy_name, p.note, p.months_display())
        for p in DuesPayment.objects.select_related("member", "paid_at").prefetch_related("months")
    )


def test_the_payments_ledger_exported_and_imported_back_gives_the_same_payments(dues_world):
    _payments(dues_world)
    before = _state()
    client = login(dues_world.admin)
    response = export(client, "dues:payment_list", full="on", reason=REASON)
    assert response.status_code == 200, response
    data = download_bytes(response)
    sheet = read_sheet(data)
    assert sheet[1] == HEADERS and len(sheet) == 4
    DuesPayment.objects.all().delete()
    assert not DuesMonth.objects.exists()

    upload(client, data, ledger="dues_payments")
    batch = latest_batch()
    assert batch.status == ImportStatus.CHECKED and batch.error_count == 0, batch.errors
    assert not DuesPayment.objects.exists()  # the preview writes nothing
    confirm(client, batch)

    assert latest_batch().status == ImportStatus.DONE
    assert _state() == before


def _row(member, months, amount="40", paid_on="2026-06-01", place="", how="", proxy=""):
    return ["1", member.name, member.id_number, member.home_branch.name, months, amount, paid_on, place, how, proxy, ""]


def test_an_import_names_each_bad_cell_in_chinese_and_imports_nothing(dues_world):
    yuan, qin, ma = dues_world.yuan, dues_world.qin, dues_world.ma
    data = workbook(
        HEADERS,
        [
            _row(yuan, "2026-05", place=dues_world.huadu.name),
            _row(yuan, "2026-05"),  # the month the row above pays: a double payment
            _row(qin, "2026-13"),  # not a month
            _row(qin, "2025-11"),  # seven months back
            _row(ma, "2026-05", amount="abc"),
            _row(ma, "2026-04", amount="10"),  # less than the dues
            _row(ma, "2026-03", place=dues_world.kunming.name),  # no certificate
        ],
    )
    client = login(dues_world.admin)
    upload(client, data, ledger="dues_payments")
    batch = latest_batch()
    faults = {(fault["row"], fault["column"]) for fault in batch.errors}
    assert faults == {
        (3, "缴纳月份"),
        (4, "缴纳月份"),
        (5, "缴纳月份"),
        (6, "金额（元）"),
        (7, "金额（元）"),
        (8, "缴纳地点"),
    }, batch.errors
    assert not DuesPayment.objects.exists()
    confirm(client, batch)
    assert not DuesPayment.objects.exists()  # all or nothing


def test_the_dues_ledger_carries_the_standard_the_months_and_amount_paid_and_the_arrears(dues_world):
    _payments(dues_world)
    sheet = rows_of(export(login(dues_world.admin), "dues:standard_list", query="year=2026"))
    by_name = {row[2]: row for row in sheet[2:]}
    header = sheet[1]
    yuan = dict(zip(header, by_name["袁芳伟"], strict=True))
    assert yuan["月缴纳标准（元）"] == 40 and yuan["已交月数"] == 2 and yuan["已交金额（元）"] == 80
    assert yuan["欠交月数"] == 4  # six months due by June, two paid
    assert "*" in yuan["公民身份号码"]  # masked by default
