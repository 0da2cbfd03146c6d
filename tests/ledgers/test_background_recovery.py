"""Every ledger job finishes once the broker and a worker are back, or is marked failed with a retry button: jobs whose
publish was lost are published again, a job whose worker was killed starts over, and the pages answer (from the
database) while the broker and the cache are down."""

import datetime
import threading

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from lanshan_party import resilience
from lanshan_party.ledgers import exports, progress, recovery
from lanshan_party.ledgers import tasks as ledger_tasks
from lanshan_party.models import AuditAction, AuditEntry, ExportJob, ExportStatus, ImportBatch, ImportStatus
from lanshan_party.tasks import enqueue
from tests.conftest import login
from tests.factories import MemberFactory
from tests.ledgers.test_exports import export
from tests.ledgers.workbooks import MEMBER_HEADERS, away_member, confirm, latest_batch, member_row, upload, workbook


@pytest.fixture(autouse=True)
def breakers_closed():
    resilience.broker.reset()
    resilience.cache.reset()
    yield
    resilience.broker.reset()
    resilience.cache.reset()


@pytest.fixture
def started(monkeypatch):
    """What the sweep hands to a worker: (task name, id) pairs, instead of running them."""
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(ledger_tasks, "start", lambda task, pk: calls.append((task.name.rsplit(".", 1)[-1], pk)))
    return calls


@pytest.fixture
def export_job(county, settings):
    """A members export of the admin's whole scope, asked for and left pending (as if the broker never got it)."""
    settings.LEDGER_EXPORT_SYNC_ROWS = 0
    for n in range(5):
        MemberFactory(name=f"花果村党员{n}", home_branch=county.huaguo)
    export(login(county.admin))
    return ExportJob.objects.get()


def age(job: ExportJob | ImportBatch, **fields: datetime.timedelta) -> None:
    """Move the job's timestamps into the past."""
    now = timezone.now()
    type(job).objects.filter(pk=job.pk).update(**{name: now - delta for name, delta in fields.items()})


# ---------------------------------------------------------------- exports


def test_an_export_whose_publish_was_lost_is_published_again_by_the_sweep_and_then_runs_once(export_job, started):
    assert recovery.recover()["exports"] == 0  # too young: its message may simply be on its way
    age(export_job, created_at=datetime.timedelta(minutes=2))

    assert recovery.recover()["exports"] == 1
    assert started == [("export_ledger_task", export_job.pk)]
    assert recovery.recover()["exports"] == 0  # not again within the minute

    assert exports.run(export_job.pk, "task-1") == ExportStatus.DONE
    assert exports.run(export_job.pk, "task-2") == "skipped"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_a_redelivered_task_takes_over_the_export_its_killed_worker_left_running(export_job):
    # The worker claimed it, wrote some rows and was killed; the broker delivers the same task again at once.
    ExportJob.objects.filter(pk=export_job.pk).update(
        status=ExportStatus.RUNNING, task_id="task-1", heartbeat_at=timezone.now(), done=2, attempts=1
    )

    assert exports.run(export_job.pk, "task-other") == "skipped"  # another task for a job at work: leave it
    assert exports.run(export_job.pk, "task-1") == ExportStatus.DONE

    export_job.refresh_from_db()
    assert (export_job.status, export_job.row_count, export_job.attempts) == (ExportStatus.DONE, export_job.total, 2)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_an_export_whose_heartbeat_stopped_is_started_again_and_finishes_once(export_job, started, settings):
    ExportJob.objects.filter(pk=export_job.pk).update(
        status=ExportStatus.RUNNING, task_id="task-1", started_at=timezone.now(), done=2, attempts=1
    )
    age(export_job, heartbeat_at=datetime.timedelta(seconds=settings.LEDGER_JOB_STALLED_SECONDS - 5))
    assert recovery.recover()["exports"] == 0  # still within its heartbeat

    age(export_job, heartbeat_at=datetime.timedelta(seconds=settings.LEDGER_JOB_STALLED_SECONDS + 5))
    assert recovery.recover()["exports"] == 1
    export_job.refresh_from_db()
    assert export_job.status == ExportStatus.PENDING and started == [("export_ledger_task", export_job.pk)]

    assert exports.run(export_job.pk, "task-2") == ExportStatus.DONE
    assert exports.run(export_job.pk, "task-1") == "skipped"  # the first delivery, given back an hour later
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_a_run_that_lost_its_job_to_a_restart_stops_instead_of_finishing_it_twice(export_job):
    ExportJob.objects.filter(pk=export_job.pk).update(
        status=ExportStatus.RUNNING, task_id="task-2", heartbeat_at=timezone.now()
    )
    with pytest.raises(exports.Superseded):
        exports._beat(export_job.pk, "task-1", 10)


def test_an_export_that_keeps_dying_is_marked_failed_and_its_owner_can_try_again(export_job, started, county):
    ExportJob.objects.filter(pk=export_job.pk).update(
        status=ExportStatus.RUNNING, task_id="t", attempts=exports.MAX_ATTEMPTS, started_at=timezone.now()
    )
    age(export_job, heartbeat_at=datetime.timedelta(hours=1))

    assert recovery.recover()["failed"] == 1
    export_job.refresh_from_db()
    assert export_job.status == ExportStatus.FAILED and "interrupted" in export_job.error or "中断" in export_job.error

    page = login(county.admin).get(reverse("ledgers:export_detail", args=[export_job.pk])).content.decode()
    assert reverse("ledgers:export_retry", args=[export_job.pk]) in page
    assert login(county.county_staff).post(reverse("ledgers:export_retry", args=[export_job.pk])).status_code == 404

    response = login(county.admin).post(reverse("ledgers:export_retry", args=[export_job.pk]))

    assert response.status_code == 302
    export_job.refresh_from_db()
    assert (export_job.status, export_job.attempts, export_job.error) == (ExportStatus.PENDING, 0, "")
    assert ("export_ledger_task", export_job.pk) in started
    assert exports.run(export_job.pk, "task-retry") == ExportStatus.DONE


def test_the_export_page_shows_progress_from_the_database_when_the_cache_is_down(export_job, county, monkeypatch):
    ExportJob.objects.filter(pk=export_job.pk).update(
        status=ExportStatus.RUNNING, task_id="t", heartbeat_at=timezone.now(), done=3, total=6
    )

    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)

    response = login(county.admin).get(reverse("ledgers:export_detail", args=[export_job.pk]))

    assert response.status_code == 200
    assert 'aria-valuenow="50"' in response.content.decode()
    assert not resilience.cache.allow()  # and the next requests do not wait on it again
    assert progress.get("export", export_job.pk) is None


def test_a_page_that_has_waited_too_long_says_the_background_service_may_be_down(export_job, county, settings):
    age(export_job, created_at=datetime.timedelta(seconds=settings.LEDGER_JOB_STALLED_SECONDS + 1))

    html = login(county.admin).get(reverse("ledgers:export_detail", args=[export_job.pk])).content.decode()

    assert 'data-testid="stalled"' in html


# ---------------------------------------------------------------- imports


def one_member(county, n: int, name: str) -> bytes:
    row = away_member(n, name=name, branch=county.huaguo.name, flowing=county.huadu.name)
    return workbook(MEMBER_HEADERS, [member_row(**row)])


@pytest.fixture
def checked_batch(county):
    client = login(county.admin)
    upload(client, one_member(county, 41, "新党员甲"))
    batch = latest_batch()
    assert batch.status == ImportStatus.CHECKED
    return client, batch


def test_an_import_confirmed_while_the_cache_and_broker_are_down_answers_and_is_recovered_later(
    checked_batch, monkeypatch, settings, started
):
    client, batch = checked_batch
    settings.LEDGER_IMPORT_SYNC_ROWS = 0  # a job, as a large ledger would be

    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", down)
    monkeypatch.setattr(cache, "get", down)

    response = confirm(client, batch)

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING and batch.queued_at is not None
    assert client.get(reverse("ledgers:import_detail", args=[batch.pk])).status_code == 200

    started.clear()
    age(batch, queued_at=datetime.timedelta(seconds=settings.LEDGER_JOB_STALLED_SECONDS + 1))
    assert recovery.recover()["imports"] == 1
    assert started == [("import_ledger_task", batch.pk)]
    ledger_tasks.import_ledger_task(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.created_count == 1


def test_an_import_check_whose_worker_died_is_handed_again_then_given_up_with_a_retry(county, settings, started):
    client = login(county.admin)
    settings.LEDGER_IMPORT_SYNC_ROWS = -1  # every upload is checked as a job
    upload(client, one_member(county, 42, "新党员乙"))
    batch = latest_batch()
    assert batch.status == ImportStatus.CHECKING
    for attempt in range(recovery.MAX_IMPORT_RECOVERIES):
        age(batch, created_at=datetime.timedelta(hours=1), queued_at=datetime.timedelta(hours=1))
        assert recovery.recover()["imports"] == 1, attempt
    age(batch, queued_at=datetime.timedelta(hours=1))
    assert recovery.recover()["failed"] == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED

    html = client.get(reverse("ledgers:import_detail", args=[batch.pk])).content.decode()
    assert reverse("ledgers:import_retry", args=[batch.pk]) in html
    client.post(reverse("ledgers:import_retry", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKING and batch.attempts == 0
    ledger_tasks.check_import_task(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


# ---------------------------------------------------------------- publishing


class HungTask:
    """A task whose broker accepts the connection and never answers."""

    name = "lanshan_party.tests.hung"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.published = threading.Event()

    def apply_async(self, args, retry=False):
        self.release.wait(10)
        self.published.set()


def test_enqueueing_on_a_hung_broker_gives_up_waiting_and_skips_the_broker_for_a_while(
    db, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.BROKER_PUBLISH_WAIT = 0.05
    task = HungTask()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(task, 1)
        # The request went on while the publish was still stuck.
        assert not task.published.is_set()
        assert not resilience.broker.allow()

        second = HungTask()
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(second, 2)
        second.release.set()
        assert not second.published.wait(0.2)  # not even tried while the breaker is open
    finally:
        task.release.set()


def test_enqueueing_on_a_broker_that_refuses_is_logged_not_raised(db, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    class Refused:
        name = "lanshan_party.tests.refused"

        def apply_async(self, args, retry=False):
            raise ConnectionRefusedError(111, "Connection refused")

    with django_capture_on_commit_callbacks(execute=True):
        enqueue(Refused(), 1)

    assert not resilience.broker.allow()
