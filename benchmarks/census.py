"""Benchmark: opening a census campaign over a whole county of members creates its tasks in bulk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanshan_bench \\
        .venv/bin/python benchmarks/census.py --members 100000

Builds the demo county at that size (unless --keep and it is already there), then opens a campaign over
the county committee and prints how long task creation takes and how many queries it runs (bulk inserts
of 5,000 rows, not one query per member), then opens it again (nothing new) and deletes it.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanshan_party.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data already in the database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from lanshan_party.models import User
    from members import census
    from members.models import CensusCampaign, CensusTask, Member
    from organizations.models import Organization, OrgKind

    call_command("migrate", verbosity=0)
    if not (args.keep and Member.objects.count() >= args.members):
        started = time.perf_counter()
        call_command("load_demo", allow_production=True, reset=True, members=args.members, verbosity=0)
        print(f"load_demo --members {args.members}: {time.perf_counter() - started:.1f} s")

    staff = User.objects.get(username="county")
    campaign = CensusCampaign.objects.create(
        name="基准测试摸排", starts_on=datetime.date(2027, 1, 23), ends_on=datetime.date(2027, 2, 20)
    )
    campaign.organizations.add(Organization.objects.get(kind=OrgKind.COUNTY))
    print(f"database: {connection.vendor}, members: {Member.objects.count()}")
    try:
        for attempt in ("first opening", "opening again"):
            with transaction.atomic():  # the reminder sweep it triggers runs after commit: timed apart
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    created = census.open_campaign(campaign, by=staff)
                    seconds = time.perf_counter() - started
                committed = time.perf_counter()
            sweep = time.perf_counter() - committed
            inserts = sum(1 for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("INSERT"))
            print(
                f"{attempt:15s} tasks created {created:7d}  {seconds:6.2f} s  queries {len(captured):4d}"
                f" (of which INSERT {inserts})  {created / seconds if created else 0:8.0f} tasks/s"
                f"  then the reminder sweep: {sweep:.2f} s (in a worker when Redis is configured)"
            )
        print(f"tasks in the campaign: {CensusTask.objects.filter(campaign=campaign).count()}")
    finally:
        campaign.delete()


if __name__ == "__main__":
    main()
