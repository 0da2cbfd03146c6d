"""Benchmark: how long the main pages take, and how many queries they run, at a given county size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanshan_bench \\
        .venv/bin/python benchmarks/pages.py --members 100000

Builds the demo county at that size (unless --keep and it is already there), then renders each
page several times per role through Django's test client and prints the median time and the
query count. A figure to watch, not a pass/fail test: the query counts must not grow with size.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanshan_party.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the data already in the database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from activities.models import Activity, Attendance
    from lanshan_party.models import User
    from members.models import Member

    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if not (args.keep and Member.objects.count() >= args.members):
        started = time.perf_counter()
        call_command("load_demo", allow_production=True, reset=True, members=args.members, verbosity=0)
        print(f"load_demo --members {args.members}: {time.perf_counter() - started:.1f} s")

    vendor = connection.vendor
    print(
        f"database: {vendor}, members: {Member.objects.count()}, activities: {Activity.objects.count()}, "
        f"attendance: {Attendance.objects.count()}"
    )
    pages = [
        ("home", "/"),
        ("member list", "/members/"),
        ("member list, lost", "/members/?status=lost"),
        ("member list, name search", "/members/?q=李"),
        ("member list, sorted by destination", "/members/?sort=-destination"),
        ("member list, page 20", "/members/?page=20"),
        ("organization tree", "/organizations/"),
        ("member detail", "/members/{member}/"),  # a member with outflows whom the role can see
        ("dashboard", "/dashboard/"),
        ("activity list", "/activities/"),
        ("activity edit with attendance", "/activities/{activity}/edit/"),
        ("six-month warnings", "/activities/warnings/"),
        ("six-month warnings, 6+", "/activities/warnings/?level=6"),
        ("red packages", "/activities/red-packages/"),
        ("agreements", "/organizations/agreements/"),
        ("service cases", "/services/"),
    ]
    print(f"{'role':10s} {'page':36s} {'median ms':>10s} {'queries':>8s}")
    for username in ("admin", "township", "secretary", "branch"):
        user = User.objects.get(username=username)
        # As nginx forwards a request: over HTTPS (with production settings a plain request only meets the redirect).
        client = Client(secure=True, HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        member = Member.objects.visible_to(user).filter(outflows__isnull=False).order_by("id").first()
        activity = Activity.objects.visible_to(user).with_attendance().order_by("-recorded").first()
        for label, url in pages:
            url = url.format(member=member.pk, activity=activity.pk if activity else 0)
            timings, queries = [], 0
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
                queries = len(captured)
            status = "" if response.status_code == 200 else f" (HTTP {response.status_code})"
            print(f"{username:10s} {label:36s} {statistics.median(timings) * 1000:10.0f} {queries:8d}{status}")


if __name__ == "__main__":
    main()
