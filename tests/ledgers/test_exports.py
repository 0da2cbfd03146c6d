"""Exporting ledgers from list pages: exactly the rows the page shows (scoped, filtered, sorted, unpaginated), masked
unless an authorized user gives a reason (audited with the row count), small ones at once, large ones as a job with
progress and a history, files kept for a while and only for their owner and the administrators."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lanshan_party.ledgers import exports, progress
from lanshan_party.models import AuditAction, AuditEntry, ExportJob, ExportStatus
from lanshan_party.personal_data import mask_id_number, mask_phone
from members import actions
from members.models import Member
from tests.conftest import login
from tests.factories import ActivityFactory, MemberFactory, attend
from tests.ledgers.workbooks import MEMBER_HEADERS, confirm, download_bytes, latest_batch, read_sheet, upload
from tests.services.factories import ServiceCaseFactory

MEMBERS_URL = "members:member_list"


def export(client, url_name: str = MEMBERS_URL, query: str = "", **data):
    return client.post(reverse(url_name) + (f"?{query}" if query else ""), {"format": "xlsx", **data})


def rows_of(response) -> list[list]:
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith("attachment")
    return read_sheet(download_bytes(response))


def names(sheet: list[list]) -> list[str]:
    return [row[1] for row in sheet[2:]]


@pytest.fixture
def crowd(county):
    """Sixty members at home in 花果村, more than a page of the member list."""
    return [MemberFactory(name=f"花果村党员{n:02d}", home_branch=county.huaguo) for n in range(60)]


def test_an_export_holds_exactly_the_filtered_sorted_rows_of_the_page_without_its_pagination(county, crowd):
    client = login(county.admin)
    page = client.get(reverse(MEMBERS_URL), {"organization": county.huaguo.pk, "sort": "-name"})
    sheet = rows_of(export(client, query=f"organization={county.huaguo.pk}&sort=-name"))

    expected = sorted([m.name for m in crowd] + ["袁芳伟"], reverse=True)
    assert names(sheet) == expected
    assert len(page.context["table"].paginated_rows) == 50 < len(expected)
    assert [row[0] for row in sheet[2:]] == list(range(1, len(expected) + 1))
    assert sheet[1] == MEMBER_HEADERS


def test_the_title_row_says_the_county_the_ledger_the_date_and_the_filters_in_words(county, crowd):
    sheet = rows_of(export(login(county.admin), query=f"organization={county.huaguo.pk}&sort=-name"))
    title = sheet[0][0]
    assert county.committee.name in title
    assert timezone.localdate().isoformat() in title
    assert county.huaguo.display_name in title


def test_personal_data_is_masked_by_default(county):
    sheet = rows_of(export(login(county.admin), query="q=袁芳伟"))
    row = dict(zip(sheet[1], sheet[2], strict=True))
    assert row["公民身份号码"] == mask_id_number(county.yuan.id_number)
    assert row["联系电话"] == mask_phone(county.yuan.phone)
    assert county.yuan.id_number not in str(sheet)


def test_an_authorized_user_exports_full_personal_data_with_a_reason_and_it_is_audited_with_the_row_count(
    county, crowd
):
    response = export(login(county.admin), query=f"organization={county.huaguo.pk}", full="on", reason="上报县委组织部")
    sheet = rows_of(response)
    row = dict(zip(sheet[1], next(r for r in sheet[2:] if r[1] == "袁芳伟"), strict=True))
    assert row["公民身份号码"] == county.yuan.id_number
    assert row["联系电话"] == county.yuan.phone

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == county.admin
    assert entry.changes == {"rows": [None, 61], "masked": [None, False]}
    assert "上报县委组织部" in entry.note and "61" in entry.note


@pytest.mark.parametrize(
    ("persona", "data", "message"),
    [
        pytest.param("township", {"full": "on", "reason": "想看完整号码"}, "无权导出", id="without_the_right"),
        pytest.param("admin", {"full": "on", "reason": ""}, "请说明", id="without_a_reason"),
    ],
)
def test_full_personal_data_is_refused_without_the_right_or_without_a_reason(county, persona, data, message):
    response = export(login(getattr(county, persona)), **data)
    assert response.status_code == 302
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any(message in text for text in shown), shown
    assert not ExportJob.objects.exists() and not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("secretary", ["袁芳伟"], id="the_flowing_organization_secretary"),
        pytest.param("branch", ["袁芳伟"], id="the_branch_secretary"),
        pytest.param("outsider", ["马云"], id="another_villages_secretary"),
        pytest.param("township", ["袁芳伟", "覃文英"], id="the_township_officer"),
    ],
)
def test_a_scoped_users_export_holds_only_their_organizations_members(county, persona, expected):
    assert sorted(names(rows_of(export(login(getattr(county, persona)))))) == sorted(expected)


def test_an_outside_organization_in_the_query_string_exports_nothing_rather_than_its_members(county):
    sheet = rows_of(export(login(county.branch), query=f"organization={county.zongshicun.pk}"))
    assert names(sheet) == []


def test_a_large_export_runs_as_a_job_with_progress_history_and_a_download(
    county, crowd, settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_EXPORT_SYNC_ROWS = 10
    client = login(county.branch)
    with django_capture_on_commit_callbacks(execute=True):
        response = export(client)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == reverse(
        "ledgers:export_detail", args=[job.pk]
    )
    job.refresh_from_db()
    assert (job.status, job.row_count, job.total) == (ExportStatus.DONE, 61, 61)
    assert progress.get("export", job.pk) == 61
    assert job.expires_at > timezone.now() + datetime.timedelta(hours=settings.LEDGER_FILES_KEEP_HOURS - 1)

    detail = client.get(reverse("ledgers:export_detail", args=[job.pk])).content.decode()
    history = client.get(reverse("ledgers:export_list")).content.decode()
    download = client.get(reverse("ledgers:export_download", args=[job.pk]))

    assert (
        reverse("ledgers:export_download", args=[job.pk]) in detail
        and reverse("ledgers:export_download", args=[job.pk]) in history
    )
    assert len(names(rows_of(download))) == 61


def test_a_running_export_shows_its_progress_and_polls(county, crowd):
    job = ExportJob.objects.create(
        user=county.admin,
        ledger="members",
        source="/members/",
        status=ExportStatus.RUNNING,
        total=200,
        started_at=timezone.now(),
    )
    progress.set("export", job.pk, 50)
    response = login(county.admin).get(reverse("ledgers:export_detail", args=[job.pk]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'aria-valuenow="25"' in html and 'hx-trigger="every 1s"' in html
    assert "<nav" not in html  # only the status part, for the poll


def test_an_export_is_for_its_owner_and_the_administrators_only(county, settings):
    settings.LEDGER_EXPORT_SYNC_ROWS = 0
    export(login(county.county_staff), full="on", reason="复核流动党员")
    job = ExportJob.objects.get()
    exports.run(job.pk)  # the test's transaction never commits, so run the job here
    for persona in ("township", "branch", "secretary"):
        client = login(getattr(county, persona))
        assert client.get(reverse("ledgers:export_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("ledgers:export_download", args=[job.pk])).status_code == 404
        assert not client.get(reverse("ledgers:export_list")).context["table"].paginated_rows.data
    response = login(county.admin).get(reverse("ledgers:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=county.admin).exists()  # someone else's full data


def test_an_export_job_delivered_twice_runs_once(county, settings):
    settings.LEDGER_EXPORT_SYNC_ROWS = 0
    export(login(county.admin))
    job = ExportJob.objects.get()
    assert exports.run(job.pk) == ExportStatus.DONE
    assert exports.run(job.pk) == "skipped"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_files_past_their_keeping_time_are_deleted_and_the_download_says_so(county):
    client = login(county.admin)
    export(client)
    job = ExportJob.objects.get()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.get(reverse("ledgers:export_download", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not job.file
    import os

    assert not os.path.exists(path)


def test_the_organization_ledger_exports_the_tree_in_the_official_columns(county):
    sheet = rows_of(export(login(county.admin), "organizations:organization_ledger"))
    assert sheet[1][:5] == ["序号", "组织名称", "组织类别", "组织层级", "上级党组织"]
    rows = {row[1]: row for row in sheet[2:]}
    assert rows[county.huaguo.name][2:5] == ["村党支部", "党支部", county.tafeng.name]
    assert names(sheet)[0] == county.committee.name  # the tree's order


def test_the_activity_ledger_lists_who_attended_each_activity(county):
    activity = ActivityFactory(organization=county.huaguo, topic="三月主题党日", date=datetime.date(2026, 3, 1))
    attend(activity, (county.yuan, "online"), (county.qin, "present"), by=county.admin)
    sheet = rows_of(export(login(county.admin), "activities:activity_list"))
    row = dict(zip(sheet[1], sheet[2], strict=True))
    assert (row["活动主题"], row["现场参加"], row["线上参加"], row["实参加人数"], row["应参加人数"]) == (
        "三月主题党日",
        "覃文英",
        "袁芳伟",
        2,
        2,
    )
    assert row["活动日期"].date() == datetime.date(2026, 3, 1)


def test_the_service_ledger_exports_the_cases_of_the_page(county):
    ServiceCaseFactory(
        organization=county.huadu,
        member=county.yuan,
        beneficiary_name="",
        kind="wage_recovery",
        amount=Decimal("20000.50"),
    )
    sheet = rows_of(export(login(county.secretary), "services:servicecase_list"))
    row = dict(zip(sheet[1], sheet[2], strict=True))
    assert (row["服务对象"], row["服务类别"], row["金额（元）"]) == ("袁芳伟", "追讨欠薪", 20000.5)


def test_a_csv_export_has_the_same_rows(county):
    response = export(login(county.admin), query="q=袁芳伟", format="csv")
    text = download_bytes(response).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(",") == MEMBER_HEADERS and "袁芳伟" in lines[1]
    assert response["Content-Type"].startswith("text/csv")


def _export_queries(client) -> int:
    export(client)
    with CaptureQueriesContext(connection) as captured:
        response = export(client)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_an_export_costs_the_same_queries_for_5_and_for_50_members(county):
    client = login(county.township)

    def grow(to: int) -> None:
        for n in range(len(names(rows_of(export(client)))), to):
            member = MemberFactory(home_branch=county.huaguo)
            if n % 2:
                actions.register_outflow(
                    member,
                    by=county.admin,
                    departure_date=datetime.date(2025, 1, 1),
                    province="广东省",
                    city="广州市",
                    district="花都区",
                )

    grow(5)
    few = _export_queries(client)
    grow(50)
    many = _export_queries(client)
    assert few == many
    assert many <= 25


# ---------------------------------------------------------------- the command line


def test_the_command_exports_a_ledger_in_a_users_scope_with_filters(county, tmp_path):
    output = tmp_path / "members.xlsx"
    call_command("export_ledger", "members", "--user", "branch", "--query", "sort=-name", "--output", str(output))
    book = openpyxl.load_workbook(output)
    assert [row[1] for row in book.active.iter_rows(min_row=3, values_only=True)] == ["袁芳伟"]
    job = ExportJob.objects.get()
    assert (job.status, job.user, job.row_count) == (ExportStatus.DONE, county.branch, 1)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=county.branch).exists()


def test_the_command_refuses_full_personal_data_to_a_user_without_the_right(county, tmp_path):
    with pytest.raises(CommandError, match="may not see full personal data"):
        call_command(
            "export_ledger",
            "members",
            "--user",
            "township",
            "--full",
            "--reason",
            "核对",
            "-o",
            str(tmp_path / "x.xlsx"),
        )
    with pytest.raises(CommandError, match="reason"):
        call_command("export_ledger", "members", "--user", "admin", "--full", "-o", str(tmp_path / "x.xlsx"))


def test_the_command_writes_full_personal_data_for_an_authorized_user(county, tmp_path):
    output = tmp_path / "full.csv"
    call_command(
        "export_ledger",
        "members",
        "--user",
        "admin",
        "--full",
        "--reason",
        "数据迁移核对",
        "--format",
        "csv",
        "-o",
        str(output),
    )
    assert county.yuan.id_number in output.read_text(encoding="utf-8-sig")


FORMULA_NAMES = ['=HYPERLINK("http://evil.example/","点击")', "@SUM(1)", "+1", "-1+2"]


def test_members_named_like_formulas_export_to_xlsx_and_csv_as_harmless_text_with_every_digit(county):
    for name in FORMULA_NAMES:
        MemberFactory(name=name, home_branch=county.huaguo)
    client = login(county.admin)
    query = f"organization={county.huaguo.pk}"

    book = openpyxl.load_workbook(
        io.BytesIO(download_bytes(export(client, query=query, full="on", reason="检查公式注入")))
    )
    csv_text = download_bytes(export(client, query=query, format="csv", full="on", reason="检查公式注入"))

    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    written = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert {"'" + name for name in FORMULA_NAMES} <= written
    members = {m.name: m for m in Member.objects.filter(home_branch=county.huaguo)}
    for row in book.active.iter_rows(min_row=3, values_only=True):
        headers = [c.value for c in book.active[2]]
        record = dict(zip(headers, row, strict=True))
        member = members[record["姓名"].lstrip("'")]
        assert record["公民身份号码"] == member.id_number and len(record["公民身份号码"]) == 18
        assert record["联系电话"] == member.phone
    lines = list(csv.reader(io.StringIO(csv_text.decode("utf-8-sig"))))
    assert not [field for line in lines[1:] for field in line if field.startswith(("=", "+", "-", "@"))]
    assert {line[1] for line in lines[1:]} >= {"'" + name for name in FORMULA_NAMES}


def test_formula_like_names_survive_an_export_and_import_round_trip_exactly(county):
    for name in FORMULA_NAMES:
        MemberFactory(name=name, home_branch=county.huaguo)
    client = login(county.admin)
    data = download_bytes(export(client, query=f"organization={county.huaguo.pk}", full="on", reason="往返核对"))
    upload(client, data)
    batch = latest_batch()
    assert (batch.error_count, batch.updated_count, batch.created_count) == (0, 0, 0), batch.errors
    confirm(client, batch)
    assert set(Member.objects.filter(name__in=FORMULA_NAMES).values_list("name", flat=True)) == set(FORMULA_NAMES)


def test_the_census_result_ledger_holds_the_secretarys_own_answered_tasks_masked(county):
    from members import census
    from members.models import CensusCampaign, CensusTask

    campaign = CensusCampaign.objects.create(
        name="春节摸排", starts_on=datetime.date(2026, 2, 1), ends_on=datetime.date(2026, 3, 1)
    )
    campaign.organizations.add(county.committee)
    census.open_campaign(campaign, by=county.admin)
    census.record_result(
        CensusTask.objects.get(member=county.yuan),
        by=county.secretary,
        contacted=False,
        channel="",
        result="lost",
        lost_cause="other",
        note="电话停机",
    )
    sheet = rows_of(export(login(county.secretary), "members:censustask_list", f"campaign={campaign.pk}"))
    assert [row[2] for row in sheet[2:]] == ["袁芳伟"]  # 马云 and 覃文英 are not Huadu's
    row = dict(zip(sheet[1], sheet[2], strict=True))
    assert (row["是否联系上"], row["核实结果"], row["备注"]) == ("否", "失联", "电话停机")
    assert row["公民身份号码"] == mask_id_number(county.yuan.id_number)
    assert row["联系电话"] == mask_phone(county.yuan.phone)
    everything = rows_of(export(login(county.admin), "members:censustask_list", f"campaign={campaign.pk}"))
    assert len(everything) - 2 == 3


def test_an_export_job_rebuilds_the_pages_rows_through_the_pages_declaration_without_a_request(
    county, crowd, settings, monkeypatch
):
    settings.LEDGER_EXPORT_SYNC_ROWS = 0
    export(login(county.branch), query=f"organization={county.huaguo.pk}&sort=-name")
    job = ExportJob.objects.get()

    import django.http

    def no_request(*args, **kwargs):
        raise AssertionError("an export job must not build a request")

    monkeypatch.setattr(django.http.HttpRequest, "__init__", no_request)
    rows, description = exports.source_rows(job)

    expected = sorted([m.name for m in crowd] + ["袁芳伟"], reverse=True)
    assert [member.name for member in rows] == expected
    assert county.huaguo.name in description


def test_an_export_within_the_request_filters_the_page_once(county, crowd, monkeypatch):
    from members.views import MemberListView

    calls = []
    original = MemberListView.export_rows.__func__

    def counted(cls, user, query):
        calls.append(user)
        return original(cls, user, query)

    monkeypatch.setattr(MemberListView, "export_rows", classmethod(counted))
    rows_of(export(login(county.branch)))

    assert len(calls) == 1
