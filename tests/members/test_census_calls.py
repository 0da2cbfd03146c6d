"""Calling a member from a census task: the phone only, for the user's own task of an open campaign, audited with
the campaign as the reason and limited per day; and the task list grouped by campaign when several are open."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import AuditAction, AuditEntry
from members import census
from members.models import CampaignStatus, CensusCampaign, CensusTask
from tests.conftest import login
from tests.factories import MemberFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def open_campaign(county, name: str, *, starts_days_ago: int = 3) -> CensusCampaign:
    today = timezone.localdate()
    campaign = CensusCampaign.objects.create(
        name=name,
        starts_on=today - datetime.timedelta(days=starts_days_ago),
        ends_on=today + datetime.timedelta(days=20),
    )
    campaign.organizations.add(county.committee)
    census.open_campaign(campaign, by=county.admin)
    return campaign


@pytest.fixture
def campaign(county) -> CensusCampaign:
    return open_campaign(county, "2026年中秋流动党员摸排")


def call(user, task: CensusTask, **headers):
    return login(user).post(reverse("members:censustask_call", args=[task.pk]), **headers)


def test_a_branch_secretary_without_the_reveal_right_calls_a_member_of_their_task_and_gets_only_the_phone(
    county, campaign
):
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    assert not county.branch.may_reveal

    response = call(county.branch, task, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="tel:{county.yuan.phone}"' in html
    assert county.yuan.id_number not in html
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert entry.actor == county.branch and entry.object_id == str(county.yuan.pk)
    assert campaign.name in entry.note
    assert "<html" not in html  # the htmx partial, as the existing reveal answers


def test_the_flowing_organization_secretary_may_call_the_members_flowing_under_them(county, campaign):
    county.yuan_outflow.flowing_org = county.huadu
    county.yuan_outflow.save()
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    task.organization = county.huadu
    task.save()

    response = call(county.secretary, task)

    assert response.status_code == 200 and f"tel:{county.yuan.phone}" in response.content.decode()


def test_a_secretary_cannot_call_for_a_task_they_do_not_answer_for(county, campaign):
    task = CensusTask.objects.get(campaign=campaign, member=county.ma)

    assert call(county.branch, task).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_calling_is_a_post_with_a_csrf_token(county, campaign):
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    url = reverse("members:censustask_call", args=[task.pk])
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.branch)

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_calling_once_the_campaign_is_closed_says_so_and_shows_no_number(county, campaign):
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    census.close_campaign(campaign, by=county.admin)

    response = call(county.branch, task, **HTMX)

    html = response.content.decode()
    assert "不在进行中" in html
    assert county.yuan.phone not in html
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_the_daily_limit_stops_further_calls_with_a_message_in_chinese(county, campaign, settings):
    settings.CENSUS_CALL_REVEALS_PER_DAY = 2
    others = [MemberFactory(home_branch=county.huaguo) for _ in range(2)]
    census.open_campaign(campaign, by=county.admin)
    tasks = [CensusTask.objects.get(campaign=campaign, member=m) for m in (county.yuan, *others)]

    assert all(f"tel:{t.member.phone}" in call(county.branch, t, **HTMX).content.decode() for t in tasks[:2])
    refused = call(county.branch, tasks[2], **HTMX).content.decode()

    assert "今天已查看 2 个电话号码" in refused
    assert tasks[2].member.phone not in refused
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, actor=county.branch).count() == 2


def test_reveals_of_an_earlier_day_do_not_count_towards_todays_limit(county, campaign, settings):
    settings.CENSUS_CALL_REVEALS_PER_DAY = 1
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=1), tick=True):
        assert f"tel:{county.yuan.phone}" in call(county.branch, task).content.decode()

    assert f"tel:{county.yuan.phone}" in call(county.branch, task).content.decode()


def test_the_answer_page_offers_the_call_while_the_campaign_is_open(county, campaign):
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    url = reverse("members:censustask_answer", args=[task.pk])
    call_url = reverse("members:censustask_call", args=[task.pk])
    client = login(county.branch)

    page = client.get(url).content.decode()
    assert f'hx-post="{call_url}"' in page and county.yuan.phone not in page

    census.close_campaign(campaign, by=county.admin)
    assert call_url not in client.get(url).content.decode()


def test_the_member_page_offers_the_call_only_while_the_member_has_an_open_task_the_user_answers_for(county, campaign):
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    call_url = reverse("members:censustask_call", args=[task.pk])
    member_url = county.yuan.get_absolute_url()

    assert call_url in login(county.branch).get(member_url).content.decode()
    at_home = MemberFactory(home_branch=county.huaguo)  # no task: not in the campaign when it opened
    assert "census-call" not in login(county.branch).get(at_home.get_absolute_url()).content.decode()
    CensusCampaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    assert call_url not in login(county.branch).get(member_url).content.decode()


# ------------------------------------------------------------------------------------------- the task list


def test_with_two_open_campaigns_the_task_list_shows_each_task_under_its_campaign_newest_first(county, campaign):
    newest = open_campaign(county, "2027年春节流动党员摸排", starts_days_ago=1)

    page = login(county.branch).get(reverse("members:censustask_list"))

    assert page.status_code == 200
    rows = [row.record for row in page.context["table"].page.object_list]
    assert [task.member.name for task in rows].count("袁芳伟") == 2  # once per campaign …
    assert [task.campaign for task in rows] == sorted((task.campaign for task in rows), key=lambda c: c != newest)
    chosen = login(county.branch).get(reverse("members:censustask_list"), {"campaign": newest.pk})
    assert {row.record.campaign for row in chosen.context["table"].page.object_list} == {newest}  # … or one campaign


def test_every_campaign_chosen_lists_the_tasks_by_campaign_with_the_campaign_shown_on_a_phone(county, campaign):
    newest = open_campaign(county, "2027年春节流动党员摸排", starts_days_ago=1)

    page = login(county.branch).get(reverse("members:censustask_list"), {"campaign": ""})

    assert page.status_code == 200
    table = page.context["table"]
    campaigns = [row.record.campaign for row in table.page.object_list]
    assert campaigns == sorted(campaigns, key=lambda c: c != newest) and set(campaigns) == {newest, campaign}
    assert "d-none" not in str(table.columns["campaign"].attrs.get("td", {}).get("class") or "")
    html = page.content.decode()
    assert newest.name in html and campaign.name in html
    assert "全部摸排" in html


def test_choosing_every_campaign_in_the_filter_form_keeps_that_choice_in_the_address(county, campaign):
    open_campaign(county, "2027年春节流动党员摸排", starts_days_ago=1)
    client = login(county.branch)

    response = client.post(
        reverse("members:search"), {"q": "", "campaign": "", "result": "", "next": reverse("members:censustask_list")}
    )

    assert response["Location"] == reverse("members:censustask_list") + "?campaign="
    assert client.get(response["Location"]).status_code == 200


def test_with_tasks_in_one_campaign_only_the_task_list_is_not_redirected(county, campaign):
    assert login(county.branch).get(reverse("members:censustask_list")).status_code == 200
