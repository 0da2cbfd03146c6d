"""The one Excel writer and reader of ledgers, and the formula neutralizer used for every spreadsheet cell and CSV field.

Writing uses openpyxl's write-only workbook (sheet properties, styles, frozen panes, filters, the zip) with each row
built straight as an lxml element: openpyxl's own per-cell objects would cost more than the database and everything
else of an export together. Memory stays constant: rows go to a temporary file as they come.

Reading checks that an upload really is an .xlsx workbook, and a sane one, before openpyxl parses it: at upload from
the zip's directory only, then in the worker by unpacking and scanning every part within size limits.
"""

import csv
import datetime
import decimal
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
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

    def write(self, row: etree._Element) -> None:
        self._get_writer()
        if self._rows is None:
            self._rows = self._stream()
            next(self._rows)
        self._rows.send(row)

    def _stream(self) -> Iterator[None]:
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


# ---------------------------------------------------------------- reading


class LedgerFileError(Exception):
    """The uploaded file cannot be read as a ledger; the message says why and what to do, in the user's language."""


ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx (an encrypted container)
MAX_PARTS = 2000
MAX_CELL_CHARS = 32_767  # Excel's own limit of the characters in one cell
SHARED_STRINGS = "xl/sharedstrings.xml"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may unpack to, so that parsing it stays within what a worker can afford. The
    defaults (settings.py) are about three times what a ledger of LEDGER_IMPORT_MAX_ROWS rows needs."""

    file_bytes: int
    sheet_bytes: int  # any one worksheet part
    shared_strings_bytes: int  # xl/sharedStrings.xml, which openpyxl holds in memory whole
    other_part_bytes: int  # styles, theme, pictures and every other part
    unpacked_bytes: int  # all parts together
    shared_strings: int  # how many texts the workbook may share
    cell_chars: int = MAX_CELL_CHARS

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            file_bytes=settings.LEDGER_IMPORT_MAX_BYTES,
            sheet_bytes=settings.LEDGER_IMPORT_MAX_SHEET_BYTES,
            shared_strings_bytes=settings.LEDGER_IMPORT_MAX_SHARED_STRINGS_BYTES,
            other_part_bytes=settings.LEDGER_IMPORT_MAX_PART_BYTES,
            unpacked_bytes=settings.LEDGER_IMPORT_MAX_UNPACKED_BYTES,
            shared_strings=settings.LEDGER_IMPORT_MAX_SHARED_STRINGS,
        )

    def part_limit(self, part: str) -> int:
        lowered = part.lower()
        if lowered == SHARED_STRINGS:
            return self.shared_strings_bytes
        if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
            return self.sheet_bytes
        return self.other_part_bytes


def _damaged(name: str) -> LedgerFileError:
    return LedgerFileError(
        _(
            "“%(name)s” is damaged or is not a workbook Excel saved. Open it in Excel or WPS, save it again as "
            "“Excel workbook (.xlsx)” and upload that file."
        )
        % {"name": name}
    )


def _part_too_big(name: str, part: str, size: int, limit: int) -> LedgerFileError:
    return LedgerFileError(
        _(
            "“%(name)s” unpacks to more than %(limit)s in its part “%(part)s” (%(size)s), far more than a ledger of "
            "%(rows)d rows needs. Delete extra sheets, pictures and formatting, save it again in Excel or WPS, or "
            "split it into several files."
        )
        % {
            "name": name,
            "part": part,
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
            "rows": settings.LEDGER_IMPORT_MAX_ROWS,
        }
    )


def check_workbook(file: IO[bytes], name: str, limits: Limits | None = None) -> None:
    """The cheap checks an upload passes before it is stored, from the zip's directory alone (nothing is unpacked or
    parsed): a real, unencrypted .xlsx of sane size whose parts are each within their limit. Raises LedgerFileError;
    leaves the file at its start."""
    limits = limits or Limits.from_settings()
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size > limits.file_bytes:
        raise LedgerFileError(
            _("“%(name)s” is %(size)s, more than the %(limit)s a ledger may be. Split it into several files.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limits.file_bytes)}
        )
    head = file.read(8)
    file.seek(0)
    if head.startswith(OLE2_MAGIC):
        raise LedgerFileError(
            _(
                "“%(name)s” is an old-style .xls workbook or is protected by a password. Open it in Excel or WPS, "
                "remove any password, save it as “Excel workbook (.xlsx)” and upload that file."
            )
            % {"name": name}
        )
    if not head.startswith(ZIP_MAGIC):
        raise LedgerFileError(
            _(
                "“%(name)s” is not an Excel workbook (it may be a CSV or text file renamed to .xlsx). Open it in Excel "
                "or WPS, save it as “Excel workbook (.xlsx)” and upload that file."
            )
            % {"name": name}
        )
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged(name) from None
    try:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise LedgerFileError(
                _(
                    "“%(name)s” is a zip file but not an Excel workbook (a Word or other Office file?). "
                    "Upload the ledger saved as “Excel workbook (.xlsx)”."
                )
                % {"name": name}
            )
        if len(infos) > MAX_PARTS:
            raise _damaged(name)
        for info in infos:
            if info.flag_bits & 0x1:
                raise _damaged(name)
            limit = limits.part_limit(info.filename)
            if info.file_size > limit:
                raise _part_too_big(name, info.filename, info.file_size, limit)
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limits.unpacked_bytes:
            raise LedgerFileError(
                _(
                    "“%(name)s” unpacks to %(size)s, more than the %(limit)s a ledger of %(rows)d rows needs. Delete "
                    "extra sheets, pictures and formatting, save it again in Excel or WPS, or split it into several "
                    "files."
                )
                % {
                    "name": name,
                    "size": filesizeformat(unpacked),
                    "limit": filesizeformat(limits.unpacked_bytes),
                    "rows": settings.LEDGER_IMPORT_MAX_ROWS,
                }
            )
    finally:
        file.seek(0)


class _PartScanner:
    """Reads one XML part with expat, as defusedxml configures it (a document type or entity declaration is refused
    wherever it appears, so no entity can expand), counting the characters of each cell and shared string as they
    stream by: nothing of the part is kept, so a hostile one costs time within its size limit, never memory."""

    def __init__(self, limits: Limits, shared: int) -> None:
        self.limits, self.shared, self.run = limits, shared, 0
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.buffer_size = _CHUNK
        self.parser.StartElementHandler = self.start
        self.parser.CharacterDataHandler = self.data
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.entity
        self.parser.UnparsedEntityDeclHandler = self.entity
        self.parser.ExternalEntityRefHandler = self.entity

    def start(self, tag: str, attributes: Any) -> None:
        local = tag.rpartition(":")[2]
        if local in ("c", "si"):  # a cell, a shared string: its text starts here
            self.run = 0
            if local == "si":
                self.shared += 1
                if self.shared > self.limits.shared_strings:
                    raise _TooManyStrings

    def data(self, text: str) -> None:
        self.run += len(text)
        if self.run > self.limits.cell_chars:
            raise _CellTooLong

    def doctype(self, name: str, *args: Any) -> None:
        raise DTDForbidden(name, None, None)

    def entity(self, name: Any, *args: Any) -> None:
        raise EntitiesForbidden(name, None, None, None, None, None)

    def feed(self, chunk: bytes, final: bool = False) -> None:
        self.parser.Parse(chunk, final)


class _CellTooLong(Exception):
    pass


class _TooManyStrings(Exception):
    pass


def scan_workbook(file: IO[bytes], name: str, limits: Limits | None = None) -> None:
    """Everything check_workbook checks, then every part unpacked as a stream (counting what it really unpacks to,
    whatever its header says) and every XML part parsed safely, before openpyxl reads any of it. Runs in the worker.
    Raises LedgerFileError; leaves the file at its start."""
    limits = limits or Limits.from_settings()
    check_workbook(file, name, limits)
    shared = 0
    total = 0
    try:
        with zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                limit = limits.part_limit(info.filename)
                scanner = _PartScanner(limits, shared) if info.filename.endswith((".xml", ".rels")) else None
                size = 0
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > limit:
                            raise _part_too_big(name, info.filename, size, limit)
                        if total > limits.unpacked_bytes:
                            raise _part_too_big(name, info.filename, total, limits.unpacked_bytes)
                        if scanner is not None:
                            scanner.feed(chunk)
                if scanner is not None:
                    scanner.feed(b"", final=True)
                    shared = scanner.shared
    except _CellTooLong:
        raise LedgerFileError(
            _(
                "A cell of “%(name)s” holds more than %(limit)s characters, more than Excel allows in one cell. Find "
                "the cell (text pasted many times over?), shorten it, save the workbook and upload it again."
            )
            % {"name": name, "limit": f"{limits.cell_chars:,}"}
        ) from None
    except _TooManyStrings:
        raise LedgerFileError(
            _(
                "“%(name)s” holds more than %(limit)s different texts, far more than a ledger of %(rows)d rows has. "
                "It is damaged or not a real ledger: save the ledger again in Excel or WPS, or split it into several "
                "files."
            )
            % {"name": name, "limit": f"{limits.shared_strings:,}", "rows": settings.LEDGER_IMPORT_MAX_ROWS}
        ) from None
    except (DTDForbidden, EntitiesForbidden):
        raise LedgerFileError(
            _(
                "“%(name)s” declares XML entities (a DOCTYPE), which Excel and WPS never write: it is not a workbook "
                "they saved. Open it in Excel or WPS, save it again as “Excel workbook (.xlsx)” and upload that file."
            )
            % {"name": name}
        ) from None
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        # A part that is not well-formed XML, or unpacks to other than its header and checksum say (a lying header).
        raise _damaged(name) from None
    finally:
        file.seek(0)


def open_workbook(file: IO[bytes], name: str) -> WorkbookType:
    """openpyxl's streaming reader over a scanned file (parsing through defusedxml). The caller closes it."""
    try:
        return load_workbook(file, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors) for broken parts
        raise _damaged(name) from None
