"""Export a ledger from the command line, exactly as its list page would for the given user and filters."""

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lanshan_party.ledgers import exports
from lanshan_party.ledgers.definitions import LEDGERS
from lanshan_party.models import ExportJob, ExportStatus, LedgerFormat, User


class Command(BaseCommand):
    help = (
        "Export a ledger to a file: the rows the ledger's list page shows the user, with the same filters and sort "
        "(--query, as in the page's address), masked unless --full. Recorded in the export history and audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ledger", choices=sorted(LEDGERS), help="which ledger")
        parser.add_argument("--user", required=True, help="username whose scope and rights the export has")
        parser.add_argument(
            "--query", default="", help='filters and sort as in the list page address, e.g. "status=lost&sort=name"'
        )
        parser.add_argument("--format", choices=LedgerFormat.values, default=LedgerFormat.XLSX)
        parser.add_argument(
            "--full", action="store_true", help="full ID numbers and phones (needs a user who may reveal)"
        )
        parser.add_argument("--reason", default="", help="why full personal data is needed (required with --full)")
        parser.add_argument("--output", "-o", help="file to write (default: <ledger>-<date>.<format> here)")

    def handle(self, *args: Any, **options: Any) -> None:
        ledger = LEDGERS[options["ledger"]]
        try:
            user = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user {options['user']!r}.") from None
        if options["full"]:
            if not user.may_reveal:
                raise CommandError(f"{user.username} may not see full personal data: export without --full.")
            if len(options["reason"].strip()) < 4:
                raise CommandError("Give the reason for full personal data with --reason (at least 4 characters).")
        output = Path(options["output"] or f"{ledger.key}-{timezone.localtime():%Y%m%d-%H%M}.{options['format']}")
        job = ExportJob.objects.create(
            user=user,
            ledger=ledger.key,
            format=options["format"],
            source=reverse(ledger.list_url),
            query=options["query"].lstrip("?"),
            masked=not options["full"],
            reason=options["reason"].strip(),
            status=ExportStatus.RUNNING,
            started_at=timezone.now(),
        )
        started = time.monotonic()

        def progress(done: int) -> None:
            sys.stderr.write(f"\r{done} rows")
            sys.stderr.flush()

        try:
            with output.open("wb") as target:
                job.row_count = exports.write(job, target, on_progress=progress)
        except Exception as error:
            ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=str(error)[:300])
            raise
        with transaction.atomic():
            job.status = ExportStatus.DONE
            job.finished_at = timezone.now()
            job.save()
            exports.record(job)
        sys.stderr.write("\n")
        self.stdout.write(f"{job.row_count} rows written to {output} in {time.monotonic() - started:.1f} s")
