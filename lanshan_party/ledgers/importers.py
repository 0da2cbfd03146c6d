"""The machinery of ledger importers: rows read into the same model forms as the pages, faults mapped back to the
columns they are about, each row applied in a savepoint. The importers themselves live with their domains
(members/importers.py, organizations/importers.py) and are named by their ledgers (`Ledger.importer`).

Checking costs a fixed number of queries per batch of rows: what the page forms look up field by field (the chosen
organization, a duplicate ID number) comes from maps read once per import or once per batch.
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping, Set
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from lanshan_party.ledgers.definitions import MASKERS, PERSONAL, Ledger
from lanshan_party.ledgers.imports import RowResult
from lanshan_party.ledgers.sheets import CellFault, CellReader, Layout, RawRow
from lanshan_party.models import User

OUTFLOW = "outflow."


class NamedOrganizationField(forms.Field):
    """An organization given by its full name, among a preloaded map of those the user may choose here, plus the one
    already chosen (kept even when outside the user's subtree, as the page forms keep it)."""

    def __init__(self, *, names: Mapping[str, Any], keep: Any, missing: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.names, self.keep, self.missing = names, keep, missing

    def to_python(self, value: Any) -> Any:
        name = " ".join(str(value or "").split())
        if not name:
            return None
        if self.keep is not None and name == self.keep.name:
            return self.keep
        organization = self.names.get(name)
        if organization is None:
            raise ValidationError(self.missing % {"name": name}, code="invalid_choice")
        return organization


class RowFormMixin:
    """Page forms used for ledger rows: the organization fields come from preloaded maps, whose organizations exist,
    so the model's per-row query checking that a foreign key exists is skipped for them."""

    looked_up: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # no crispy layout: a row form is never rendered

    def _get_validation_exclusions(self) -> set[str]:
        return {*super()._get_validation_exclusions(), *self.looked_up}  # type: ignore[misc]


def as_input(value: Any) -> str:
    """A stored value as a form would receive it back from the page."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)  # an organization, by its full name
    return str(value)


def stored_values(instance: Any, names: list[str]) -> tuple[Any, ...]:
    """The instance's stored values of these form fields (foreign keys by id), to tell whether a row changes it."""
    return tuple(getattr(instance, instance._meta.get_field(name).attname) for name in names)


class RowImporter:
    """Reads a ledger's rows into its forms. Subclasses check rows (a generator: a row may depend on the rows applied
    before it) and apply a checked row."""

    writes_during_check = False  # True when checking a row needs the rows before it saved (rolled back after)
    extra_choices: dict[str, dict[str, str]] = {}

    def __init__(
        self,
        ledger: Ledger,
        user: User,
        layout: Layout,
        file_name: str,
        *,
        confirmed: Set[tuple[int, int | None]] = frozenset(),
    ) -> None:
        self.ledger, self.user, self.layout, self.file_name = ledger, user, layout, file_name
        self.confirmed = confirmed  # (Excel row, member) of the renames the user confirmed on the preview
        self.reader = CellReader(self.extra_choices)
        self.header_of = {column.field: column.header for column in ledger.columns if column.field}
        self.maskers = {column.field: MASKERS[column.kind] for column in ledger.columns if column.kind in PERSONAL}
        self.present = [column for column in layout.columns.values() if column.field]

    def check(self, rows: list[RawRow]) -> Iterator[RowResult]:
        raise NotImplementedError

    def apply(self, result: RowResult) -> str:
        raise NotImplementedError

    def workflow_prefix(self, result: RowResult) -> str:
        """Which form the errors a workflow raises while applying the row are about ("" for the row's own)."""
        return ""

    def apply_safely(self, result: RowResult) -> None:
        """Apply one row in a savepoint: a row the workflow refuses after all leaves nothing behind."""
        try:
            with transaction.atomic():
                result.action = self.apply(result)
        except ValidationError as error:
            self.add_faults(result, error, prefix=self.workflow_prefix(result))
        except IntegrityError:
            result.fault(
                "", _("This row conflicts with a change someone saved meanwhile. Check the row and import again.")
            )

    def inputs(self, raw: RawRow, result: RowResult) -> tuple[dict[str, str], set[str]]:
        """{form field: input} for every column of the file (empty cells as ""), and the fields whose cell could not
        be read (already reported as faults, so the form's own complaint about them is not repeated)."""
        data = {column.field: "" for column in self.present}
        bad: set[str] = set()
        for column, (value, formula) in raw.cells.items():
            if not column.field:
                continue
            try:
                data[column.field] = self.reader.read(column, value, formula)
            except CellFault as fault:
                result.fault(column.header, str(fault))
                bad.add(column.field)
        return data, bad

    def add_faults(
        self, result: RowResult, error: Any, *, prefix: str = "", bad: Set[str] = frozenset(), data: dict | None = None
    ) -> None:
        """A form's errors (or a ValidationError) as faults at the columns of the fields they are about."""
        items: Iterable[tuple[str, list[ValidationError]]]
        if isinstance(error, forms.BaseForm):
            items = error.errors.as_data().items()
        elif hasattr(error, "error_dict"):
            items = error.error_dict.items()
        else:
            items = [(NON_FIELD_ERRORS, [error])]
        for name, errors in items:
            key = prefix + name
            if key in bad:
                continue
            header = "" if name == NON_FIELD_ERRORS else self.header_of.get(key, "")
            unknown = [item for item in errors if getattr(item, "code", None) == "invalid_choice"]
            if unknown:
                errors = unknown  # an organization that is not there: the model's "choose one" adds nothing
            for item in errors:
                for message in item.messages:
                    result.fault(header, self._scrub(key, message, data))

    def _scrub(self, key: str, message: str, data: dict | None) -> str:
        """Messages quoting a typed phone or ID number quote it masked: faults are stored, personal data is not."""
        raw = (data or {}).get(key, "")
        mask = self.maskers.get(key)
        if mask and raw and len(raw) >= 7 and raw in message:
            return message.replace(raw, mask(raw))
        return message
