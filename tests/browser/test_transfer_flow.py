"""In the system Chromium, offline: a branch secretary transfers a member out, the township returns it once, the
county issues the letter, it prints on A4, the receipt comes back and the member is off the roll."""

import datetime
import shutil

import pytest

from members.models import Member, Standing
from tests.browser.conftest import OfflinePage, sign_in
from tests.factories import MemberFactory
from transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.browser


def _as(browser, live_server, username: str, password: str) -> OfflinePage:
    page = OfflinePage(browser, 1366, 900)
    sign_in(page, live_server, username, password)
    return page


def _step(page: OfflinePage, live_server, transfer: Transfer, step: str, note: str = "") -> None:
    page.page.goto(f"{live_server.url}/transfers/{transfer.pk}/")
    page.page.click(f"[data-testid=transfer-actions] a[href$='/{step}/']")
    if note:
        page.page.fill("#id_note", note)
    page.page.click("main form [type=submit]")
    page.page.wait_for_url(f"**/transfers/{transfer.pk}/")


@pytest.mark.django_db(transaction=True)
def test_a_transfer_goes_from_the_branch_to_the_county_prints_and_its_receipt_takes_the_member_off_the_roll(
    county,
    live_server,
    browser,
    password,
    tmp_path,
):
    MemberFactory(name="欧阳建华", home_branch=county.huaguo, birth_date=datetime.date(1979, 10, 3))
    branch = _as(browser, live_server, "branch", password)
    page = branch.page

    page.click("nav a.dropdown-toggle:has-text('党员')")  # the members' pages are under 党员 in the menu
    page.click("nav >> a[href='/transfers/']")
    page.click("a[href='/transfers/out/new/']")
    page.fill("#id_member", "欧阳")
    page.click(".pick-results .pick")
    page.fill("#id_other_org", "中共广州市花都区新华街道三东社区委员会")
    page.select_option("#id_other_province", "广东省")
    page.fill("#id_other_city", "广州市")
    page.fill("#id_contact", "王主任")
    page.fill("#id_dues_paid_until", "2026-04")
    page.fill("#id_reason", "在花都区定居")
    page.click("main form [type=submit]")
    page.wait_for_url("**/transfers/*/")
    transfer = Transfer.objects.get(name="欧阳建华")
    _step(branch, live_server, transfer, "submit")

    township = _as(browser, live_server, "township", password)
    _step(township, live_server, transfer, "return", "党费交至月份应为2026年5月，请核对")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RETURNED

    page.goto(f"{live_server.url}/transfers/{transfer.pk}/")
    assert "党费交至月份应为2026年5月" in page.locator("[data-testid=return-reason]").inner_text()
    page.click("[data-testid=transfer-actions] a[href$='/edit/']")
    page.fill("#id_dues_paid_until", "2026-05")
    page.fill("#id_note", "已按乡镇意见核对党费")
    page.click("main form [type=submit]")
    page.wait_for_url(f"**/transfers/{transfer.pk}/")
    _step(branch, live_server, transfer, "submit")
    _step(township, live_server, transfer, "approve", "情况属实")

    county_page = _as(browser, live_server, "county", password)
    _step(county_page, live_server, transfer, "approve", "同意转出")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ISSUED and transfer.letter_number == 1
    history = county_page.page.locator("[data-testid=transfer-history]").inner_text()
    for note in ("党费交至月份应为2026年5月", "已按乡镇意见核对党费", "情况属实", "同意转出", transfer.letter_code):
        assert note in history

    county_page.page.click("[data-testid=transfer-actions] a[href$='/print/']")
    county_page.page.wait_for_url(f"**/transfers/{transfer.pk}/print/")
    letter = county_page.page.locator("[data-testid=letter]")
    assert transfer.letter_code in letter.inner_text() and "2026" in letter.inner_text()
    assert transfer.masked_id_number in letter.inner_text() and transfer.id_number not in letter.inner_text()
    county_page.page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, as the printer sees it
    county_page.page.emulate_media(media="print")
    assert not county_page.page.locator(".letter-toolbar").is_visible()  # the print stylesheet hides the buttons
    shot = tmp_path / "transfer_print.png"
    county_page.page.screenshot(path=str(shot), full_page=True)
    shutil.copyfile(shot, "/tmp/transfer_print.png")
    pdf = county_page.page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # the three parts fit on one sheet
    county_page.page.emulate_media(media="screen")

    _receipt(branch, live_server, transfer)
    member = Member.objects.get(name="欧阳建华")
    assert member.standing == Standing.TRANSFERRED_OUT
    page.goto(f"{live_server.url}/members/")
    assert page.locator("table >> text=欧阳建华").count() == 0
    assert page.locator("table >> text=袁芳伟").count() == 1  # the roll itself is still listed
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone the transfer page fits the screen's width
    for url in (f"/transfers/{transfer.pk}/", "/transfers/", "/transfers/box/?box=unfinished"):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
    page.goto(f"{live_server.url}/transfers/{transfer.pk}/")
    page.screenshot(path=str(tmp_path / "transfer_on_a_phone.png"), full_page=True)
    shutil.copyfile(tmp_path / "transfer_on_a_phone.png", "/tmp/transfer_on_a_phone.png")
    for each in (branch, township, county_page):
        assert each.blocked == []
        each.close()


def _receipt(page: OfflinePage, live_server, transfer: Transfer) -> None:
    page.page.goto(f"{live_server.url}/transfers/{transfer.pk}/")
    page.page.click("[data-testid=transfer-actions] a[href$='/receipt/']")
    page.page.fill("#id_receiving_org", "中共广州市花都区新华街道三东社区委员会")
    page.page.click("main form [type=submit]")
    page.page.wait_for_url(f"**/transfers/{transfer.pk}/")
