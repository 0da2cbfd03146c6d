"""Run every reminder sweep once and send what is due: for cron, or for a newcomer without a Celery beat."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lanshan_party import notifications


class Command(BaseCommand):
    help = (
        "Run every reminder sweep once (census campaigns, six-month rule, certificate checks, transfer prompts, "
        "agreement renewals), then send the notifications that are due. Safe to run any number of times."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Sweep as if today were this date.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = notifications.sweep_all(options["today"])
        for name, count in written.items():
            self.stdout.write(f"{name:20s} {count}")
