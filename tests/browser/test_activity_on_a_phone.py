"""On a phone, with the internet cut off: a secretary logs an activity with attendance, and the dashboard draws its charts."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity, Attendance
from members import actions
from tests.browser.conftest import OfflinePage, sign_in
from tests.factories import ActivityFactory, MemberFactory, attend


@pytest.mark.django_db(transaction=True)
def test_a_secretary_logs_an_activity_on_a_phone_and_the_members_last_life_date_changes(
    county, live_server, phone_page, password
):
    colleague = MemberFactory(name="钟志强", home_branch=county.chengdong)
    actions.register_outflow(
        colleague,
        by=county.admin,
        departure_date=datetime.date(2025, 5, 1),
        province="广东省",
        city="广州市",
        district="花都区",
    )
    attend(
        ActivityFactory(organization=county.huadu, date=datetime.date(2026, 1, 10)),
        (county.yuan, "present"),
        by=county.secretary,
    )
    day = timezone.localdate() - datetime.timedelta(days=2)
    page = phone_page.page

    sign_in(phone_page, live_server, "secretary", password)
    page.goto(f"{live_server.url}/members/{county.yuan.pk}/")
    assert page.locator("[data-testid=last-life]").inner_text() == "2026-01-10"

    page.click(".navbar-toggler")
    page.click("nav >> text=组织生活")
    page.click("nav >> a[href='/activities/new/']")
    page.wait_for_url("**/activities/new/")
    page.select_option("#id_type", "theme_day")
    page.check("input[name=theme_parts][value=lesson]")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_topic", "学习贯彻党的二十届四中全会精神")
    page.fill("#id_place", "花都区新华街道流动党员驿站")
    assert page.locator(".attendance-row").count() == 2  # 袁芳伟 and 钟志强, both away under Huadu
    page.click("#all-present")
    page.click(f"label[for=att-{colleague.pk}-excused]")
    assert "出席 1" in page.locator("#attendance-tally").inner_text()
    assert "请假 1" in page.locator("#attendance-tally").inner_text()
    phone_page.screenshot("attendance_form_phone")

    page.click("#activity-form [type=submit]")
    page.wait_for_url("**/activities/*/")
    assert "1 / 2" in page.locator("[data-testid=attended]").inner_text()

    page.goto(f"{live_server.url}/members/{county.yuan.pk}/")
    assert page.locator("[data-testid=last-life]").inner_text() == day.isoformat()
    assert "学习贯彻党的二十届四中全会精神" in page.locator("[data-testid=organizational-life]").inner_text()
    activity = Activity.objects.get(topic="学习贯彻党的二十届四中全会精神")
    assert dict(Attendance.objects.filter(activity=activity).values_list("member__name", "status")) == {
        "袁芳伟": "present",
        "钟志强": "excused",
    }
    assert phone_page.blocked == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_dashboard_draws_its_charts_with_every_asset_served_locally(county, live_server, browser, password, size):
    for n, status in enumerate(["present", "online", "absent", "excused"]):
        activity = ActivityFactory(
            organization=county.huadu, date=timezone.localdate() - datetime.timedelta(days=30 * n)
        )
        attend(activity, (county.yuan, status), by=county.admin)
    width, height = (1366, 900) if size == "desktop" else (390, 844)
    page = OfflinePage(browser, width, height)
    try:
        sign_in(page, live_server, "admin", password)
        page.page.goto(f"{live_server.url}/dashboard/")
        page.page.wait_for_selector("[data-chart=months][data-rendered='1'] svg")
        charts = page.page.locator("[data-chart]")
        assert charts.count() >= 6
        for i in range(charts.count()):
            assert charts.nth(i).get_attribute("data-rendered") == "1"
            assert charts.nth(i).locator("svg").count() == 1
        page.page.hover("[data-chart=months] svg")  # the tooltip is HTML the policy must not refuse
        page.page.click("[data-testid=chart-provinces] .chart-table-toggle")
        table = page.page.locator("#table-provinces")
        table.wait_for(state="visible")
        assert "广东省" in table.inner_text()
        page.screenshot(f"dashboard_{size}")
        assert page.blocked == []
    finally:
        page.close()
