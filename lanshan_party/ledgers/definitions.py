"""How a ledger is declared: its columns in the customary order, how each cell is read from a row of the list page's
queryset, and which form field an imported cell fills. The ledgers themselves are the apps' (`<app>/ledgers.py`),
registered with `register` and found at start-up (lanshan_party.registry.autodiscover).

Adding a ledger takes two declarations: `register(Ledger(...))` in the app's ledgers.py, and `ledger = "<key>"` on the
list view (with LedgerExportMixin) it is exported from. Exports then take exactly that page's filtered, sorted, scoped
rows.

Headers are the county's official column names (as in the ledgers it sends upward) and are matched exactly on import:
they are the file format, like the keys of a data file, not interface text, so they are not translated.
"""

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from lanshan_party.ledgers.xlsx import SheetColumn
from lanshan_party.models import Role
from lanshan_party.personal_data import mask_id_number, mask_phone

# How a column's cells are written and read.
TEXT = "text"
DATE = "date"
NUMBER = "number"
CHOICE = "choice"  # stored as the choice's value, written as its Chinese label
BOOL = "bool"  # 是 / 否
ID_NUMBER = "id_number"  # personal data: masked unless the export is unmasked; always a text cell
PHONE = "phone"  # personal data, likewise
SERIAL = "serial"  # 序号: the row's number in the ledger; ignored on import

YES, NO = "是", "否"
PERSONAL = (ID_NUMBER, PHONE)
MASKERS = {ID_NUMBER: mask_id_number, PHONE: mask_phone}


@dataclass(frozen=True)
class Column:
    header: str
    source: str | Callable[[Any], Any] = ""  # a dotted attribute path on the row's object, or a function of it
    kind: str = TEXT
    width: float = 12
    choices: type[models.Choices] | None = None
    field: str = ""  # the import form field this column fills; "outflow.<name>" for the member's outflow
    required: bool = False  # an import is refused without this column
    aliases: tuple[str, ...] = ()  # other header names counties use for the same column
    help: Any = ""  # what to write, for the import template's instructions

    def getter(self) -> Callable[[Any], Any]:
        if callable(self.source):
            return self.source
        parts = self.source.split(".")
        if len(parts) == 1:
            return operator.attrgetter(self.source)

        def get(obj: Any) -> Any:
            for part in parts:
                obj = getattr(obj, part)
                if obj is None:
                    return None
            return obj

        return get

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Ledger:
    key: str
    title: Promise  # the ledger's name: sheet, file name and pages
    columns: tuple[Column, ...]
    list_url: str  # URL name of the list page it is exported from; command-line exports start there too
    # Dotted path of that page's view (with LedgerExportMixin): an export job rebuilds the page's rows through it.
    view: str = ""
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str | Prefetch, ...] = ()
    # Columns the rows carry but the ledger never reads; encrypted ones especially, which cost a decryption each.
    defer: tuple[str, ...] = ()
    importer: str = ""  # dotted path of its RowImporter (e.g. "members.importers.MemberImporter"); "" to export only
    import_roles: tuple[str, ...] = tuple(Role.values)  # who may import (still only within their scope)
    description: Any = field(default="")

    @property
    def importable(self) -> bool:
        return bool(self.importer)

    def importer_class(self) -> Any:
        return import_string(self.importer)

    def may_import(self, user: Any) -> bool:
        return self.importable and user.is_authenticated and user.is_active and user.role in self.import_roles

    def sheet_columns(self) -> list[SheetColumn]:
        return [SheetColumn(c.header, c.width, as_text=c.kind in PERSONAL) for c in self.columns]

    def row_function(self, *, masked: bool) -> Callable[[Any, int], list[Any]]:
        """A function (object, row number) → the row's cell values. Call it with the ledger's language active:
        choice labels are looked up once here, not once per cell."""
        cells: list[Callable[[Any, int], Any]] = []
        for column in self.columns:
            cells.append(_cell(column, masked))

        def row(obj: Any, number: int) -> list[Any]:
            return [cell(obj, number) for cell in cells]

        return row


def _cell(column: Column, masked: bool) -> Callable[[Any, int], Any]:
    if column.kind == SERIAL:
        return lambda obj, number: number
    get = column.getter()
    if column.kind == CHOICE:
        assert column.choices is not None, column.header
        labels = {value: str(label) for value, label in column.choices.choices}
        return lambda obj, number: labels.get(get(obj), get(obj))
    if column.kind == BOOL:
        words = {True: YES, False: NO, None: None}
        return lambda obj, number: words[get(obj)]
    if column.kind in PERSONAL and masked:
        mask = MASKERS[column.kind]
        return lambda obj, number: mask(get(obj) or "")
    return lambda obj, number: get(obj)


# ---------------------------------------------------------------- the registry

DATE_HELP = _("A date cell, or text such as 2024-03-01.")
ORG_HELP = _("The organization's full official name, as in the organization tree.")

LEDGERS: dict[str, Ledger] = {}


def register(ledger: Ledger) -> Ledger:
    """Make the ledger known to exports, imports and their pages (called from the app's ledgers.py)."""
    if ledger.key in LEDGERS and LEDGERS[ledger.key] is not ledger:
        raise ValueError(f"Two ledgers are keyed {ledger.key!r}.")
    LEDGERS[ledger.key] = ledger
    return ledger


def importable_ledgers(user: Any) -> Sequence[Ledger]:
    return [ledger for ledger in LEDGERS.values() if ledger.may_import(user)]
