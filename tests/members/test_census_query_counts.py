"""Census pages and the reminder inbox cost the same number of queries for 5 and for 50 organizations."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lanshan_party import notifications
from lanshan_party.models import NotificationKind
from members import actions, census
from members.models import CensusCampaign, CensusTask
from tests.conftest import login
from tests.factories import FlowingOrgFactory, MemberFactory, UserFactory

QUERY_CAP = 20
FEW, MANY = 5, 50


def _grow(county, campaign, organizations: int) -> None:
    """Flowing organizations, each with a secretary and a member away under it, up to `organizations`."""
    have = campaign.tasks.values("organization").distinct().count() if campaign.pk else 0
    for i in range(max(have, 0), organizations):
        org = FlowingOrgFactory(parent=county.committee, district=f"测试{i}区")
        UserFactory(username=f"sec{i}", organization=org)
        member = MemberFactory(home_branch=county.huaguo)
        actions.register_outflow(
            member,
            by=county.admin,
            departure_date=datetime.date(2025, 1, 1),
            province="广东省",
            city="广州市",
            district=f"测试{i}区",
            flowing_org=org,
        )
    census.open_campaign(campaign, by=county.county_staff)  # adds the new members' tasks
    for n, task in enumerate(CensusTask.objects.filter(answered_at__isnull=True)):
        if n % 2:
            census.record_result(task, by=county.admin, contacted=True, channel="phone", result="normal")
    for user in (county.admin, county.township):
        notifications.write(
            [
                notifications.Reminder(f"q:{user.pk}:{i}", user, NotificationKind.LIFE_WARNING, f"提醒{i}", "")
                for i in range(organizations)
            ]
        )
    notifications.dispatch_due()


def _count(client, url, params=None) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


PAGES = {
    "the_census_task_list": lambda c: (reverse("members:censustask_list"), None),
    "the_unanswered_tasks_of_a_campaign": lambda c: (
        reverse("members:censustask_list"),
        {"campaign": c.pk, "answered": "false"},
    ),
    "the_campaign_list": lambda c: (reverse("members:campaign_list"), None),
    "the_progress_page": lambda c: (reverse("members:campaign_detail", args=[c.pk]), None),
    "the_reminder_inbox": lambda c: (reverse("notification_list"), None),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["admin", "township"])
def test_the_census_page_costs_the_same_queries_for_5_and_for_50_organizations(county, persona, page):
    campaign = CensusCampaign.objects.create(
        name="摸排", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 2, 1)
    )
    campaign.organizations.add(county.committee)
    client = login(getattr(county, persona))
    _grow(county, campaign, FEW)
    few = _count(client, *PAGES[page](campaign))
    _grow(county, campaign, MANY)
    many = _count(client, *PAGES[page](campaign))
    assert CensusTask.objects.values("organization").distinct().count() >= MANY
    assert few == many, f"{page}: {few} queries with {FEW} organizations, {many} with {MANY}"
    assert many <= QUERY_CAP
