"""On a phone, with the internet cut off: the county sends a campaign's census links, a member opens theirs from the
text message, corrects the city; the secretary accepts it, and the outflow and the census task follow."""

import datetime
import re

import pytest

from lanshan_party.notifications import LocmemSMSBackend
from members import census
from members.models import CensusCampaign, CensusStatus, CensusTask, OutflowEvent, OutflowEventKind
from selfservice.models import ReviewStatus, SelfReport
from tests.browser.conftest import OfflinePage, sign_in

SCREENSHOT = "/tmp/selfservice_phone.png"


@pytest.mark.django_db(transaction=True)
def test_a_member_corrects_the_city_from_a_census_link_on_a_phone_and_the_secretary_accepts_it(
    county, live_server, browser, phone_page, password, settings
):
    settings.SMS_BACKEND = "lanshan_party.notifications.LocmemSMSBackend"
    settings.SITE_URL = live_server.url
    LocmemSMSBackend.outbox.clear()
    LocmemSMSBackend.keys.clear()
    campaign = CensusCampaign.objects.create(
        name="2027年春节流动党员摸排", starts_on=datetime.date(2027, 1, 23), ends_on=datetime.date(2027, 2, 20)
    )
    campaign.organizations.add(county.committee)
    census.open_campaign(campaign, by=county.county_staff)

    desk = OfflinePage(browser, 1366, 900)
    try:
        sign_in(desk, live_server, "county", password)
        desk.page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
        desk.page.click("[data-testid=self-answers] button[type=submit]")
        desk.page.wait_for_selector("[data-testid=self-answers]")
        assert desk.blocked == []
    finally:
        desk.close()

    # The member's phone received the text message through the outbox.
    texts = [text for phone, text in LocmemSMSBackend.outbox if phone == county.yuan.phone]
    assert len(texts) == 1
    url = re.search(r"https?://\S+/m/[A-Za-z0-9_-]+/", texts[0])[0]

    page = phone_page.page
    page.goto(url)
    assert "袁" not in page.locator("main").inner_text()  # nothing of the member before the ID digits
    page.fill("#id_digits", str(county.yuan.id_number)[-4:])
    page.click("main form [type=submit]")
    page.wait_for_selector("[data-testid=own-data]")
    assert "袁**" in page.locator("[data-testid=own-data]").inner_text()
    assert "广州市" in page.locator("[data-testid=own-destination]").inner_text()
    page.select_option("#id_province", "广东省")
    page.fill("#id_city", "东莞市")
    page.fill("#id_district", "长安镇")
    page.fill("#id_employer", "东莞长安五金厂")
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.click("main form [type=submit]")
    page.wait_for_selector("[data-testid=sent]")
    county.yuan_outflow.refresh_from_db()
    assert county.yuan_outflow.city == "广州市"  # nothing changed yet

    sign_in(phone_page, live_server, "secretary", password)
    page.goto(f"{live_server.url}/selfservice/reports/?status=pending")
    page.click("table >> text=袁芳伟")
    assert "东莞市" in page.locator("[data-testid=reported]").inner_text()
    page.check("input[name=decision][value=accepted]")
    page.click("main form [type=submit][name=submit]")
    page.wait_for_url("**/selfservice/reports/?status=pending")
    phone_page.screenshot("selfservice_review_phone")
    assert phone_page.blocked == []

    county.yuan_outflow.refresh_from_db()
    assert (county.yuan_outflow.city, county.yuan_outflow.district) == ("东莞市", "长安镇")
    assert OutflowEvent.objects.filter(outflow=county.yuan_outflow, kind=OutflowEventKind.UPDATE).exists()
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    assert task.result == CensusStatus.UPDATED and task.answered_by == county.secretary
    assert SelfReport.objects.get().status == ReviewStatus.ACCEPTED
