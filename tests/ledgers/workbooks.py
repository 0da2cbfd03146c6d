"""Small ledger workbooks built by the tests themselves (never read from ../shared), and helpers to upload and read them."""

import datetime
import io
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

import openpyxl
from django.test import Client, TestCase
from django.urls import reverse

from lanshan_party.models import ImportBatch
from members.ledgers import MEMBERS
from organizations.ledgers import ORGANIZATIONS
from tests.factories import make_id_number, make_id_number_ending_in_x, with_wrong_check_digit

MEMBER_HEADERS = [column.header for column in MEMBERS.columns]
ORGANIZATION_HEADERS = [column.header for column in ORGANIZATIONS.columns]


def workbook(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None, text: bool = True
) -> bytes:
    """A ledger workbook as counties keep them: optional title row, header row, then rows (cells as text, like the
    county's own files, unless text=False)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "流动党员台账"
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
        if text:
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def member_row(**values: Any) -> list[Any]:
    """A member ledger row in the customary column order, from {header: value}."""
    unknown = set(values) - set(MEMBER_HEADERS)
    assert not unknown, unknown
    return [values.get(header) for header in MEMBER_HEADERS]


def away_member(
    n: int, *, name: str, branch: str, flowing: str = "", birth: datetime.date | None = None, **extra: Any
) -> dict[str, Any]:
    """A valid row of a member away in Huadu (unless extra says otherwise)."""
    birth = birth or datetime.date(1980, 1, 1) + datetime.timedelta(days=97 * n)
    row = {
        "序号": n,
        "姓名": name,
        "性别": "男",
        "民族": "汉族",
        "出生日期": birth.isoformat(),
        "公民身份号码": make_id_number(n, birth),
        "学历": "高中",
        "入党时间": (birth + datetime.timedelta(days=365 * 20)).isoformat(),
        "转正时间": (birth + datetime.timedelta(days=365 * 21)).isoformat(),
        "党员类别": "正式党员",
        "户籍乡镇": "塔峰镇",
        "户籍村（社区）": "花果村",
        "组织关系所在党支部": branch,
        "联系电话": f"1870728{n:04d}",
        "外出时间": "2020-04-12",
        "外出地点（省）": "广东省",
        "外出地点（市）": "广州市",
        "外出地点（县区）": "花都区",
        "详细地址": f"花都区工业园{n}号",
        "流动范围": "跨省",
        "外出原因": "务工",
        "从事行业": "皮具箱包",
        "工作单位": "广州恒发皮具箱包有限公司",
        "所属在外流动党组织": flowing,
        "流入地党组织": "中共广州市花都区镇委员会",
        "流入地联系人": "林敏",
        "流入地联系电话": f"1357975{n:04d}",
        "活动证编号": f"LS2020{n:05d}",
        "组织关系是否转出": "否",
        "流动状态": "已报到",
    }
    row.update(extra)
    return row


def faulty_ledger(county: SimpleNamespace) -> tuple[bytes, dict[int, str]]:
    """The same kinds of faults as the county's members_bad.xlsx: two valid rows, one fault per row after them, and
    a sloppy but valid row last. Returns the workbook and {Excel row: column at fault}."""
    huaguo, huadu = county.huaguo.name, county.huadu.name
    good = [
        away_member(1, name="好党员甲", branch=huaguo, flowing=huadu),
        away_member(2, name="好党员乙", branch=huaguo),
    ]
    faulty = [
        (
            "公民身份号码",
            away_member(
                3,
                name="校验码错",
                branch=huaguo,
                公民身份号码=with_wrong_check_digit(make_id_number(3, datetime.date(1980, 6, 7))),
            ),
        ),
        ("公民身份号码", away_member(4, name="日期不存在", branch=huaguo, 公民身份号码="43112719990230" + "0990")),
        (
            "公民身份号码",
            away_member(
                5, name="十七位", branch=huaguo, 公民身份号码=make_id_number(5, datetime.date(1983, 1, 1))[:17]
            ),
        ),
        (
            "公民身份号码",
            away_member(
                6, name="重复号码", branch=huaguo, 公民身份号码=good[0]["公民身份号码"], 出生日期=good[0]["出生日期"]
            ),
        ),
        ("姓名", away_member(7, name="", branch=huaguo)),
        ("姓名", away_member(8, name='=HYPERLINK("http://evil.example/","点击")', branch=huaguo)),
        ("联系电话", away_member(9, name="电话错", branch=huaguo, 联系电话="12345")),
        ("出生日期", away_member(10, name="日期错", branch=huaguo, 出生日期="1988-13-40")),
        ("组织关系所在党支部", away_member(11, name="支部不存在", branch="中共蓝山县不存在镇某某村支部委员会")),
        (
            "所属在外流动党组织",
            away_member(12, name="流动组织不存在", branch=huaguo, flowing="中共蓝山县驻火星流动党员支部委员会"),
        ),
        ("外出时间", away_member(13, name="外出早于出生", branch=huaguo, 外出时间="1900-01-01")),
        ("性别", away_member(14, name="性别不符", branch=huaguo, 性别="女")),
    ]
    sloppy_id = make_id_number_ending_in_x()
    sloppy = away_member(
        15,
        name=" 徐强生 ",
        branch=huaguo,
        性别="女",
        出生日期="1960-03-21",
        公民身份号码=f" {sloppy_id[:-1]}x ",
        入党时间="1980-06-01",
        转正时间="1981-06-01",
    )
    rows = [member_row(**r) for r in good] + [member_row(**r) for _column, r in faulty] + [member_row(**sloppy)]
    data = workbook(MEMBER_HEADERS, rows)
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active["B9"] = '=HYPERLINK("http://evil.example/","点击")'  # a real formula cell, as in the county's file
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), {4 + i: column for i, (column, _row) in enumerate(faulty)}


def upload(client: Client, data: bytes, *, ledger: str = "members", name: str = "台账.xlsx") -> Any:
    """Upload a ledger; its check job runs when the request's transaction commits, as a worker would run it."""
    file = io.BytesIO(data)
    file.name = name
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("ledgers:import_create"), {"ledger": ledger, "file": file})


def latest_batch() -> ImportBatch:
    return ImportBatch.objects.latest("pk")


def confirm(client: Client, batch: ImportBatch, *, valid_only: bool = False, renames: Sequence[int] = ()) -> Any:
    """Confirm a checked ledger (ticking these renames); the import job runs on commit, as a worker would run it."""
    data: dict[str, Any] = {"valid_only": "on"} if valid_only else {}
    if renames:
        data["renames"] = [str(row) for row in renames]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("ledgers:import_confirm", args=[batch.pk]), data)


def read_sheet(data: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]


def download_bytes(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
