"""Benchmark: exporting the member ledger and importing one, at a given county size.

    createdb -h 127.0.0.1 -U postgres lanshan_ledgers_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanshan_ledgers_bench \\
        .venv/bin/python benchmarks/ledgers.py --members 100000

Builds the demo county at that size (unless --keep and it is already there), then, each in a fresh process so that
its peak memory is its own:

- the export of every member as the administrator sees them (the member list page's queryset, streamed from the
  database, decrypted, masked, written): time, rows per second, peak memory;
- the same rows, read into a plain Python list first, written by bare openpyxl in write-only mode: the same figures.
  The ratio of the two times is the figure to watch (target: the export within 1.3 times the bare writer; its
  peak memory under 150 MB whatever the number of rows);
- the import of a ledger of --import-rows new members with their outflows: the check (preview), then the import.

Figures to watch, not a pass/fail test.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanshan_party.settings")


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def peak_mb() -> float:
    """This process's own peak resident memory. (getrusage's ru_maxrss would not do: Linux carries it over from
    the parent across exec.)"""
    return _status_mb("VmHWM")


def rss_mb() -> float:
    return _status_mb("VmRSS")


def setup() -> None:
    import django

    django.setup()


def export_job(masked: bool = True):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from lanshan_party.models import ExportJob, ExportStatus, User

    admin = User.objects.get(username="admin")
    return ExportJob.objects.create(
        user=admin,
        ledger="members",
        source=reverse("members:member_list"),
        masked=masked,
        reason="" if masked else "性能测试",
        status=ExportStatus.RUNNING,
    )


# ---------------------------------------------------------------- the measurements, each run in its own process


def measure_export() -> dict:
    setup()
    from lanshan_party.ledgers import exports

    job = export_job()
    before = rss_mb()
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        rows = exports.write(job, target)
        seconds = time.perf_counter() - started
        size = target.tell()
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_mb(), "start_mb": before, "bytes": size}


def measure_bare() -> dict:
    setup()
    import openpyxl
    from django.conf import settings
    from django.utils import translation

    from lanshan_party.ledgers import exports
    from members.ledgers import MEMBERS

    job = export_job()
    rows_qs, _filters = exports.source_rows(job)
    with translation.override(settings.LANGUAGE_CODE):
        row = MEMBERS.row_function(masked=True)
        rows = [row(obj, number) for number, obj in enumerate(rows_qs.iterator(chunk_size=2000), 1)]
    headers = [column.header for column in MEMBERS.columns]
    before = rss_mb()
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(str(MEMBERS.title))
        sheet.append(headers)
        for values in rows:
            sheet.append(values)
        workbook.save(target)
        seconds = time.perf_counter() - started
        size = target.tell()
    return {"rows": len(rows), "seconds": seconds, "peak_mb": peak_mb(), "start_mb": before, "bytes": size}


def measure_import(rows: int) -> dict:
    setup()
    from django.core.files import File

    from lanshan_party.ledgers import imports
    from lanshan_party.models import ImportBatch, ImportStatus, User
    from members.models import Member

    admin = User.objects.get(username="admin")
    path = Path(tempfile.gettempdir()) / f"ledger-bench-{os.getpid()}.xlsx"
    write_import_ledger(path, rows)
    members_before = Member.objects.count()
    batch = ImportBatch(user=admin, ledger="members", original_name=path.name, size=path.stat().st_size)
    with path.open("rb") as file:
        batch.file.save("ledger.xlsx", File(file), save=False)
    batch.save()
    started = time.perf_counter()
    imports.check(batch.pk)
    check_seconds = time.perf_counter() - started
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and not batch.error_rows, (batch.message, batch.errors[:5])
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)
    started = time.perf_counter()
    status = imports.run(batch.pk)
    import_seconds = time.perf_counter() - started
    created = Member.objects.count() - members_before
    # The same file again: every row matched by ID number, nothing to change.
    again = ImportBatch(user=admin, ledger="members", original_name=path.name)
    with path.open("rb") as file:
        again.file.save("ledger.xlsx", File(file), save=False)
    again.save()
    started = time.perf_counter()
    imports.check(again.pk)
    recheck_seconds = time.perf_counter() - started
    again.refresh_from_db()
    path.unlink()
    Member.objects.filter(name__startswith=PREFIX).delete()  # leave the county as it was for the next run
    return {
        "rows": rows,
        "status": status,
        "created": created,
        "check_seconds": check_seconds,
        "import_seconds": import_seconds,
        "recheck_seconds": recheck_seconds,
        "unchanged_again": again.unchanged_count,
        "peak_mb": peak_mb(),
    }


PREFIX = "基准测试党员"


def write_import_ledger(path: Path, rows: int) -> None:
    """A ledger of new members (ID numbers of births in 1940-1949, which the demo county does not use), away in the
    places the county's flowing organizations are, in the customary columns."""
    import datetime

    from stdnum.cn import ric

    from lanshan_party.ledgers.xlsx import write_xlsx
    from members.ledgers import MEMBERS
    from organizations.models import Organization

    branches = list(Organization.objects.home_branches().active().values_list("name", flat=True))
    flowing = list(Organization.objects.flowing().active().values_list("name", "province", "city", "district"))
    headers = [column.header for column in MEMBERS.columns]

    def values(n: int) -> list:
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=n // 400)
        body = f"431127{birth:%Y%m%d}{(n % 400) * 2 + 1:03d}"[:17]
        id_number = body + ric.calc_check_digit(body + "?")
        org, province, city, district = flowing[n % len(flowing)]
        row = {
            "序号": n + 1,
            "姓名": f"{PREFIX}{n}",
            "性别": "男",
            "民族": "汉族",
            "出生日期": birth,
            "公民身份号码": id_number,
            "学历": "高中",
            "入党时间": birth + datetime.timedelta(days=365 * 25),
            "转正时间": birth + datetime.timedelta(days=365 * 26),
            "党员类别": "正式党员",
            "组织关系所在党支部": branches[n % len(branches)],
            "联系电话": f"187{n:08d}",
            "外出时间": datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 1500),
            "外出地点（省）": province,
            "外出地点（市）": city,
            "外出地点（县区）": district,
            "流动范围": "跨省" if province != "湖南省" else "县外省内",
            "外出原因": "务工",
            "工作单位": f"测试工厂{n % 97}",
            "所属在外流动党组织": org,
            "流入地联系电话": f"135{n:08d}",
            "组织关系是否转出": "否",
            "流动状态": ("已报到", "已登记", "失联")[n % 3],
        }
        return [row.get(header) for header in headers]

    with path.open("wb") as target:
        write_xlsx(
            target,
            title="性能测试台账",
            sheet="流动党员台账",
            columns=MEMBERS.sheet_columns(),
            rows=(values(n) for n in range(rows)),
        )


# ---------------------------------------------------------------- orchestration


def run_child(what: str, *extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", what, *extra],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"{what} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data already in the database")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        figures = {"export": measure_export, "bare": measure_bare}.get(args.measure)
        result = figures() if figures else measure_import(args.import_rows)
        print(json.dumps(result))
        return

    setup()
    from django.core.management import call_command
    from django.db import connection

    from members.models import Member

    call_command("migrate", verbosity=0)
    if not (args.keep and Member.objects.count() >= args.members):
        started = time.perf_counter()
        call_command("load_demo", allow_production=True, reset=True, members=args.members, verbosity=0)
        print(f"load_demo --members {args.members}: {time.perf_counter() - started:.1f} s")
    print(f"database: {connection.vendor}, members: {Member.objects.count()}")
    connection.close()

    export = run_child("export")
    bare = run_child("bare")
    print()
    print(
        f"{'member ledger, ' + str(export['rows']) + ' rows':42s} {'seconds':>8s} {'rows/s':>8s} {'peak MB':>8s} {'MB at start':>11s} {'file MB':>8s}"
    )
    for label, figures in (
        ("export (database → masked xlsx)", export),
        ("bare openpyxl write-only, from a list", bare),
    ):
        print(
            f"{label:42s} {figures['seconds']:8.1f} {figures['rows'] / figures['seconds']:8.0f} "
            f"{figures['peak_mb']:8.0f} {figures['start_mb']:11.0f} {figures['bytes'] / 1e6:8.1f}"
        )
    print(f"export time / bare writer time: {export['seconds'] / bare['seconds']:.2f} (target ≤ 1.3)")
    print(f"export peak memory: {export['peak_mb']:.0f} MB (target < 150 MB)")

    imported = run_child("import", "--import-rows", str(args.import_rows))
    print()
    rows = imported["rows"]
    print(f"import of {rows} new members with outflows: {imported['status']}, {imported['created']} created")
    print(f"  check (preview):      {imported['check_seconds']:7.1f} s  {rows / imported['check_seconds']:7.0f} rows/s")
    print(
        f"  import (check+write): {imported['import_seconds']:7.1f} s  {rows / imported['import_seconds']:7.0f} rows/s"
    )
    print(
        f"  the same file again:  {imported['recheck_seconds']:7.1f} s  {imported['unchanged_again']} rows unchanged"
        f" · peak memory {imported['peak_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
