"""Census by link: the campaign page queues every covered member's link through a job; an accepted self-answer answers
the member's census task through the census workflow, and the campaign page counts self-answers apart."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from members import census
from members.models import CensusCampaign, CensusStatus, CensusTask
from selfservice import actions
from selfservice.models import CensusLinkRun, PersonalLink, Purpose, ReviewStatus, SelfReport
from selfservice.reminders import sweep_census_links
from tests.conftest import login
from tests.selfservice.conftest import deliver, token_of


@pytest.fixture
def campaign(county):
    campaign = CensusCampaign.objects.create(
        name="2027年春节流动党员摸排", starts_on=datetime.date(2027, 1, 23), ends_on=datetime.date(2027, 2, 20)
    )
    campaign.organizations.add(county.committee)
    census.open_campaign(campaign, by=county.county_staff)
    return campaign


def test_the_campaign_button_queues_one_census_link_per_member_with_a_phone_and_a_second_press_adds_none(
    county, campaign, django_capture_on_commit_callbacks
):
    county.qin.phone = ""
    county.qin.save()
    client = login(county.county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("selfservice:campaign_links", args=[campaign.pk]))
    assert response.status_code == 302
    links = PersonalLink.objects.filter(census_task__campaign=campaign)
    assert set(links.values_list("member__name", flat=True)) == {"袁芳伟", "马云"}  # 覃文英 has no phone
    assert CensusLinkRun.objects.get().finished_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selfservice:campaign_links", args=[campaign.pk]))
    assert links.count() == 2
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'data-testid="self-answers"' in page


def test_a_run_the_broker_lost_is_finished_by_the_sweep(county, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the job never ran
        actions.queue_census_links(campaign, by=county.county_staff)
    CensusLinkRun.objects.update(requested_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert sweep_census_links() == 3
    assert PersonalLink.objects.filter(purpose=Purpose.CENSUS).count() == 3


def test_a_secretary_cannot_send_a_campaigns_links(county, campaign):
    response = login(county.secretary).post(reverse("selfservice:campaign_links", args=[campaign.pk]))
    assert response.status_code == 403 and not CensusLinkRun.objects.exists()


def test_an_accepted_self_answer_answers_the_census_task_through_the_census_workflow(county, campaign):
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    link = actions.send_link(county.yuan, purpose=Purpose.CENSUS, by=county.county_staff, census_task=task)
    token = token_of(deliver(link))
    client = Client()
    url = reverse("selfservice:link", args=[token])
    client.post(url, {"step": "digits", "digits": str(county.yuan.id_number)[-4:]})
    client.post(url, {"step": "answer", "province": "广东省", "city": "佛山市", "district": "南海区"})
    task.refresh_from_db()
    assert task.answered_at is None  # waits for the secretary

    report = SelfReport.objects.get()
    form = {"province": "广东省", "city": "佛山市", "district": "南海区", "address": "", "employer": "", "phone": ""}
    response = login(county.secretary).post(
        reverse("selfservice:report_review", args=[report.pk]), {**form, "decision": "accepted"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    county.yuan_outflow.refresh_from_db()
    assert task.answered_at is not None and task.result == CensusStatus.UPDATED and task.contacted is True
    assert task.note.startswith(actions.SELF_CHANNEL_NOTE) and task.answered_by == county.secretary
    assert county.yuan_outflow.city == "佛山市"
    report.refresh_from_db()
    assert report.status == ReviewStatus.ACCEPTED
    page = login(county.county_staff).get(campaign.get_absolute_url())
    assert '<strong data-testid="self-answered">1</strong>' in page.content.decode()


def test_a_census_answer_that_is_no_change_answers_the_task_as_normal(county, campaign):
    task = CensusTask.objects.get(campaign=campaign, member=county.yuan)
    link = actions.send_link(county.yuan, purpose=Purpose.CENSUS, by=county.county_staff, census_task=task)
    report = actions.submit_report(link, province="广东省", city="广州市", district="花都区")
    actions.review_report(report, by=county.secretary, decision=ReviewStatus.ACCEPTED)
    task.refresh_from_db()
    assert task.result == CensusStatus.NORMAL and task.answered_at is not None
