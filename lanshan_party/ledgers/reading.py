"""Reading an uploaded ledger workbook safely: it must really be an .xlsx workbook, and a sane one, before openpyxl
parses it — checked at upload from the zip's directory only, then in the worker by unpacking and scanning every part
within size limits, with DOCTYPE and ENTITY declarations refused wherever they appear.
"""

import zipfile
from dataclasses import dataclass
from typing import IO, Any, NoReturn
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook as WorkbookType


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

    def doctype(self, name: str, *args: Any) -> NoReturn:
        raise DTDForbidden(name, None, None)

    def entity(self, name: Any, *args: Any) -> NoReturn:
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
