"""On a phone, with the internet cut off: a secretary answers census tasks and marks a member lost; the county sees it."""

import datetime

import pytest

from members import actions, census
from members.models import CensusCampaign, Member, OutflowStatus
from tests.browser.conftest import OfflinePage, sign_in
from tests.factories import MemberFactory


@pytest.mark.django_db(transaction=True)
def test_a_secretary_answers_census_tasks_on_a_phone_and_the_county_sees_progress_and_the_lost_register(
    county, live_server, browser, phone_page, password
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
    campaign = CensusCampaign.objects.create(
        name="2027年春节流动党员摸排", starts_on=datetime.date(2027, 1, 23), ends_on=datetime.date(2027, 2, 20)
    )
    campaign.organizations.add(county.committee)
    census.open_campaign(campaign, by=county.county_staff)
    page = phone_page.page

    sign_in(phone_page, live_server, "secretary", password)
    page.click(".navbar-toggler")
    page.click("nav a.dropdown-toggle:has-text('党员')")
    page.click("nav >> text=我的摸排任务")
    page.wait_for_selector("table.census-table")
    rows = page.locator("table.census-table tbody tr")
    assert rows.count() == 2  # Huadu's two members; 马云 of Kunming is not the secretary's
    assert "马云" not in page.locator("main").inner_text()
    phone_page.screenshot("census_tasks_phone")

    page.click("table.census-table a.btn >> nth=0")
    first = page.locator("[data-testid=task-member]").inner_text()
    page.check("input[name=contacted][value=true]")
    page.select_option("#id_channel", "phone")
    page.check("input[name=result][value=normal]")
    page.click("main form [type=submit][name=submit]")  # the answer's Save, not the call button above it
    page.wait_for_selector("text=已保存")

    # The next unanswered task opens by itself.
    second = page.locator("[data-testid=task-member]").inner_text()
    assert second != first
    lost_name = "袁芳伟" if "袁芳伟" in second else "钟志强"
    page.check("input[name=contacted][value=false]")
    page.check("input[name=result][value=lost]")
    page.select_option("#id_lost_cause", "employer_changed")
    page.fill("#id_note", "电话停机，老乡说已离开原厂")
    phone_page.screenshot("census_answer_lost_phone")
    page.click("main form [type=submit][name=submit]")  # the answer's Save, not the call button above it
    page.wait_for_url("**/census/tasks/?campaign=*")
    assert Member.objects.get(name=lost_name).current_outflow.status == OutflowStatus.LOST
    assert phone_page.blocked == []

    desk = OfflinePage(browser, 1366, 900)
    try:
        sign_in(desk, live_server, "county", password)
        desk.page.goto(f"{live_server.url}/members/census/{campaign.pk}/")
        assert desk.page.locator("[data-testid=answered]").inner_text() == "2"
        assert desk.page.locator("[data-testid=lost]").inner_text() == "1"
        assert (
            "中共蓝山县驻花都区流动党员总支部委员会" in desk.page.locator("[data-testid=per-organization]").inner_text()
        )
        desk.screenshot("census_progress_desktop")
        desk.page.goto(f"{live_server.url}/members/?status=lost")
        assert lost_name in desk.page.locator("table").inner_text()
        desk.screenshot("lost_register_desktop")
        assert desk.blocked == []
    finally:
        desk.close()
