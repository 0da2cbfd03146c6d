"""Ledger exports: the list-page mixin that offers them, the job that rebuilds the page's own queryset (scoped to the
user who asked, filtered and sorted as the page was) and streams it to a file, its audit entry, and expiry.

Small exports run within the request and download at once; larger ones run as a background job with a progress bar.
"""

import datetime
import io
import logging
import tempfile
import uuid
from typing import IO, Any

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lanshan_party import audit
from lanshan_party.http import AuthenticatedHttpRequest
from lanshan_party.ledgers import progress, tasks
from lanshan_party.ledgers.definitions import LEDGERS, Ledger
from lanshan_party.ledgers.forms import ExportForm
from lanshan_party.ledgers.xlsx import write_csv, write_xlsx
from lanshan_party.middleware import client_ip
from lanshan_party.models import AuditAction, ExportJob, ExportStatus, ImportBatch, ImportStatus, LedgerFormat
from lanshan_party.personal_data import describe_search, search_token

logger = logging.getLogger(__name__)

CHUNK_ROWS = 2000  # rows fetched from the database at a time
CONTENT_TYPES: dict[str, str] = {
    LedgerFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    LedgerFormat.CSV: "text/csv; charset=utf-8",
}


class ExportError(Exception):
    pass


# ---------------------------------------------------------------- the list page


class LedgerExportMixin:
    """A list page that exports as a ledger: POSTing the export form to the page (with its query string) exports
    exactly the rows the page lists, scoped, filtered and sorted as shown, without the pagination."""

    ledger: str = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        ledger = LEDGERS[self.ledger]
        user = self.request.user  # type: ignore[attr-defined]
        context["ledger_export"] = {
            "ledger": ledger,
            "form": ExportForm(user=user),
            "may_import": ledger.may_import(user),
        }
        return context

    @classmethod
    def export_rows(cls, user: Any, query: QueryDict) -> tuple[QuerySet, str]:
        """The page's rows for this user and query string, as the page lists them (scoped queryset, filters, the
        table's sort) without its pagination, and its filters in words. No request: an export job calls this too."""
        view: Any = cls()
        view.scope_user, view.args, view.kwargs = user, (), {}
        queryset = view.get_queryset()
        filterset = view.get_filterset_class()(query or None, queryset=queryset, user=user)
        if not filterset.is_bound or filterset.is_valid() or not view.get_strict():
            rows = filterset.qs
        else:
            rows = filterset.queryset.none()
        table = view.get_table_class()(data=rows, **view.get_table_kwargs())
        sort = query.get(table.prefixed_order_by_field)
        if sort:
            table.order_by = sort  # as django-tables2's RequestConfig does from the page's query string
        return table.data.data, describe(filterset, table)

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = ExportForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))  # an ErrorList yields its messages as str
            return redirect(request.get_full_path())
        rows, description = type(self).export_rows(request.user, request.GET)
        job = ExportJob.objects.create(
            user=request.user,
            ledger=self.ledger,
            format=form.cleaned_data["format"],
            source=request.path,
            query=safe_query(request.GET),
            filters=description,
            masked=not form.cleaned_data["full"],
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
            total=rows.count(),
        )
        if job.total <= settings.LEDGER_EXPORT_SYNC_ROWS:
            run(job.pk, rows=rows)  # the rows just filtered: not filtered again
            job.refresh_from_db()
            if job.status == ExportStatus.DONE:
                return download(job)
        else:
            tasks.start(tasks.export_ledger_task, job.pk)
        return redirect("ledgers:export_detail", pk=job.pk)


def safe_query(query: QueryDict) -> str:
    """The page's query string as the job keeps it: a full ID number or phone searched for (a link typed by hand)
    kept only as its keyed-hash token, like the search form sends it."""
    safe = query.copy()
    if "q" in safe:
        safe.setlist("q", [search_token(value) for value in safe.getlist("q")])
    return safe.urlencode()


def describe(filterset: Any, table: Any) -> str:
    """The page's filters and sort in words, for the title row and the export history."""
    parts = []
    form = filterset.form
    if form.is_bound and form.is_valid():
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if value in (None, "", [], (), False) or (isinstance(value, QuerySet) and not value.exists()):
                continue
            parts.append(f"{field.label}：{_display(field, value)}")
    for alias in table.order_by or ():
        name = alias.lstrip("-")
        if name in table.columns:
            direction = _("descending") if alias.startswith("-") else _("ascending")
            parts.append(
                _("sorted by %(column)s, %(direction)s")
                % {"column": table.columns[name].header, "direction": direction}
            )
    return "；".join(parts)


def _display(field: Any, value: Any) -> str:
    if value is True:
        return _("yes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, QuerySet | list | tuple):
        return "、".join(_display(field, item) for item in value)
    if isinstance(value, models.Model):
        return getattr(value, "display_name", None) or str(value)
    if isinstance(value, str) and not getattr(field, "choices", None):
        return describe_search(value)  # a full ID number or phone searched for, masked
    choices = getattr(field, "choices", None)
    if choices is not None:
        return str(dict((str(key), label) for key, label in choices).get(str(value), value))
    return str(value)


# ---------------------------------------------------------------- the job


def source_rows(job: ExportJob, rows: QuerySet | None = None) -> tuple[QuerySet, str]:
    """The rows of the page the export was asked from, as that page shows them to the job's user (rebuilt from the
    query string it kept, through the page's own declaration), ready to stream, and its filters in words."""
    ledger = LEDGERS[job.ledger]
    description = job.filters
    if rows is None:
        if not ledger.view:
            raise ExportError(f"the {job.ledger} ledger names no list page")
        view_class = import_string(ledger.view)
        if not issubclass(view_class, LedgerExportMixin) or view_class.ledger != job.ledger:
            raise ExportError(f"{ledger.view} does not export the {job.ledger} ledger")
        rows, description = view_class.export_rows(job.user, QueryDict(job.query))
    if ledger.select_related:
        rows = rows.select_related(*ledger.select_related)
    if ledger.defer:
        rows = rows.defer(*ledger.defer)
    return rows.prefetch_related(None).prefetch_related(*ledger.prefetch_related), description


def county_name() -> str:
    from organizations.models import Organization, OrgKind

    return Organization.objects.filter(kind=OrgKind.COUNTY).values_list("name", flat=True).first() or ""


def title_row(job: ExportJob, ledger: Ledger) -> str:
    """The ledger's title row: whose ledger (the county, or the user's own organization when they see only its
    subtree), when it was exported, its filters and whether personal data is masked."""
    parts = [
        f"{job.scope or county_name()}{ledger.title}",
        _("exported %(date)s") % {"date": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
    ]
    parts.append(_("filters: %(filters)s") % {"filters": job.filters} if job.filters else _("no filters"))
    parts.append(_("personal data masked") if job.masked else _("full personal data"))
    return "　".join(parts)


def write(job: ExportJob, target: IO[bytes], *, on_progress: Any = None, rows: QuerySet | None = None) -> int:
    """Stream the job's rows into target (xlsx or CSV); returns the number of rows. Constant memory at any size."""
    ledger = LEDGERS[job.ledger]
    rows, filters = source_rows(job, rows)
    if not job.filters:
        job.filters = filters
    if not job.user.may_reveal:
        job.masked = True  # the right to full data is checked again when the job runs: it may have been withdrawn
    with translation.override(settings.LANGUAGE_CODE):
        row = ledger.row_function(masked=job.masked)
        values = (row(obj, number) for number, obj in enumerate(rows.iterator(chunk_size=CHUNK_ROWS), 1))
        if job.format == LedgerFormat.CSV:
            text = io.TextIOWrapper(target, encoding="utf-8", newline="")
            try:
                return write_csv(text, columns=ledger.sheet_columns(), rows=values, progress=on_progress)
            finally:
                text.flush()
                text.detach()
        return write_xlsx(
            target,
            title=title_row(job, ledger),
            sheet=str(ledger.title),
            columns=ledger.sheet_columns(),
            rows=values,
            progress=on_progress,
        )


def record(job: ExportJob) -> None:
    ledger = LEDGERS[job.ledger]
    with translation.override(settings.LANGUAGE_CODE):
        what = (
            _("personal data masked")
            if job.masked
            else _("full ID numbers and phones, because: %(reason)s") % {"reason": job.reason}
        )
        note = _("%(ledger)s: %(rows)d rows, %(what)s. Filters: %(filters)s") % {
            "ledger": ledger.title,
            "rows": job.row_count,
            "what": what,
            "filters": job.filters or _("none"),
        }
        audit.record(
            AuditAction.EXPORT,
            actor=job.user,
            obj=job,
            object_repr=str(ledger.title),
            changes={"rows": [None, job.row_count], "masked": [None, job.masked]},
            note=note,
            ip=job.ip,
        )


MAX_ATTEMPTS = 3  # a job whose worker dies this many times is marked failed, with a retry button


class Superseded(Exception):
    """This run of a job lost it: it was taken for stalled and started again elsewhere."""


def stalled_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.LEDGER_JOB_STALLED_SECONDS)


def _claim(job_id: int, token: str) -> bool:
    """Take the job for this run. A pending job is free; a running one is taken over when its heartbeat stopped (its
    worker died), or when this is the same task delivered again (a message is redelivered only when the worker that
    had it died)."""
    now = timezone.now()
    fields = {
        "status": ExportStatus.RUNNING,
        "started_at": now,
        "heartbeat_at": now,
        "done": 0,
        "task_id": token,
        "attempts": F("attempts") + 1,
    }
    if ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(**fields):
        return True
    dead = Q(heartbeat_at__lt=stalled_before(now)) | Q(heartbeat_at__isnull=True, started_at__lt=stalled_before(now))
    if token and not token.startswith("inline-"):
        dead |= Q(task_id=token)
    return bool(ExportJob.objects.filter(dead, pk=job_id, status=ExportStatus.RUNNING).update(**fields))


def _beat(job_id: int, token: str, done: int) -> None:
    """Progress, in the cache for the live bar and in the row as the heartbeat; a run that lost its job stops here."""
    progress.set("export", job_id, done)
    owned = ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING, task_id=token).update(
        done=done, heartbeat_at=timezone.now()
    )
    if not owned:
        raise Superseded


def run(job_id: int, token: str = "", *, rows: QuerySet | None = None) -> str:
    """Run one export job: write its file, keep it for the history, audit it. A second delivery does nothing, and a
    delivery after its worker died starts over. `rows`: the page's rows already filtered, when run inline."""
    token = token or f"inline-{uuid.uuid4().hex}"
    if not _claim(job_id, token):
        return "skipped"
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    expire_files()
    try:
        with tempfile.TemporaryFile() as target:
            job.row_count = write(job, target, on_progress=lambda done: _beat(job_id, token, done), rows=rows)
            target.seek(0)
            with transaction.atomic():
                if not ExportJob.objects.select_for_update().filter(
                    pk=job_id, status=ExportStatus.RUNNING, task_id=token
                ):
                    raise Superseded
                job.file.save(f"ledger.{job.format}", File(target), save=False)
                job.status = ExportStatus.DONE
                job.done = job.row_count
                job.finished_at = timezone.now()
                job.expires_at = job.finished_at + datetime.timedelta(hours=settings.LEDGER_FILES_KEEP_HOURS)
                job.save()
                record(job)
    except Superseded:
        logger.info("Ledger export %s was taken over by another run; this one stops.", job_id)
        return "superseded"
    except (OperationalError, InterfaceError):
        ExportJob.objects.filter(pk=job_id, task_id=token).update(status=ExportStatus.PENDING)  # the retry claims it
        raise
    except Exception:
        logger.exception("Ledger export %s failed", job_id)
        fail(
            job_id,
            _(
                "The export stopped on an unexpected error, which has been logged. Try again, or tell the administrator."
            ),
        )
        return ExportStatus.FAILED
    return ExportStatus.DONE


def fail(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(status=ExportStatus.FAILED, finished_at=timezone.now(), error=message)


def retry(job: ExportJob) -> bool:
    """Start a failed export again, from the start (the retry button). False when it is not failed."""
    if not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.FAILED).update(
        status=ExportStatus.PENDING, error="", attempts=0, done=0, heartbeat_at=None, finished_at=None
    ):
        return False
    tasks.start(tasks.export_ledger_task, job.pk)
    return True


def download_name(job: ExportJob) -> str:
    ledger = LEDGERS.get(job.ledger)
    title = str(ledger.title) if ledger else job.ledger
    return f"{title}-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.{job.format}"


def download(job: ExportJob) -> FileResponse:
    """Send a finished export's file to a user the calling view has checked."""
    handle = job.file.open("rb")
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(job), content_type=CONTENT_TYPES[job.format]
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def expire_files(now: datetime.datetime | None = None) -> int:
    """Delete the files of exports and imports past their keeping time. Cheap when there is nothing to do."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lt=now):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file="")
        count += 1
    kept_since = now - datetime.timedelta(hours=settings.LEDGER_FILES_KEEP_HOURS)
    stale = ImportBatch.objects.filter(created_at__lt=kept_since).filter(~Q(file="") | ~Q(marked_file=""))
    for batch in stale:
        batch.file.delete(save=False)
        batch.marked_file.delete(save=False)
        changes: dict[str, Any] = {"file": "", "marked_file": ""}
        if batch.status == ImportStatus.CHECKED:
            changes["status"] = ImportStatus.CANCELLED
        ImportBatch.objects.filter(pk=batch.pk).update(**changes)
        count += 1
    return count
