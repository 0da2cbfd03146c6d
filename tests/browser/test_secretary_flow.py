"""A branch secretary, in the system Chromium with the internet cut off, records a departure."""

import datetime

import pytest

from members.models import Member, OutflowStatus
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory


@pytest.mark.django_db(transaction=True)
def test_a_secretary_finds_a_member_registers_a_departure_and_sees_it_on_the_timeline(
    county, live_server, offline_page, password
):
    member = MemberFactory(name="李建浩", home_branch=county.huaguo, birth_date=datetime.date(1973, 4, 6))
    page = offline_page.page

    sign_in(offline_page, live_server, "branch", password)
    page.click("nav a.dropdown-toggle:has-text('党员')")  # the members' pages are under 党员 in the menu
    page.click("nav >> a[href='/members/']")
    page.fill("#id_q", "李建")
    page.press("#id_q", "Enter")
    page.wait_for_selector("table >> text=李建浩")
    assert page.locator("table >> text=马云").count() == 0  # outside the branch: never listed
    page.click("table >> text=李建浩")
    page.wait_for_url(f"**/members/{member.pk}/")

    page.click(f"a[href='/members/{member.pk}/depart/']")
    page.fill("#id_departure_date", "2026-03-01")
    page.select_option("#id_province", "广东省")
    page.fill("#id_city", "深圳市")
    page.fill("#id_district", "宝安区")
    page.fill("#id_employer", "深圳恒发电子有限公司")
    page.fill("#id_note", "春节后外出务工")
    page.click("main form [type=submit]")
    page.wait_for_url(f"**/members/{member.pk}/")

    timeline = page.locator("[data-testid=timeline]")
    assert "广东省深圳市宝安区" in page.locator("[data-testid=current-outflow]").inner_text()
    assert "春节后外出务工" in timeline.inner_text()
    assert "2026-03-01" in timeline.inner_text()
    member.refresh_from_db()
    assert member.current_outflow.status == OutflowStatus.REGISTERED
    assert offline_page.blocked == []  # every asset came from the application itself
    offline_page.screenshot("member_detail_after_departure")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_main_pages_render_offline_at_desktop_and_phone_width(county, live_server, browser, password, size):
    from tests.browser.conftest import OfflinePage

    for n in range(12):
        MemberFactory(name=f"测试党员{n:02d}", home_branch=county.huaguo if n % 2 else county.chengdong)
    width, height = (1366, 900) if size == "desktop" else (390, 844)
    page = OfflinePage(browser, width, height)
    try:
        sign_in(page, live_server, "admin", password)
        for name, url in [
            ("member_list", "/members/"),
            ("member_detail", f"/members/{county.yuan.pk}/"),
            ("organization_tree", "/organizations/"),
        ]:
            response = page.page.goto(f"{live_server.url}{url}")
            assert response.status == 200
            # Bootstrap's CSS really loaded (the navbar is styled), from localhost only.
            assert page.page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "flex"
            page.screenshot(f"{name}_{size}")
        assert page.blocked == []
        assert Member.objects.count() == 15
    finally:
        page.close()
