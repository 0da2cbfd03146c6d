"""Load a realistic demo Lanshan County for trying the platform out: every app's registered demo, in order."""

import random
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from lanshan_party import registry
from lanshan_party.demo import DEMO_PASSWORD, People


class Command(BaseCommand):
    help = (
        "Load a realistic demo Lanshan County: the organization tree, 22 flowing organizations with stations, "
        "destination partner organizations, tags, N members with outflows and their timelines, and one account "
        f"per role (password {DEMO_PASSWORD})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=4000, help="Number of members to create (default 4000).")
        parser.add_argument(
            "--seed", type=int, default=431127, help="Random seed, for reproducible data (default 431127)."
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Members per transaction (default 2000).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete existing members, outflows, organizations and demo accounts first, then rebuild.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off (a staging or test deployment). Never on the county's real database: "
            f"the demo accounts' password ({DEMO_PASSWORD}) is published.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total, batch_size = options["members"], options["batch_size"]
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: this looks like a production database. load_demo creates accounts with a published "
                "password, and --reset deletes every member and organization. Nothing was changed. On a staging "
                "or test deployment, add --allow-production."
            )
        if total < 0 or batch_size < 1:
            raise CommandError("--members must be 0 or more and --batch-size at least 1.")
        started = time.monotonic()
        demos = registry.demos_in_order()
        context = registry.DemoContext(
            # The tree and the members draw from the people's source; what is built on them from the next seed's.
            people=People(random.Random(options["seed"])),
            rng=random.Random(options["seed"] + 1),
            today=timezone.localdate(),
            members=total,
            batch_size=batch_size,
            stdout=self.stdout,
            style=self.style,
        )

        existing = {demo.name: demo.existing() for demo in demos if demo.existing is not None}
        if any(existing.values()):
            if not options["reset"]:
                self.stdout.write(
                    self.style.WARNING(
                        "The database already has "
                        + " and ".join(f"{count} {name}" for name, count in existing.items())
                        + "; nothing was changed. "
                        "Run `manage.py load_demo --reset` to delete them and load the demo county again."
                    )
                )
                return
            self.stdout.write("Deleting existing members, outflows, organizations and demo accounts …")
            with transaction.atomic():
                for demo in reversed(demos):
                    if demo.clear is not None:
                        demo.clear(context)

        for demo in demos:
            demo_started = time.monotonic()
            counts = demo.load(context)
            if options["verbosity"] > 1:
                self.stdout.write(f"{demo.name} in {time.monotonic() - demo_started:.1f}s: {counts}")
        if connection.vendor == "postgresql":
            # Fresh statistics after a bulk load: without them the planner guesses, and guesses badly at size.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Demo county loaded in {time.monotonic() - started:.1f}s."))
