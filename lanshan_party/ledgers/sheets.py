"""Reading a ledger sheet: where its header row is, which column holds which ledger column, its rows with data, and
each cell turned into what the column's form field expects (or a fault that says what to write instead)."""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from lanshan_party.ledgers.definitions import BOOL, CHOICE, DATE, ID_NUMBER, PHONE, SERIAL, Column, Ledger
from lanshan_party.ledgers.reading import LedgerFileError
from lanshan_party.ledgers.xlsx import unneutralize

HEADER_SEARCH_ROWS = 10  # the header row is looked for in the first rows (a title row may come first)


def normalize_header(text: Any) -> str:
    """Header cells as counties type them: stray spaces, line breaks, full- or half-width brackets, a * for required."""
    text = re.sub(r"\s+", "", str(text or "")).replace("(", "（").replace(")", "）")
    return text.strip("*＊")


@dataclass
class Layout:
    """Where a ledger sits in a workbook: the sheet, its header row, and which column holds which ledger column."""

    sheet: Any
    header_row: int
    columns: dict[int, Column]  # 0-based column index in the sheet → ledger column

    @property
    def index_of(self) -> dict[str, int]:
        return {column.header: index for index, column in self.columns.items()}


def find_layout(workbook: Any, ledger: Ledger, file_name: str) -> Layout:
    """The sheet and header row that hold the ledger's columns; LedgerFileError when there is none or columns lack."""
    by_name = {normalize_header(name): column for column in ledger.columns for name in column.names}
    best: tuple[int, Any, int, list[Any]] | None = None
    for sheet in workbook.worksheets:
        for number, values in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), 1):
            matches = sum(1 for value in values if normalize_header(value) in by_name)
            if matches and (best is None or matches > best[0]):
                best = (matches, sheet, number, list(values))
    if best is None:
        raise LedgerFileError(
            _(
                "No sheet in “%(file)s” has the header row of a %(ledger)s (columns such as %(examples)s). "
                "Check that you chose the right ledger, or start from the template."
            )
            % {
                "file": file_name,
                "ledger": ledger.title,
                "examples": "、".join(c.header for c in ledger.columns if c.required),
            }
        )
    _matches, sheet, header_row, values = best
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        column = by_name.get(normalize_header(value))
        if column is None or column.kind == SERIAL:
            continue
        if column.header in seen:
            raise LedgerFileError(
                _(
                    "The column “%(header)s” appears twice in the header row of “%(sheet)s” (columns %(first)s and "
                    "%(second)s). Keep one of them and upload the file again."
                )
                % {
                    "header": column.header,
                    "sheet": sheet.title,
                    "first": get_column_letter(seen[column.header] + 1),
                    "second": get_column_letter(index + 1),
                }
            )
        seen[column.header] = index
        columns[index] = column
    missing = [c.header for c in ledger.columns if c.required and c.header not in seen]
    if missing:
        raise LedgerFileError(
            _(
                "The header row (row %(row)d of sheet “%(sheet)s”) lacks the required columns %(missing)s. Add them "
                "with exactly these names, or start from the template."
            )
            % {"row": header_row, "sheet": sheet.title, "missing": "、".join(f"“{h}”" for h in missing)}
        )
    return Layout(sheet=sheet, header_row=header_row, columns=columns)


@dataclass
class RawRow:
    """One data row as read: its Excel row number and {column: (value, is a formula)} for its non-empty cells."""

    number: int
    cells: dict[Column, tuple[Any, bool]]


def too_many_rows() -> LedgerFileError:
    limit = settings.LEDGER_IMPORT_MAX_ROWS
    return LedgerFileError(
        ngettext(
            "The sheet has more than %(limit)d row of data. Split the ledger into files of at most %(limit)d row.",
            "The sheet has more than %(limit)d rows of data. Split the ledger into files of at most %(limit)d rows.",
            limit,
        )
        % {"limit": limit}
    )


def data_rows(layout: Layout) -> Iterator[RawRow]:
    """The sheet's non-empty rows after the header; LedgerFileError past the row limit."""
    limit = settings.LEDGER_IMPORT_MAX_ROWS
    count = 0
    for number, cells in enumerate(layout.sheet.iter_rows(min_row=layout.header_row + 1), layout.header_row + 1):
        values: dict[Column, tuple[Any, bool]] = {}
        for index, column in layout.columns.items():
            if index >= len(cells):
                continue
            cell = cells[index]
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            values[column] = (value, cell.data_type == "f")
        if not values:
            continue
        count += 1
        if count > limit:
            raise too_many_rows()
        yield RawRow(number, values)


# ---------------------------------------------------------------- cells to form input


class CellFault(Exception):
    """A cell that cannot even be read as what its column holds; the message says what to write instead."""


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗"}


def _choice_key(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）").lower()


class CellReader:
    """Turns a cell of a ledger column into what the column's form field expects, or raises CellFault.

    Choice labels are looked up in Chinese (the ledger's language) and English, and the stored values are accepted too.
    """

    def __init__(self, extra_choices: dict[str, dict[str, str]] | None = None) -> None:
        self.extra_choices = extra_choices or {}
        self._choices: dict[str, tuple[dict[str, str], list[str]]] = {}

    def choices(self, column: Column) -> tuple[dict[str, str], list[str]]:
        if column.header not in self._choices:
            assert column.choices is not None
            mapping: dict[str, str] = {}
            with translation.override("en"):
                for value, label in column.choices.choices:
                    mapping[_choice_key(str(label))] = value
                    mapping[_choice_key(value)] = value
            with translation.override(settings.LANGUAGE_CODE):
                labels = [str(label) for _value, label in column.choices.choices]
                for (value, _label), text in zip(column.choices.choices, labels, strict=True):
                    mapping[_choice_key(text)] = value
            for text, value in self.extra_choices.get(column.field, {}).items():
                mapping[_choice_key(text)] = value
            self._choices[column.header] = (mapping, labels)
        return self._choices[column.header]

    def read(self, column: Column, value: Any, formula: bool) -> str:
        if formula:
            raise CellFault(
                _(
                    "This cell holds a formula (%(formula)s), but a ledger holds plain values. Replace it with the "
                    "value itself, typed as text."
                )
                % {"formula": str(value)[:40]}
            )
        if isinstance(value, str):
            value = unneutralize(value.strip())
        kind = column.kind
        if kind == DATE:
            return _date_input(value)
        if kind == ID_NUMBER:
            if isinstance(value, int | float):
                raise CellFault(
                    _(
                        "This ID number is stored as a number, so Excel kept only its first 15 digits. Format the "
                        "column as text, type the number again in full and upload the file again."
                    )
                )
            if "*" in str(value):
                raise CellFault(_("This ID number is masked (*). Import a ledger exported with full personal data."))
            return str(value)
        if kind == PHONE:
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if "*" in str(value):
                raise CellFault(_("This phone number is masked (*). Import a ledger exported with full personal data."))
            return str(value)
        if kind == CHOICE:
            mapping, labels = self.choices(column)
            key = _choice_key(str(value))
            if key not in mapping:
                raise CellFault(
                    _("“%(value)s” is not one of the values this column takes: %(choices)s.")
                    % {"value": value, "choices": "、".join(labels)}
                )
            return mapping[key]
        if kind == BOOL:
            if isinstance(value, bool):
                return "on" if value else ""
            word = str(value).strip().lower()
            if word in TRUE_WORDS:
                return "on"
            if word in FALSE_WORDS:
                return ""
            raise CellFault(_("Write 是 or 否 here."))
        if isinstance(value, datetime.datetime):
            return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)


def _date_input(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 10_000_000 <= value <= 99_991_231:  # 20240301 typed as a number
            value = str(int(value))
        elif 1 <= value < 2_958_466:  # an Excel serial day number in a cell not formatted as a date
            return from_excel(value).date().isoformat()
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise CellFault(
        _(
            "“%(value)s” is not a date. Write it as year-month-day, for example 2024-03-01, or format the cell as a date."
        )
        % {"value": text}
    )
