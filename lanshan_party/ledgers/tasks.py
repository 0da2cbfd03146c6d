"""Celery tasks for ledger exports and imports: thin, ids in; the work and its idempotence live in exports and imports.

Registered through the import at the end of lanshan_party/tasks.py (the module the worker's autodiscovery loads).
"""

import logging
import threading
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party.models import ImportBatch, ImportStatus

logger = logging.getLogger(__name__)

# Only a lost database connection is worth another try; any other failure would fail the same way again.
RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 10, "max_retries": 3}


def _limits() -> dict[str, int]:
    # Read when the module is imported by the worker: the limits of its settings at start-up.
    return {"soft_time_limit": settings.LEDGER_TASK_SOFT_TIME_LIMIT, "time_limit": settings.LEDGER_TASK_TIME_LIMIT}


@shared_task(bind=True, acks_late=True, **RETRY, **_limits())
def export_ledger_task(self: Any, job_id: int) -> str:
    from lanshan_party.ledgers import exports

    # The task id tells a redelivery of this very task (its first worker died) from a second task for the same job.
    return exports.run(job_id, self.request.id or "")


@shared_task(acks_late=True, **RETRY, **_limits())
def check_import_task(batch_id: int) -> str:
    from lanshan_party.ledgers import imports

    return _guarded(imports.check, batch_id)


@shared_task(acks_late=True, **RETRY, **_limits())
def import_ledger_task(batch_id: int) -> str:
    from lanshan_party.ledgers import imports

    return _guarded(imports.run, batch_id)


@shared_task(acks_late=True, **RETRY)
def expire_ledger_files() -> int:
    """Delete exported files and uploaded ledgers past their keeping time (for the beat schedule)."""
    from lanshan_party.ledgers import exports

    return exports.expire_files()


def _guarded(step: Any, batch_id: int) -> str:
    try:
        return step(batch_id)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Ledger import %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=_(
                "The import stopped on an unexpected error, which has been logged; nothing was saved. Try again, "
                "or tell the administrator."
            ),
        )
        return ImportStatus.FAILED


def start(task: Any, object_id: int) -> None:
    """Run a ledger job in the background once the current transaction commits.

    With a broker this is `enqueue` (never blocks on a broker that is down). Without one Celery runs tasks eagerly,
    inside the request: the job then runs in a thread of the web process instead, so the request returns at once and
    the progress page has something to show (a development setup; the job dies if the process restarts).
    """
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.LEDGER_EAGER_JOBS_IN_THREAD:
        transaction.on_commit(lambda: _thread(task, object_id))
        return
    from lanshan_party.tasks import enqueue

    enqueue(task, object_id)


def _thread(task: Any, object_id: int) -> None:
    def work() -> None:
        close_old_connections()
        try:
            task.apply(args=(object_id,))
        except Exception:
            logger.exception("Ledger job %s(%s) failed in its thread", task.name, object_id)
        finally:
            connections.close_all()

    threading.Thread(target=work, name=f"ledger-{object_id}", daemon=True).start()
