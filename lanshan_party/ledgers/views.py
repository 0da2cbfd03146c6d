"""Ledger pages: the export history with progress and downloads, and importing a ledger
(upload, check, preview with every fault, confirm) with its history and the empty templates."""

import io
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from lanshan_party import audit
from lanshan_party.http import AuthenticatedHttpRequest
from lanshan_party.ledgers import exports, imports, progress, tasks
from lanshan_party.ledgers.definitions import LEDGERS, importable_ledgers
from lanshan_party.ledgers.filters import ExportJobFilter, ImportBatchFilter
from lanshan_party.ledgers.forms import ConfirmImportForm, ImportUploadForm
from lanshan_party.ledgers.tables import ExportJobTable, ImportBatchTable
from lanshan_party.middleware import client_ip
from lanshan_party.models import AuditAction, ExportJob, ExportStatus, ImportBatch, ImportRow, ImportStatus
from lanshan_party.rights import Right
from lanshan_party.views import PageTitleMixin, RoleRequiredMixin, ScopedListView, ScopedQuerysetMixin

ERRORS_PER_PAGE = 100
ROWS_PER_PAGE = 100
MAX_LISTED_RENAMES = 500  # ticked on the preview in one go; a ledger renaming more is not a list of renames
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- exports


class ExportListView(ScopedListView):
    model = ExportJob
    filterset_class = ExportJobFilter
    table_class = ExportJobTable
    select_related = ("user__organization",)  # the scope each export held, in its filters column
    page_title = gettext_lazy("Export history")
    template_name = "ledgers/exportjob_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(keep_hours=settings.LEDGER_FILES_KEEP_HOURS, **kwargs)


class ExportDetailView(PageTitleMixin, ScopedQuerysetMixin, DetailView):
    """One export: its progress while it runs (the status part is polled), then its download link."""

    request: AuthenticatedHttpRequest
    model = ExportJob
    template_name = "ledgers/exportjob_detail.html"

    def get_page_title(self) -> Any:
        return _("Export: %(ledger)s") % {"ledger": LEDGERS[self.object.ledger].title}

    def get_template_names(self) -> list[str]:
        if self.request.htmx:
            return ["ledgers/includes/export_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.object
        if job.status == ExportStatus.DONE:
            done = job.row_count
        else:  # the cache is livelier; the row's heartbeat count is there when the cache is not
            done = max(progress.get("export", job.pk) or 0, job.done)
        context.update(job_context(job.status in (ExportStatus.PENDING, ExportStatus.RUNNING), done, job.total))
        # Waiting or quiet too long: its worker died or the broker is down. The sweep starts it again; say so.
        waiting_since = job.heartbeat_at or job.started_at or job.created_at
        context["stalled"] = job.status in (ExportStatus.PENDING, ExportStatus.RUNNING) and (
            waiting_since < exports.stalled_before(timezone.now())
        )
        context["may_retry"] = job.status == ExportStatus.FAILED and job.user_id == self.request.user.pk
        return context


def job_context(running: bool, done: int, total: int) -> dict[str, Any]:
    percent = 100 if not running else (min(99, round(100 * done / total)) if total else 0)
    return {"running": running, "done": done, "total": total, "percent": percent}


class ExportDownloadView(View):
    """A finished export's file, to the user who asked for it (and administrators); to anyone else it does not exist."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
        if job.status == ExportStatus.DONE and job.expires_at and job.expires_at < timezone.now():
            exports.expire_files()
            job.refresh_from_db()
        if job.status != ExportStatus.DONE or not job.file:
            messages.error(request, _("This file is no longer kept. Export the ledger again from its list page."))
            return redirect("ledgers:export_detail", pk=job.pk)
        if not job.masked and job.user_id != request.user.pk:
            audit.record(
                AuditAction.EXPORT,
                actor=request.user,
                obj=job,
                object_repr=str(LEDGERS[job.ledger].title),
                note=_("Downloaded %(user)s's export with full ID numbers and phones.") % {"user": job.user},
            )
        try:
            return exports.download(job)
        except FileNotFoundError:
            raise Http404 from None


# ---------------------------------------------------------------- imports


class ImportListView(ScopedListView):
    model = ImportBatch
    filterset_class = ImportBatchFilter
    table_class = ImportBatchTable
    select_related = ("user",)
    page_title = gettext_lazy("Import history")
    template_name = "ledgers/importbatch_list.html"


class ImportCreateView(RoleRequiredMixin, PageTitleMixin, FormView):
    """Upload a ledger. The request only checks the zip's directory and stores the file; a background job unpacks,
    scans and reads it (within size and time limits) while the page shows its progress, and nothing is saved until
    the user has seen the check and confirmed. Only our side imports (a destination partner does not)."""

    required_right = Right.KEEP_MEMBER_RECORDS
    request: AuthenticatedHttpRequest
    form_class = ImportUploadForm
    template_name = "ledgers/importbatch_form.html"
    page_title = gettext_lazy("Import a ledger")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"ledger": self.request.GET.get("ledger", "members")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(ledgers=importable_ledgers(self.request.user), **kwargs)

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        batch = ImportBatch(
            user=self.request.user,
            ledger=form.cleaned_data["ledger"],
            original_name=PurePath(upload.name).name[:200],
            size=upload.size,
            ip=client_ip(self.request),
        )
        batch.file.save("ledger.xlsx", upload, save=False)
        batch.queued_at = timezone.now()
        batch.save()
        tasks.start(tasks.check_import_task, batch.pk)
        return redirect("ledgers:import_detail", pk=batch.pk)


class ImportDetailView(PageTitleMixin, ScopedQuerysetMixin, DetailView):
    """The check of an uploaded ledger: what it would change and every fault at its row and column, then the confirm
    button; after the import, what it did. While a check or an import runs, the status part is polled."""

    request: AuthenticatedHttpRequest
    model = ImportBatch
    template_name = "ledgers/importbatch_detail.html"

    def get_page_title(self) -> Any:
        return _("Import: %(file)s") % {"file": self.object.original_name}

    def get_template_names(self) -> list[str]:
        if self.request.htmx:
            return ["ledgers/includes/import_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        batch = self.object
        running = batch.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)
        done = (progress.get("import", batch.pk) or 0) if running else batch.total_rows
        context.update(job_context(running, done, batch.total_rows if batch.status == ImportStatus.IMPORTING else 0))
        waiting_since = batch.queued_at or batch.created_at
        context["stalled"] = running and not done and waiting_since < exports.stalled_before(timezone.now())
        context["ledger"] = LEDGERS[batch.ledger]
        context["errors_page"] = Paginator(batch.errors, ERRORS_PER_PAGE).get_page(self.request.GET.get("page"))
        context["unlisted"] = max(batch.error_count - len(batch.errors), 0)
        context["is_owner"] = batch.user_id == self.request.user.pk
        context["confirm_form"] = ConfirmImportForm()
        context["importable_rows"] = batch.total_rows - batch.error_rows
        if batch.status in (ImportStatus.CHECKED, ImportStatus.DONE):
            rows = ImportRow.objects.filter(batch=batch).order_by("row")
            page = Paginator(rows, ROWS_PER_PAGE).get_page(self.request.GET.get("rows"))
            for row in page:
                # A display attribute for the preview template, not a field: the model does not declare it.
                row.described = [  # type: ignore[attr-defined]
                    change for object_type, changes in row.changes.items() for change in describe(object_type, changes)
                ]
            context["rows_page"] = page
            context["renames"] = list(rows.filter(needs_confirmation=True)[:MAX_LISTED_RENAMES])
            for row in context["renames"]:
                row.renamed_from = (row.changes.get("members.member", {}).get("name") or [""])[0]
        return context


def describe(object_type: str, changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, old, new) of a preview row's changes, read as the audit log reads them."""
    return audit.describe_changes(object_type, changes)


def _own_batch(request: AuthenticatedHttpRequest, pk: int) -> ImportBatch:
    """Only the user who uploaded a ledger confirms or discards it: the import acts within their scope."""
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user).filter(user=request.user), pk=pk)
    if not LEDGERS[batch.ledger].may_import(request.user):
        raise PermissionDenied(_("Your role does not include importing this ledger."))
    return batch


class ImportConfirmView(View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        batch = _own_batch(request, pk)
        waiting = dict(
            ImportRow.objects.filter(batch=batch, needs_confirmation=True).values_list("row", "pk")[:MAX_LISTED_RENAMES]
        )
        form = ConfirmImportForm(request.POST, renames=list(waiting))
        valid = form.is_valid()
        valid_only = valid and form.cleaned_data["valid_only"]
        ticked = [waiting[row] for row in form.cleaned_data["renames"]] if valid else []
        try:
            confirmed = imports.confirm(batch, valid_only=valid_only, renames=ticked)
        except imports.ConfirmRefused as refused:
            messages.error(request, str(refused))
            return redirect("ledgers:import_detail", pk=pk)
        if not confirmed:
            messages.info(request, _("This ledger is no longer waiting for confirmation."))
        return redirect("ledgers:import_detail", pk=pk)


class ImportRetryView(View):
    """Start a failed check or import again, from the uploaded file (the “Try again” button)."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        batch = _own_batch(request, pk)
        if imports.retry(batch):
            messages.success(request, _("The ledger is being processed again."))
        else:
            messages.info(request, _("This ledger cannot be tried again. Upload it again from the import page."))
        return redirect("ledgers:import_detail", pk=pk)


class ExportRetryView(View):
    """Start a failed export again (the “Try again” button), for the user who asked for it."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        job = get_object_or_404(ExportJob.objects.visible_to(request.user).filter(user=request.user), pk=pk)
        if exports.retry(job):
            messages.success(request, _("The export starts again."))
        else:
            messages.info(request, _("This export has not failed: there is nothing to try again."))
        return redirect("ledgers:export_detail", pk=job.pk)


class ImportDiscardView(View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        batch = _own_batch(request, pk)
        if ImportBatch.objects.filter(pk=pk, status=ImportStatus.CHECKED).update(status=ImportStatus.CANCELLED):
            batch.file.delete(save=False)
            batch.marked_file.delete(save=False)
            ImportBatch.objects.filter(pk=pk).update(file="", marked_file="")
            messages.success(request, _("The uploaded ledger was discarded; nothing was imported."))
        return redirect("ledgers:import_list")


class ImportMarkedView(View):
    """The uploaded workbook with its faulty cells marked, to whoever may see the import."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
        batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
        if not batch.marked_file:
            raise Http404
        try:
            handle = batch.marked_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = _("%(name)s (faults marked)") % {"name": PurePath(batch.original_name).stem}
        response = FileResponse(handle, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX)
        response["Cache-Control"] = "private, no-store"
        return response


class ImportTemplateView(View):
    """The empty ledger to fill in, in the official column order, with a sheet saying what each column takes."""

    def get(self, request: AuthenticatedHttpRequest, ledger: str) -> FileResponse:
        definition = LEDGERS.get(ledger)
        if definition is None or not definition.importable:
            raise Http404
        if not definition.may_import(request.user):
            raise PermissionDenied(_("Your role does not include importing this ledger."))
        buffer = io.BytesIO()
        imports.template_workbook(definition, buffer)
        buffer.seek(0)
        name = _("%(ledger)s (import template)") % {"ledger": definition.title}
        return FileResponse(buffer, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX)
