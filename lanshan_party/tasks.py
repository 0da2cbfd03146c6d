"""Celery tasks: thin wrappers that take ids, call a workflow function, and own their retries.

Web code never calls `.delay()` itself: it calls `enqueue(task, ...)`, which publishes after the
transaction commits and never lets a broker outage reach the user. Whatever a failed publish would
have done is picked up by the next sweep, because every sweep works from database rows.
"""

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction

from lanshan_party import resilience

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (Exception,), "retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 5}


def enqueue(task: Any, *args: Any) -> None:
    """Publish `task(*args)` once the current transaction commits. The request never waits on the broker for more
    than a fraction of a second, and a broker that is down or hung is logged, not raised: the row the task works on
    is already saved, and the next sweep publishes it again (see ledgers.recovery and notifications.dispatch_due)."""

    def publish() -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:  # no broker: the task runs here and now
            try:
                task.apply_async(args=args, retry=False)
            except Exception:
                logger.warning("%s%r failed; the next sweep will pick it up.", task.name, args, exc_info=True)
            return
        if not resilience.bounded(
            lambda: task.apply_async(args=args, retry=False),
            breaker=resilience.broker,
            wait=settings.BROKER_PUBLISH_WAIT,
        ):
            logger.warning("Could not publish %s%r; the next sweep will pick it up.", task.name, args)

    transaction.on_commit(publish)


@shared_task(acks_late=True, **RETRY)
def send_notification(notification_id: int) -> str:
    """Send one notification; a second run (or a second worker) finds it already claimed and does nothing."""
    from lanshan_party import notifications

    return notifications.send(notification_id)


@shared_task(acks_late=True, **RETRY)
def dispatch_due_notifications() -> int:
    """Every minute: queue a send for every notification that is due (and reclaim sends a dead worker left half
    done), and hand again to a worker every ledger job that the broker or a killed worker lost."""
    from lanshan_party import notifications
    from lanshan_party.ledgers import recovery
    from lanshan_party.models import Heartbeat

    queued = notifications.dispatch_due()
    recovery.recover()
    Heartbeat.beat("dispatch")
    return queued


@shared_task(acks_late=True, **RETRY)
def sweep_reminders() -> dict[str, int]:
    """Write the outbox rows of every reminder that has come due; safe to run any number of times."""
    from lanshan_party import notifications
    from lanshan_party.models import Heartbeat

    written = notifications.sweep_all()
    Heartbeat.beat("reminders")
    return written


from lanshan_party.ledgers.tasks import (  # noqa: E402,F401 - registers the ledger tasks with the worker
    check_import_task,
    expire_ledger_files,
    export_ledger_task,
    import_ledger_task,
)
