"""Ledgers in the system Chromium with the internet cut off: an administrator filters the member list, exports it,
watches the progress bar, downloads the file; and uploads a faulty ledger and sees its faults."""

import datetime
import io
import time

import openpyxl
import pytest

from lanshan_party.ledgers import exports
from members.models import Member
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory
from tests.ledgers.workbooks import faulty_ledger


@pytest.mark.django_db(transaction=True)
def test_an_administrator_filters_members_exports_watches_the_progress_and_downloads_the_ledger(
    county, live_server, offline_page, password, settings, monkeypatch
):
    for n in range(40):
        MemberFactory(
            name=f"花果村党员{n:02d}",
            home_branch=county.huaguo,
            birth_date=datetime.date(1970, 1, 1) + datetime.timedelta(days=n),
        )
    for n in range(5):
        MemberFactory(name=f"城东党员{n}", home_branch=county.chengdong)
    settings.LEDGER_EXPORT_SYNC_ROWS = 10  # 41 rows: a background job with a progress bar

    real_write = exports.write_xlsx

    def paced(target, *, rows, every=1000, **kwargs):
        """The real writer, slowed down so that the progress bar has time to show."""

        def slowly():
            for row in rows:
                time.sleep(0.1)
                yield row

        return real_write(target, rows=slowly(), every=5, **kwargs)

    monkeypatch.setattr(exports, "write_xlsx", paced)
    page = offline_page.page
    sign_in(offline_page, live_server, "admin", password)

    page.goto(f"{live_server.url}/members/")
    page.select_option("#id_organization", str(county.huaguo.pk))
    page.wait_for_url(f"**organization={county.huaguo.pk}**")
    # Predicates are functions, not expressions: Playwright evaluates an expression with eval, which the
    # Content-Security-Policy refuses.
    page.wait_for_function(
        "() => document.querySelectorAll('#table-container tbody tr').length === 41"
        " || document.body.innerText.includes('41')"
    )
    page.click("[data-testid=export-menu]")
    offline_page.screenshot("ledger_export_menu")
    page.click("[data-testid=export-xlsx]")

    page.wait_for_url("**/ledgers/exports/*/")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=progress]')?.getAttribute('aria-valuenow')) > 0"
    )
    offline_page.screenshot("ledger_export_progress")
    page.wait_for_selector("[data-testid=download]", timeout=30_000)
    offline_page.screenshot("ledger_export_done")
    with page.expect_download() as download_info:
        page.click("[data-testid=download]")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")

    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    sheet = book.active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted([f"花果村党员{n:02d}" for n in range(40)] + ["袁芳伟"])
    assert county.huaguo.display_name in sheet["A1"].value
    assert "城东党员0" not in names and "马云" not in names
    assert sheet.freeze_panes == "A3"

    page.goto(f"{live_server.url}/ledgers/exports/")
    assert page.locator("[data-testid=export-history] tbody tr").count() == 1
    offline_page.screenshot("ledger_export_history")
    assert offline_page.blocked == []


@pytest.mark.django_db(transaction=True)
def test_an_upload_of_a_faulty_ledger_shows_every_fault_and_imports_nothing_until_told(
    county, live_server, offline_page, password, tmp_path
):
    data, expected = faulty_ledger(county)
    path = tmp_path / "流动党员台账（有错）.xlsx"
    path.write_bytes(data)
    page = offline_page.page
    members_before = Member.objects.count()
    sign_in(offline_page, live_server, "admin", password)

    page.goto(f"{live_server.url}/ledgers/imports/new/")
    offline_page.screenshot("ledger_import_form")
    page.set_input_files("#id_file", str(path))
    page.click("main form [type=submit]")

    page.wait_for_selector("[data-testid=faults]")
    faults = page.locator("[data-testid=faults] tbody tr")
    assert faults.count() >= len(expected)
    text = page.locator("[data-testid=faults]").inner_text()
    assert "1988-13-40" in text and "公民身份号码" in text and "中共蓝山县驻火星流动党员支部委员会" in text
    assert page.locator("[data-testid=fault-rows]").inner_text() == str(len(expected))
    offline_page.screenshot("ledger_import_faults")
    assert Member.objects.count() == members_before

    page.click("[data-testid=confirm]")  # without ticking "valid rows only": refused, nothing imported
    page.wait_for_selector(".alert-danger")
    assert Member.objects.count() == members_before

    page.check("#id_valid_only")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=import-done]")
    offline_page.screenshot("ledger_import_done")
    assert Member.objects.count() == members_before + 3
    assert offline_page.blocked == []
