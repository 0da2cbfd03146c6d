"""The one Excel writer and the upload checks: what a written ledger looks like, formula injection neutralized in
xlsx and CSV, and every kind of file that is not a sane .xlsx refused with a message that says what to do."""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest

from lanshan_party.ledgers.reading import LedgerFileError, Limits, check_workbook, scan_workbook
from lanshan_party.ledgers.xlsx import (
    SheetColumn,
    neutralize,
    unneutralize,
    write_csv,
    write_xlsx,
)

INJECTIONS = ['=HYPERLINK("http://evil.example/","点击")', "@SUM(1)", "+1", "-1+2", "\t=1+1", "\r=1+1"]
COLUMNS = [
    SheetColumn("序号", 6),
    SheetColumn("姓名", 10),
    SheetColumn("出生日期", 12),
    SheetColumn("公民身份号码", 21, as_text=True),
    SheetColumn("联系电话", 14, as_text=True),
]
ID_NUMBER, PHONE = "431127197611163991", "18707280104"


def written(rows, **kwargs):
    buffer = io.BytesIO()
    count = write_xlsx(buffer, title="蓝山县 流动党员台账", sheet="流动党员台账", columns=COLUMNS, rows=rows, **kwargs)
    return count, openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def test_a_ledger_has_a_title_row_a_bold_frozen_header_with_filters_and_column_widths():
    count, book = written([[1, "袁芳伟", datetime.date(1976, 11, 16), ID_NUMBER, PHONE]])
    sheet = book.active
    assert count == 1
    assert sheet.title == "流动党员台账"
    assert sheet["A1"].value == "蓝山县 流动党员台账" and sheet["A1"].font.bold
    assert [cell.value for cell in sheet[2]] == [column.header for column in COLUMNS]
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:E3"
    assert sheet.column_dimensions["D"].width == 21


def test_dates_are_date_cells_and_id_numbers_and_phones_are_text_cells_with_every_digit():
    _count, book = written([[1, "袁芳伟", datetime.date(1976, 11, 16), ID_NUMBER, PHONE]])
    number, name, birth, id_number, phone = book.active[3]
    assert number.data_type == "n" and number.value == 1
    assert birth.is_date and birth.value.date() == datetime.date(1976, 11, 16)
    assert (id_number.data_type, id_number.value, id_number.number_format) == ("s", ID_NUMBER, "@")
    assert (phone.data_type, phone.value, phone.number_format) == ("s", PHONE, "@")


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_names_read_back_from_xlsx_as_text_never_as_a_formula(text):
    _count, book = written([[1, text, None, ID_NUMBER, PHONE]])
    cell = book.active["B3"]
    assert cell.data_type == "s"
    assert cell.value == "'" + text
    assert unneutralize(cell.value) == text
    assert not any(c.data_type == "f" for row in book.active.iter_rows() for c in row)


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_names_read_back_from_csv_start_with_an_apostrophe(text):
    target = io.StringIO()
    write_csv(target, columns=COLUMNS, rows=[[1, text, datetime.date(1976, 11, 16), ID_NUMBER, PHONE]])
    rows = list(csv.reader(io.StringIO(target.getvalue().lstrip("\ufeff"))))
    assert rows[0] == [column.header for column in COLUMNS]
    assert rows[1] == ["1", "'" + text, "1976-11-16", ID_NUMBER, PHONE]
    assert not rows[1][1].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_neutralizer_leaves_ordinary_text_alone_and_is_undone_exactly():
    for text in ("袁芳伟", "花都区工业园72号", "LS201600001", "'引号开头", "a-b", "1+1"):
        assert neutralize(text) == text
        assert unneutralize(neutralize(text)) == text
    for text in INJECTIONS:
        assert unneutralize(neutralize(text)) == text


def test_markup_characters_spaces_and_line_breaks_read_back_exactly():
    texts = ["A&B <公司>", " 前后空格 ", "第一行\n第二行", "回车\r\n换行"]
    _count, book = written([[n, text, None, ID_NUMBER, PHONE] for n, text in enumerate(texts, 1)])
    assert [book.active.cell(row=n + 2, column=2).value for n in range(1, 5)] == texts


def test_characters_xml_cannot_hold_are_dropped_rather_than_breaking_the_file():
    _count, book = written([[1, "袁\x07芳\x00伟", None, ID_NUMBER, ""]])
    assert book.active["B3"].value == "袁芳伟"


def test_the_writer_streams_rows_from_a_generator_and_reports_progress():
    seen = []
    rows = ([n, f"党员{n}", None, ID_NUMBER, PHONE] for n in range(1, 2501))
    count, book = written(rows, progress=seen.append, every=1000)
    assert count == 2500
    assert seen == [1000, 2000, 2500]
    assert book.active.max_row == 2502


# ---------------------------------------------------------------- refusing files


def check(data: bytes, name: str = "台账.xlsx", max_bytes: int = 10_000_000, max_unpacked: int = 50_000_000):
    """Both checks: the upload's (the zip's directory) and the worker's (every part unpacked and scanned)."""
    limits = Limits(
        file_bytes=max_bytes,
        sheet_bytes=max_unpacked,
        shared_strings_bytes=max_unpacked,
        other_part_bytes=max_unpacked,
        unpacked_bytes=max_unpacked,
        shared_strings=1_000_000,
    )
    check_workbook(io.BytesIO(data), name, limits)
    scan_workbook(io.BytesIO(data), name, limits)


def real_workbook() -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, title="t", sheet="s", columns=COLUMNS, rows=[[1, "a", None, ID_NUMBER, PHONE]])
    return buffer.getvalue()


def test_a_real_workbook_passes():
    check(real_workbook())


def test_a_csv_renamed_to_xlsx_is_refused_with_how_to_save_it_as_a_workbook():
    with pytest.raises(LedgerFileError, match="另存为") as error:
        check("序号,姓名\n1,袁芳伟\n".encode(), "台账.xlsx")
    assert "台账.xlsx" in str(error.value)


def test_an_old_xls_workbook_is_refused_with_how_to_save_it_as_xlsx():
    with pytest.raises(LedgerFileError, match=r"\.xls"):
        check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "台账.xls")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(LedgerFileError, match="不是 Excel 工作簿"):
        check(buffer.getvalue())


def test_a_truncated_workbook_is_refused_as_damaged():
    with pytest.raises(LedgerFileError, match="已损坏"):
        check(real_workbook()[:300])


def test_a_file_over_the_size_limit_is_refused_with_the_limit():
    with pytest.raises(LedgerFileError, match="拆分"):
        check(real_workbook(), max_bytes=1000)


def test_a_workbook_that_unpacks_to_far_more_than_it_weighs_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * 60_000_000 + b"</worksheet>")
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(LedgerFileError, match="解压后"):
        check(buffer.getvalue())


def test_a_workbook_part_declaring_entities_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook>&a;</workbook>'
        )
    with pytest.raises(LedgerFileError, match="DOCTYPE"):
        check(buffer.getvalue())
