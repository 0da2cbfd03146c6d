"""On a phone, offline: the destination partner accepts one member's report-in with the branch they join and refuses
another's saying why; the Huadu secretary finds the refusal in the reminders and on the member's page."""

import datetime
import shutil

import pytest
from django.utils import timezone

from lanshan_party.models import Channel, Notification, NotificationKind
from lanshan_party.notifications import dispatch_due
from members.models import Member, OutflowStatus
from tests.browser.conftest import OfflinePage, sign_in
from tests.factories import MemberFactory
from tests.members.outflow_steps import away, reload

pytestmark = pytest.mark.browser

REASON = "本人未到社区报到，联系电话无法接通"
BRANCH = "新华街道东风社区党支部"


@pytest.mark.django_db(transaction=True)
def test_the_partner_accepts_one_report_in_and_refuses_another_on_a_phone_and_the_flowing_secretary_is_told(
    county, partner_agreement, live_server, browser, phone_page, password, tmp_path
):
    jiang = MemberFactory(name="蒋红梅", home_branch=county.huaguo)
    jiang_outflow = away(jiang, county.branch, partner_org=county.partner_org)
    assert jiang_outflow.flowing_org == county.huadu
    page = phone_page.page

    sign_in(phone_page, live_server, "partner", password)
    page.click(".navbar-toggler")
    page.click("nav a[href='/members/report-ins/']")
    page.wait_for_url("**/members/report-ins/")
    report_ins = page.locator("[data-testid=report-ins]")
    assert report_ins.locator(".list-group-item").count() == 2
    assert "袁芳伟" in report_ins.inner_text() and "蒋红梅" in report_ins.inner_text()
    assert "马云" not in page.locator("main").inner_text()

    yuan_row = report_ins.locator(".list-group-item", has_text="袁芳伟")
    yuan_row.locator("[data-testid=accept]").click()
    page.wait_for_url(f"**/members/outflows/{county.yuan_outflow.pk}/accept/")
    page.fill("#id_on", "2024-03-25")
    page.fill("#id_receiving_org_name", BRANCH)
    page.click("main form [type=submit]")
    page.wait_for_url("**/members/report-ins/")
    assert "袁芳伟" not in report_ins.inner_text()

    report_ins.locator(".list-group-item", has_text="蒋红梅").locator("[data-testid=refuse]").click()
    page.wait_for_url(f"**/members/outflows/{jiang_outflow.pk}/refuse/")
    page.fill("#id_reason", REASON)
    page.click("main form [type=submit]")
    page.wait_for_url("**/members/report-ins/")

    jiang_row = report_ins.locator(".list-group-item", has_text="蒋红梅")
    assert REASON in jiang_row.inner_text()  # still waiting, the refusal said on its row
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for button in ("accept", "refuse"):  # the buttons are on the screen and big enough for a finger
        box = jiang_row.locator(f"[data-testid={button}]").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 28, (button, box)
    page.screenshot(path=str(tmp_path / "partner_report_ins.png"), full_page=True)
    shutil.copyfile(tmp_path / "partner_report_ins.png", "/tmp/partner_report_ins.png")
    assert phone_page.blocked == []

    accepted = reload(county.yuan_outflow)
    assert (accepted.status, accepted.reported_on, accepted.receiving_org_name, accepted.report_recorded_by) == (
        OutflowStatus.REPORTED,
        datetime.date(2024, 3, 25),
        BRANCH,
        county.partner,
    )
    refused = reload(jiang_outflow)
    assert (refused.status, refused.refusal_reason, refused.refused_by) == (
        OutflowStatus.REGISTERED,
        REASON,
        county.partner,
    )
    assert refused.refused_on == timezone.localdate()
    assert Member.objects.get(pk=jiang.pk).current_outflow_id == jiang_outflow.pk

    told = Notification.objects.filter(kind=NotificationKind.REPORT_REFUSED, channel=Channel.IN_APP)
    assert set(told.values_list("recipient__username", flat=True)) == {"admin", "county", "secretary"}
    dispatch_due()  # what the worker does every few minutes: the outbox reaches the inboxes

    desk = OfflinePage(browser, 1366, 900)
    try:
        sign_in(desk, live_server, "secretary", password)
        desk.page.goto(f"{live_server.url}/reminders/")
        reminder = desk.page.locator("[data-testid=inbox] form", has_text="蒋红梅")
        assert reminder.count() == 1
        assert REASON in reminder.inner_text() and "花都区新华街道党工委" in reminder.inner_text()
        assert county.secretary.notifications.filter(kind=NotificationKind.REPORT_REFUSED, read_at=None).count() == 1
        reminder.locator("button").click()
        desk.page.wait_for_url(f"**{jiang.get_absolute_url()}")
        refusal = desk.page.locator("[data-testid=report-refused]")
        assert REASON in refusal.inner_text()
        assert refused.refused_on.strftime("%Y-%m-%d") in refusal.inner_text()
        assert county.secretary.notifications.filter(kind=NotificationKind.REPORT_REFUSED, read_at=None).count() == 0
        desk.page.screenshot(path=str(tmp_path / "partner_refusal_home.png"), full_page=True)
        shutil.copyfile(tmp_path / "partner_refusal_home.png", "/tmp/partner_refusal_home.png")
        assert desk.blocked == []
    finally:
        desk.close()
