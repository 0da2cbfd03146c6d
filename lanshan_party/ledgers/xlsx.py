"""The one Excel writer of ledgers, and the formula neutralizer used for every spreadsheet cell and CSV field (reading
an uploaded workbook safely is reading.py).

Writing uses openpyxl's write-only workbook (sheet properties, styles, frozen panes, filters, the zip) with each row
built straight as an lxml element: openpyxl's own per-cell objects would cost more than the database and everything
else of an export together. Memory stays constant: rows go to a temporary file as they come.
"""

import csv
import datetime
import decimal
import re
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone
from lxml import etree
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# ---------------------------------------------------------------- formula injection

# A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(...), @SUM(1), +1, -1+2).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold at all; a value carrying one (pasted from somewhere) loses it rather than the file.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralize(text: str) -> str:
    """The text as a spreadsheet shows it without running it: an apostrophe before a formula's first character
    (OWASP's advice for CSV; the same in xlsx, so the value stays harmless even if the file is re-saved as CSV)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralize(text: str) -> str:
    """Undo neutralize(), so that importing an exported ledger reads back exactly what was exported."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def clean_text(text: str) -> str:
    """Neutralized, without the characters XML cannot hold (checked only when the text has unusual characters)."""
    return neutralize(text if text.isprintable() else _ILLEGAL.sub("", text))


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class SheetColumn:
    """One column of a written sheet: its header, its width in characters, and whether its cells are text-formatted
    ('@': Excel keeps every digit of an ID number or phone even when someone edits the cell)."""

    header: str
    width: float = 12
    as_text: bool = False


Progress = Callable[[int], None]
EXCEL_EPOCH = datetime.date(1899, 12, 30)
HEADER_FILL = PatternFill("solid", fgColor="FFE8E8E8")
MAX_SHEET_TITLE = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


class _StreamingSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, fed with ready-made <row> elements."""

    _rows: Generator[None, etree._Element, None] | None  # openpyxl's attribute, holding the generator of _stream()

    def write(self, row: etree._Element) -> None:
        self._get_writer()
        if self._rows is None:
            self._rows = self._stream()
            next(self._rows)
        self._rows.send(row)

    def _stream(self) -> Generator[None, etree._Element, None]:
        xf = self._writer.xf.send(True)
        with xf.element("sheetData"):
            try:
                while True:
                    xf.write((yield))
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


class _Styles:
    """The few cell styles a ledger uses, registered once in the workbook; cells refer to them by number."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.title = self._register(ws, font=Font(bold=True, size=14))
        self.header = self._register(
            ws,
            font=Font(bold=True),
            fill=HEADER_FILL,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        self.text = self._register(ws, number_format="@")
        self.date = self._register(ws, number_format="yyyy-mm-dd")
        self.datetime = self._register(ws, number_format="yyyy-mm-dd hh:mm")

    @staticmethod
    def _register(ws: WriteOnlyWorksheet, **attributes: Any) -> str:
        cell = WriteOnlyCell(ws)
        for name, value in attributes.items():
            setattr(cell, name, value)
        return str(cell.style_id)


def sheet_title(text: str) -> str:
    return SHEET_TITLE_FORBIDDEN.sub("", text)[:MAX_SHEET_TITLE] or "Sheet1"


_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # \r would be read back as \n


class _RowMaker:
    """Builds one <row> element from Python values: str as text, date as a date, numbers as numbers, None empty.

    The row is written as XML text and parsed by lxml in one call: half the time of building it element by element,
    and this is the loop every exported cell goes through."""

    def __init__(self, columns: Sequence[SheetColumn], styles: _Styles) -> None:
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        self.text_styles = [f' s="{styles.text}"' if column.as_text else "" for column in columns]
        self.styles = styles

    def row(self, index: int, values: Sequence[Any], style: str | None = None) -> etree._Element:
        number = str(index)
        forced = f' s="{style}"' if style else ""
        parts = [f'<row r="{number}">']
        for letter, text_style, value in zip(self.letters, self.text_styles, values, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                text = clean_text(value).translate(_ESCAPE)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(
                    f'<c r="{letter}{number}" t="inlineStr"{forced or text_style}><is><t{space}>{text}</t></is></c>'
                )
            elif isinstance(value, bool):
                parts.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime.datetime):
                if timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                delta = value - datetime.datetime.combine(EXCEL_EPOCH, datetime.time())
                serial = repr(delta.days + delta.seconds / 86400)
                parts.append(f'<c r="{letter}{number}" s="{self.styles.datetime}"><v>{serial}</v></c>')
            elif isinstance(value, datetime.date):
                parts.append(f'<c r="{letter}{number}" s="{self.styles.date}"><v>{(value - EXCEL_EPOCH).days}</v></c>')
            elif isinstance(value, int | float | decimal.Decimal):
                parts.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            else:
                text = clean_text(str(value)).translate(_ESCAPE)
                parts.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{text}</t></is></c>')
        parts.append("</row>")
        return etree.fromstring("".join(parts))


def write_xlsx(
    target: str | IO[bytes],
    *,
    title: str,
    sheet: str,
    columns: Sequence[SheetColumn],
    rows: Iterable[Sequence[Any]],
    progress: Progress | None = None,
    every: int = 1000,
    notes: tuple[str, Sequence[SheetColumn], Sequence[Sequence[Any]]] | None = None,
) -> int:
    """Write one ledger sheet: a title row, a bold frozen header with filters, then the rows. Returns the row count.
    `notes` adds a second, plain sheet (title, columns, rows), e.g. how to fill in an import template."""
    workbook = Workbook(write_only=True)
    ws = _StreamingSheet(parent=workbook, title=sheet_title(sheet))
    workbook._add_sheet(ws)
    styles = _Styles(ws)
    maker = _RowMaker(columns, styles)
    for letter, column in zip(maker.letters, columns, strict=True):
        ws.column_dimensions[letter].width = column.width
    last = maker.letters[-1]
    ws.freeze_panes = "A3"
    ws.merged_cells.add(f"A1:{last}1")
    ws.write(maker.row(1, [title], styles.title))
    ws.write(maker.row(2, [column.header for column in columns], styles.header))
    count = 0
    for count, values in enumerate(rows, 1):  # noqa: B007 - the count is the number of rows written
        ws.write(maker.row(count + 2, values))
        if progress is not None and count % every == 0:
            progress(count)
    ws.auto_filter.ref = f"A2:{last}{count + 2}"
    if notes is not None:
        notes_title, notes_columns, notes_rows = notes
        extra = _StreamingSheet(parent=workbook, title=sheet_title(notes_title))
        workbook._add_sheet(extra)
        extra_maker = _RowMaker(notes_columns, styles)
        for letter, column in zip(extra_maker.letters, notes_columns, strict=True):
            extra.column_dimensions[letter].width = column.width
        extra.write(extra_maker.row(1, [column.header for column in notes_columns], styles.header))
        for number, values in enumerate(notes_rows, 2):
            extra.write(extra_maker.row(number, values))
    workbook.save(target)
    if progress is not None:
        progress(count)
    return count


def write_csv(
    target: IO[str],
    *,
    columns: Sequence[SheetColumn],
    rows: Iterable[Sequence[Any]],
    progress: Progress | None = None,
    every: int = 1000,
) -> int:
    """The same rows as CSV (UTF-8 with a byte-order mark, so Excel and WPS read the Chinese), every text neutralized."""
    target.write("\ufeff")
    writer = csv.writer(target)
    writer.writerow([column.header for column in columns])
    count = 0
    for count, values in enumerate(rows, 1):  # noqa: B007
        writer.writerow([_csv_field(value) for value in values])
        if progress is not None and count % every == 0:
            progress(count)
    if progress is not None:
        progress(count)
    return count


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return clean_text(value)
    return str(value)
