"""Uploads that would take the site down are refused with a message saying what to do, and nothing is imported: a
workbook whose cell unpacks to millions of characters, an honest but huge shared-texts part, millions of shared
texts, entity declarations hidden after a comment, a zip header that lies about a part's size, and a check that runs
past its time limit. The upload request itself never unpacks or parses the workbook: the worker does."""

import io
import zipfile

import openpyxl
import pytest
from celery.exceptions import SoftTimeLimitExceeded

from lanshan_party.ledgers import imports, reading
from lanshan_party.ledgers import tasks as ledger_tasks
from lanshan_party.models import ImportBatch, ImportStatus
from members.models import Member
from tests.conftest import login
from tests.ledgers.workbooks import MEMBER_HEADERS, away_member, latest_batch, member_row, upload, workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def ledger(county) -> bytes:
    return workbook(MEMBER_HEADERS, [member_row(**away_member(1, name="炸弹党员", branch=county.huaguo.name))])


def with_parts(data: bytes, parts: dict[str, bytes], *, content_types: bool = True) -> bytes:
    """The workbook with these parts added or replaced (deflated, as Excel writes them)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue()


def shared_strings(texts: list[str] | None = None, *, count: int = 0, prolog: str = "") -> bytes:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts or []) + "<si><t>x</t></si>" * count
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<sst xmlns="{MAIN}">{items}</sst>'.encode()


def sheet_with_inline_text(characters: int) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        f'<c r="A1" t="inlineStr"><is><t>{"A" * characters}</t></is></c></row></sheetData></worksheet>'
    ).encode()


@pytest.fixture
def no_jobs(monkeypatch):
    """The upload request alone: jobs it starts are recorded, not run."""
    started: list[int] = []
    monkeypatch.setattr(ledger_tasks, "start", lambda task, pk: started.append(pk))
    return started


def refused_in_the_worker(client, data: bytes) -> ImportBatch:
    members = Member.objects.count()
    response = upload(client, data)
    assert response.status_code == 302  # stored after the cheap checks; the worker found the bomb
    batch = latest_batch()
    assert batch.status == ImportStatus.REJECTED, batch.message
    assert not batch.file  # not kept
    assert Member.objects.count() == members
    return batch


def test_openpyxl_parses_workbooks_through_defusedxml():
    assert openpyxl.DEFUSEDXML


def test_a_cell_that_unpacks_to_millions_of_characters_is_refused_naming_excels_cell_limit(county):
    data = with_parts(ledger(county), {"xl/worksheets/sheet1.xml": sheet_with_inline_text(3_000_000)})
    assert len(data) < 30_000
    batch = refused_in_the_worker(login(county.admin), data)
    assert "32,767 个字符" in batch.message and "单元格" in batch.message


def test_an_honest_but_huge_shared_texts_part_is_refused_at_upload_from_the_zip_directory(county, settings, no_jobs):
    settings.LEDGER_IMPORT_MAX_SHARED_STRINGS_BYTES = 50_000
    data = with_parts(ledger(county), {"xl/sharedStrings.xml": shared_strings([f"党员{n}" for n in range(20_000)])})
    response = upload(login(county.admin), data)
    error = str(response.context["form"].errors["file"])
    assert "xl/sharedStrings.xml" in error and "解压后" in error and "删除多余的工作表" in error
    assert not ImportBatch.objects.exists() and not no_jobs


def test_a_workbook_of_very_many_shared_texts_is_refused_saying_it_is_not_a_real_ledger(county, settings):
    settings.LEDGER_IMPORT_MAX_SHARED_STRINGS = 1000
    data = with_parts(ledger(county), {"xl/sharedStrings.xml": shared_strings(count=5000)})
    batch = refused_in_the_worker(login(county.admin), data)
    assert "1,000 条不同的文字" in batch.message


def test_entities_declared_after_a_comment_are_refused(county):
    prolog = '<!-- <a> looks like a tag --><!DOCTYPE sst [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    data = with_parts(ledger(county), {"xl/sharedStrings.xml": shared_strings(["&b;"], prolog=prolog)})
    batch = refused_in_the_worker(login(county.admin), data)
    assert "DOCTYPE" in batch.message and "另存为" in batch.message


def test_a_doctype_without_entities_is_refused_too(county):
    data = with_parts(ledger(county), {"xl/sharedStrings.xml": shared_strings(["x"], prolog="<!DOCTYPE sst>")})
    assert "DOCTYPE" in refused_in_the_worker(login(county.admin), data).message


def test_a_part_whose_zip_header_understates_its_size_is_refused_as_damaged(county):
    data = with_parts(ledger(county), {"xl/worksheets/sheet2.xml": b"<worksheet>" + b" " * 2_000_000 + b"</worksheet>"})
    # Say 100 bytes in both headers, local and central: a reader trusting them would unpack 2 MB regardless.
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("xl/worksheets/sheet2.xml")
    real = info.file_size.to_bytes(4, "little")
    lying = bytearray(data)
    for offset in (i for i in range(len(lying) - 4) if lying[i : i + 4] == real):
        lying[offset : offset + 4] = (100).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(lying))).getinfo("xl/worksheets/sheet2.xml").file_size == 100
    batch = refused_in_the_worker(login(county.admin), bytes(lying))
    assert "已损坏" in batch.message


def test_the_upload_request_never_unpacks_or_parses_the_workbook(county, monkeypatch, no_jobs):
    def never(*args, **kwargs):
        raise AssertionError("the upload request read inside the workbook")

    data = with_parts(ledger(county), {"xl/worksheets/sheet1.xml": sheet_with_inline_text(3_000_000)})
    client = login(county.admin)
    monkeypatch.setattr(reading, "load_workbook", never)
    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    monkeypatch.setattr(zipfile.ZipFile, "read", never)

    response = upload(client, data)

    assert response.status_code == 302
    batch = latest_batch()
    assert batch.status == ImportStatus.CHECKING and no_jobs == [batch.pk]  # the worker reads it
    monkeypatch.undo()
    ledger_tasks.check_import_task(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED and not Member.objects.filter(name="炸弹党员").exists()


def test_a_check_past_its_time_limit_is_refused_with_a_message_not_left_checking(county, monkeypatch):
    def slow(batch, *, commit):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(imports, "process", slow)
    batch = refused_in_the_worker(login(county.admin), ledger(county))
    assert "分钟" in batch.message and "拆分" in batch.message


def test_the_ledger_tasks_run_under_the_time_limits_of_the_settings(settings):
    for task in (ledger_tasks.check_import_task, ledger_tasks.import_ledger_task, ledger_tasks.export_ledger_task):
        assert task.soft_time_limit == settings.LEDGER_TASK_SOFT_TIME_LIMIT
        assert task.time_limit == settings.LEDGER_TASK_TIME_LIMIT > task.soft_time_limit


def test_a_ledger_of_the_largest_size_fits_within_the_default_limits(settings):
    # Measured on a 50,000-row member ledger: our export's sheet is 121 MB, Excel's 60 MB plus 9 MB of 288,000
    # shared texts. The defaults leave about three times that.
    assert settings.LEDGER_IMPORT_MAX_SHEET_BYTES >= 3 * 120_000_000
    assert settings.LEDGER_IMPORT_MAX_SHARED_STRINGS_BYTES >= 3 * 9_000_000
    assert settings.LEDGER_IMPORT_MAX_SHARED_STRINGS >= 3 * 288_000
