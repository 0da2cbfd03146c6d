"""The sweep that makes every ledger job finish: it publishes again what the broker never got, starts again what a
killed worker left half done, and marks failed (with a retry button) what keeps dying.

It runs every minute with the notification dispatch (lanshan_party.tasks.dispatch_due_notifications) and by
`manage.py run_sweeps`. Every step is idempotent: a job published twice runs once (exports claim their row,
imports lock theirs).
"""

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party.ledgers import exports, tasks
from lanshan_party.models import ExportJob, ExportStatus, ImportBatch, ImportStatus

logger = logging.getLogger(__name__)

# A job waiting this long was probably never published (the broker was down when it was asked for).
REPUBLISH_AFTER = datetime.timedelta(seconds=30)
MAX_IMPORT_RECOVERIES = 5


def recover(now: datetime.datetime | None = None) -> dict[str, int]:
    """Returns how many exports and imports were handed to a worker again, and how many were given up."""
    now = now or timezone.now()
    counts = {"exports": 0, "imports": 0, "failed": 0}
    _recover_exports(now, counts)
    _recover_imports(now, counts)
    if any(counts.values()):
        logger.warning("Ledger jobs recovered: %s", counts)
    return counts


def _recover_exports(now: datetime.datetime, counts: dict[str, int]) -> None:
    stalled = exports.stalled_before(now)
    # Running with a heartbeat that stopped: its worker was killed. Start over, or give up after a few tries.
    dead = ExportJob.objects.filter(status=ExportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=stalled) | Q(heartbeat_at__isnull=True, started_at__lt=stalled)
    )
    for job in dead.only("pk", "attempts", "heartbeat_at"):
        if job.attempts >= exports.MAX_ATTEMPTS:
            exports.fail(
                job.pk,
                _(
                    "The export was interrupted %(count)d times (its worker stopped) and was given up. Press “Try "
                    "again”; if it fails again, tell the administrator."
                )
                % {"count": job.attempts},
            )
            counts["failed"] += 1
            continue
        # Conditional on the heartbeat we saw, so a job that came back to life meanwhile is left alone.
        if ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING, heartbeat_at=job.heartbeat_at).update(
            status=ExportStatus.PENDING, task_id="", heartbeat_at=now
        ):
            tasks.start(tasks.export_ledger_task, job.pk)
            counts["exports"] += 1
    # Pending for a while: the publish was lost. Publish again (at most once a minute per job).
    waiting = ExportJob.objects.filter(status=ExportStatus.PENDING, created_at__lt=now - REPUBLISH_AFTER).filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - REPUBLISH_AFTER)
    )
    for pk in waiting.values_list("pk", flat=True):
        ExportJob.objects.filter(pk=pk).update(heartbeat_at=now)
        tasks.start(tasks.export_ledger_task, pk)
        counts["exports"] += 1


def _recover_imports(now: datetime.datetime, counts: dict[str, int]) -> None:
    # A check or an import locks its batch row while it works. Unlocked and still "checking" or "importing" means no
    # worker has it: the publish was lost, or the worker died and its transaction was rolled back. Without row locks
    # (SQLite, development) only the age tells, so wait longer there.
    can_lock = connection.features.has_select_for_update_skip_locked
    quiet = now - (REPUBLISH_AFTER if can_lock else datetime.timedelta(seconds=settings.LEDGER_JOB_STALLED_SECONDS))
    candidates = ImportBatch.objects.filter(status__in=(ImportStatus.CHECKING, ImportStatus.IMPORTING)).filter(
        Q(queued_at__lt=quiet) | Q(queued_at__isnull=True, created_at__lt=quiet)
    )
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            rows = ImportBatch.objects.filter(pk=pk, status__in=(ImportStatus.CHECKING, ImportStatus.IMPORTING))
            if can_lock:
                rows = rows.select_for_update(skip_locked=True)
            batch = rows.first()
            if batch is None:
                continue  # a worker has it right now
            if batch.attempts >= MAX_IMPORT_RECOVERIES:
                ImportBatch.objects.filter(pk=pk).update(
                    status=ImportStatus.FAILED,
                    finished_at=now,
                    message=_(
                        "No worker could finish this ledger after %(count)d tries; nothing was saved. Press “Try "
                        "again”, or tell the administrator."
                    )
                    % {"count": batch.attempts},
                )
                counts["failed"] += 1
                continue
            ImportBatch.objects.filter(pk=pk).update(queued_at=now, attempts=batch.attempts + 1)
            task = tasks.check_import_task if batch.status == ImportStatus.CHECKING else tasks.import_ledger_task
            tasks.start(task, pk)
            counts["imports"] += 1
