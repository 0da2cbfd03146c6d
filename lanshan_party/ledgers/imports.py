"""Ledger imports: an uploaded workbook is checked as a file, then row by row with the same forms as the pages, previewed
with every fault at its Excel row and column, and imported as one audited event — all rows or none, unless the user
chose to import the valid rows only.

Rows are read in batches; each batch costs a fixed number of queries to check (see importers.py). The preview and the
import run the same code: the preview writes nothing (or, for organizations, writes and rolls back), the import keeps.
"""

import itertools
import logging
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from lanshan_party import audit
from lanshan_party.ledgers import progress, tasks
from lanshan_party.ledgers.definitions import CHOICE, LEDGERS, Ledger
from lanshan_party.ledgers.reading import LedgerFileError, open_workbook, scan_workbook
from lanshan_party.ledgers.sheets import CellReader, RawRow, data_rows, find_layout
from lanshan_party.ledgers.xlsx import SheetColumn, neutralize, write_xlsx
from lanshan_party.models import AuditAction, ImportBatch, ImportRow, ImportStatus

logger = logging.getLogger(__name__)

BATCH_ROWS = 500  # rows checked together: one set of lookups per batch
MAX_LISTED_FAULTS = 2000  # kept for the preview page; the marked workbook carries every fault
MARKED_HEADER = "错误说明"
BAD_FILL = PatternFill("solid", fgColor="FFFFC7CE")


# ---------------------------------------------------------------- results


@dataclass
class Fault:
    row: int
    column: str  # the column's header; "" when the fault is about the whole row
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Preview:
    """What a created or changed row does, as the preview lists it: personal data masked, and the changes as
    {object type: {field: [old, new]}} in the audit log's form (so the audit module's labels read them)."""

    name: str
    id_number: str = ""  # masked
    changes: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    member_id: int | None = None  # the member whose name the row changes, when it needs the user's confirmation
    needs_confirmation: bool = False


@dataclass
class RowResult:
    """What checking one row found: its faults, or what applying it will do (the importer's own payload)."""

    row: int
    faults: list[Fault] = field(default_factory=list)
    action: str = ""  # "created", "updated" or "unchanged" when applied
    payload: Any = None
    preview: Preview | None = None
    # (audit action, object, changes) for each object applying the row created or changed
    audited: list[tuple[str, Any, dict[str, Any]]] = field(default_factory=list)

    def fault(self, column: str, message: str) -> None:
        self.faults.append(Fault(self.row, column, message))


@dataclass
class Outcome:
    rows: int = 0
    faults: list[Fault] = field(default_factory=list)
    fault_count: int = 0
    fault_rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    kept: bool = False
    previews: list[tuple[int, str, Preview]] = field(default_factory=list)  # (Excel row, action, preview)
    confirmed: set[tuple[int, int | None]] = field(default_factory=set)  # renames confirmed: (Excel row, member)

    def add(self, result: RowResult) -> None:
        self.fault_rows += 1
        self.fault_count += len(result.faults)
        self.faults.extend(result.faults)


# ---------------------------------------------------------------- running a batch


def _batches(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def process(batch: ImportBatch, *, commit: bool) -> Outcome:
    """Check every row of the batch's file and, with commit, import it. Everything happens in one transaction that
    is kept only when importing and either no row has a fault or the user chose to import the valid rows only."""
    ledger = LEDGERS[batch.ledger]
    outcome = Outcome()
    # Renames the user confirmed on the preview: (Excel row, member), so a row that now matches someone else is not.
    confirmed = set(batch.rows.filter(confirmed=True).values_list("row", "member_id")) if commit else set()
    outcome.confirmed = confirmed
    with batch.file.open("rb") as file, translation.override(settings.LANGUAGE_CODE):
        scan_workbook(file, batch.original_name)
        workbook = open_workbook(file, batch.original_name)
        try:
            layout = find_layout(workbook, ledger, batch.original_name)
            importer = ledger.importer_class()(ledger, batch.user, layout, batch.original_name, confirmed=confirmed)
            note = _("Imported from the ledger “%(file)s”.") % {"file": batch.original_name}
            with transaction.atomic():
                for chunk in _batches(data_rows(layout), BATCH_ROWS):
                    audited: list[tuple[str, Any, dict[str, Any]]] = []
                    for result in importer.check(chunk):
                        outcome.rows += 1
                        if not result.faults and (commit or importer.writes_during_check):
                            importer.apply_safely(result)
                        if result.faults:
                            outcome.add(result)
                        else:
                            outcome.counts[result.action] += 1
                            audited.extend(result.audited)
                        preview = result.preview
                        if preview is not None and (
                            (not result.faults and result.action in ("created", "updated"))
                            or (result.faults and preview.needs_confirmation)  # a rename waiting for a tick
                        ):
                            outcome.previews.append((result.row, result.action or "updated", preview))
                    if commit and audited:
                        # One entry per member created or changed, in one insert per batch of rows.
                        audit.record_many(audited, actor=batch.user, note=note, ip=batch.ip)
                    progress.set("import", batch.pk, outcome.rows)
                outcome.kept = commit and outcome.rows > 0 and (not outcome.fault_rows or batch.valid_only)
                if outcome.kept:
                    _record(batch, outcome)
                else:
                    transaction.set_rollback(True)
        finally:
            workbook.close()
    return outcome


def _record(batch: ImportBatch, outcome: Outcome) -> None:
    """The import's own audit entry, what it did row by row, and the batch marked done, in the transaction of the
    data itself."""
    now = timezone.now()
    _save_rows(batch, outcome)
    counts = outcome.counts
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.DONE,
        finished_at=now,
        total_rows=outcome.rows,
        created_count=counts["created"],
        updated_count=counts["updated"],
        unchanged_count=counts["unchanged"],
        error_rows=outcome.fault_rows,
        error_count=outcome.fault_count,
        errors=[fault.as_dict() for fault in outcome.faults[:MAX_LISTED_FAULTS]],
    )
    ledger = LEDGERS[batch.ledger]
    note = _(
        "%(ledger)s from “%(file)s”: %(rows)d rows, %(created)d new, %(updated)d changed, %(unchanged)d unchanged"
    ) % {
        "ledger": ledger.title,
        "file": batch.original_name,
        "rows": outcome.rows,
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
    }
    if outcome.fault_rows:
        note += _("; %(skipped)d rows with faults left out at the user's choice") % {"skipped": outcome.fault_rows}
    audit.record(
        AuditAction.IMPORT,
        actor=batch.user,
        obj=batch,
        object_repr=f"{ledger.title} · {batch.original_name}",
        changes={
            "rows": [None, outcome.rows],
            "created": [None, counts["created"]],
            "updated": [None, counts["updated"]],
        },
        note=note,
        ip=batch.ip,
    )


def _process_or_reject(batch: ImportBatch, *, commit: bool) -> Outcome | None:
    """process(), or None when the file is refused (damaged, too big once unpacked, too slow to read): the batch is
    then rejected with a message saying why."""
    try:
        return process(batch, commit=commit)
    except LedgerFileError as error:
        _reject(batch, str(error))
    except SoftTimeLimitExceeded:
        _reject(batch, _too_slow())
    return None


def check(batch_id: int) -> str:
    """Check an uploaded ledger and prepare its preview (faults, what would change, the marked workbook).

    The batch row stays locked while the check runs, so a second delivery waits and then finds it checked, and the
    recovery sweep can tell a check at work (locked) from one whose worker died (not locked)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("user").get(pk=batch_id)
        if batch.status != ImportStatus.CHECKING:
            return batch.status
        outcome = _process_or_reject(batch, commit=False)
        if outcome is None:
            return ImportStatus.REJECTED
        _save_preview(batch, outcome)
    return ImportStatus.CHECKED


class ConfirmRefused(Exception):
    """The batch cannot be imported as the user asked; the message says why and what to do."""


def confirm(batch: ImportBatch, *, valid_only: bool, renames: Sequence[int]) -> bool:
    """Confirm a checked batch for import, with the renames the user ticked on the preview (ImportRow ids), and hand
    it to a worker. False when it is no longer waiting for confirmation (a double click imports once); ConfirmRefused
    when rows with faults remain and the user did not choose to import the valid rows only."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.CHECKED:
            return False
        # A rename the user ticked is no fault any more; one left unticked stays one (and all-or-nothing holds).
        ticked = ImportRow.objects.filter(batch=batch, needs_confirmation=True, pk__in=renames)
        fault_rows = batch.error_rows - ticked.count()
        ImportRow.objects.filter(batch=batch, needs_confirmation=True).update(confirmed=False)
        ticked.update(confirmed=True)
        refusal = ""
        if fault_rows and not valid_only:
            refusal = _(
                "The ledger has rows with faults, so nothing was imported. Fix them in the file and upload it "
                "again, or tick “import the valid rows only”."
            )
        elif batch.total_rows <= fault_rows:
            refusal = _("No row of this ledger can be imported. Fix the faults and upload it again.")
        if not refusal:
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.IMPORTING, valid_only=valid_only, queued_at=timezone.now()
            )
            progress.set("import", batch.pk, 0)
            tasks.start(tasks.import_ledger_task, batch.pk)  # on commit
    if refusal:  # the ticks are kept, so the preview shows them again
        raise ConfirmRefused(refusal)
    return True


def retry(batch: ImportBatch) -> bool:
    """Start a failed check or import again from the uploaded file, at the phase that failed. False when the batch
    has not failed, or its file is gone."""
    if not batch.file:
        return False
    phase = ImportStatus.CHECKING if batch.checked_at is None else ImportStatus.IMPORTING
    if not ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.FAILED).update(
        status=phase, message="", attempts=0, queued_at=timezone.now(), finished_at=None
    ):
        return False
    tasks.start(tasks.check_import_task if phase == ImportStatus.CHECKING else tasks.import_ledger_task, batch.pk)
    return True


def run(batch_id: int) -> str:
    """Import a confirmed batch. Locked, so a task delivered twice imports once; a second run finds it done."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("user").get(pk=batch_id)
        if batch.status != ImportStatus.IMPORTING:
            return batch.status
        outcome = _process_or_reject(batch, commit=True)
        if outcome is None:
            return ImportStatus.REJECTED
        if not outcome.kept:
            # Something changed since the preview (or the file is empty): nothing was written; show the faults now.
            _save_preview(batch, outcome)
            return ImportStatus.CHECKED
    batch.refresh_from_db()
    _discard_upload(batch)
    return ImportStatus.DONE


def _too_slow() -> str:
    return _(
        "Reading this ledger took more than %(minutes)d minutes, so it was stopped; nothing was imported. Split it "
        "into several smaller files (or delete extra sheets and formatting) and upload them one by one."
    ) % {"minutes": max(1, settings.LEDGER_TASK_SOFT_TIME_LIMIT // 60)}


def _reject(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.REJECTED, message=message, checked_at=timezone.now()
    )
    batch.refresh_from_db()
    _discard_upload(batch)


def _save_preview(batch: ImportBatch, outcome: Outcome) -> None:
    counts = outcome.counts
    batch.status = ImportStatus.CHECKED
    batch.checked_at = timezone.now()
    batch.total_rows = outcome.rows
    batch.error_rows = outcome.fault_rows
    batch.error_count = outcome.fault_count
    batch.errors = [fault.as_dict() for fault in outcome.faults[:MAX_LISTED_FAULTS]]
    batch.created_count, batch.updated_count, batch.unchanged_count = (
        counts["created"],
        counts["updated"],
        counts["unchanged"],
    )
    batch.message = "" if outcome.rows else _("The sheet has a header row but no rows of data under it.")
    if outcome.faults:
        write_marked(batch, outcome.faults)
    batch.save()
    _save_rows(batch, outcome)


def _save_rows(batch: ImportBatch, outcome: Outcome) -> None:
    """Every created and changed row, for the preview (and, once imported, the record of what the import did)."""
    ImportRow.objects.filter(batch=batch).delete()
    ImportRow.objects.bulk_create(
        (
            ImportRow(
                batch=batch,
                row=row,
                action=action,
                name=preview.name[:100],
                id_number=preview.id_number,
                changes=preview.changes,
                member_id=preview.member_id,
                needs_confirmation=preview.needs_confirmation,
                confirmed=preview.needs_confirmation and (row, preview.member_id) in outcome.confirmed,
            )
            for row, action, preview in outcome.previews
        ),
        batch_size=1000,
    )


def _discard_upload(batch: ImportBatch) -> None:
    """The uploaded ledger holds personal data in clear: it is deleted as soon as it is no longer needed."""
    if batch.file:
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")


# ---------------------------------------------------------------- the marked workbook


def write_marked(batch: ImportBatch, faults: Sequence[Fault]) -> None:
    """The uploaded sheet again, every faulty cell filled red with its fault as a comment, and each faulty row's
    faults in words in a last column, so the user can fix the file and upload it again. Streams row by row."""
    ledger = LEDGERS[batch.ledger]
    by_row: dict[int, list[str]] = {}
    for fault in faults:
        by_row.setdefault(fault.row, []).append(f"{fault.column}：{fault.message}" if fault.column else fault.message)
    with batch.file.open("rb") as file, tempfile.TemporaryFile() as target:
        source = open_workbook(file, batch.original_name)
        try:
            layout = find_layout(source, ledger, batch.original_name)
            index_of = layout.index_of
            faults_at: dict[tuple[int, int], str] = {}
            for fault in faults:
                if fault.column in index_of:
                    key = (fault.row, index_of[fault.column])
                    faults_at[key] = f"{faults_at[key]}\n{fault.message}" if key in faults_at else fault.message
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(layout.sheet.title)
            width = max(
                (len(values) for values in layout.sheet.iter_rows(max_row=layout.header_row, values_only=True)),
                default=1,
            )
            note_column = width + 1
            sheet.column_dimensions[get_column_letter(note_column)].width = 60
            sheet.freeze_panes = f"A{layout.header_row + 1}"
            for number, cells in enumerate(layout.sheet.iter_rows(), 1):
                values: list[Any] = []
                for index in range(max(width, len(cells))):
                    value = cells[index].value if index < len(cells) else None
                    if isinstance(value, str):
                        value = neutralize(value)  # a formula in the upload comes back as harmless text
                    message = faults_at.get((number, index))
                    if message is None:
                        values.append(value)
                        continue
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.fill = BAD_FILL
                    cell.comment = Comment(message, "蓝山县流动党员管理平台", width=300, height=120)
                    values.append(cell)
                while len(values) < width:
                    values.append(None)
                if number == layout.header_row:
                    header = WriteOnlyCell(sheet, value=MARKED_HEADER)
                    header.font = Font(bold=True, color="FFC00000")
                    values.append(header)
                elif number in by_row:
                    note = WriteOnlyCell(sheet, value=neutralize("；".join(by_row[number])))
                    note.font = Font(color="FFC00000")
                    values.append(note)
                sheet.append(values)
            workbook.save(target)
        finally:
            source.close()
        target.seek(0)
        if batch.marked_file:
            batch.marked_file.delete(save=False)
        batch.marked_file.save("marked.xlsx", File(target), save=False)


# ---------------------------------------------------------------- the empty template


def template_workbook(ledger: Ledger, target: IO[bytes]) -> None:
    """An empty ledger in the official column order, with a second sheet saying what each column takes."""
    reader = CellReader()
    notes = []
    with translation.override(settings.LANGUAGE_CODE):
        for column in ledger.columns:
            if not column.field:
                continue
            if column.kind == CHOICE:
                what = _("One of: %(choices)s") % {"choices": "、".join(reader.choices(column)[1])}
                if column.help:
                    what = f"{what}。{column.help}"
            else:
                what = str(column.help or "")
            notes.append([column.header, _("required") if column.required else "", what])
        write_xlsx(
            target,
            title=_("%(ledger)s (import template): fill in one row per line under the header")
            % {"ledger": ledger.title},
            sheet=str(ledger.title),
            columns=ledger.sheet_columns(),
            rows=[],
            notes=(
                _("How to fill in"),
                [SheetColumn(_("Column"), 22), SheetColumn(_("Required"), 8), SheetColumn(_("What to write"), 80)],
                notes,
            ),
        )
