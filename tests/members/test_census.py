"""Census campaigns: holiday windows from the lunar calendar, opening, answering through the outflow workflow."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from members import census
from members.models import (
    CampaignStatus,
    CensusCampaign,
    CensusStatus,
    CensusTask,
    Holiday,
    LostCause,
    Member,
    OutflowEvent,
    OutflowStatus,
)
from tests.conftest import login
from tests.factories import MemberFactory


@pytest.mark.parametrize(
    ("holiday", "year", "day"),
    [
        (Holiday.SPRING_FESTIVAL, 2025, datetime.date(2025, 1, 29)),
        (Holiday.SPRING_FESTIVAL, 2026, datetime.date(2026, 2, 17)),
        (Holiday.SPRING_FESTIVAL, 2027, datetime.date(2027, 2, 6)),
        (Holiday.MID_AUTUMN, 2025, datetime.date(2025, 10, 6)),
        (Holiday.MID_AUTUMN, 2026, datetime.date(2026, 9, 25)),
        (Holiday.MID_AUTUMN, 2027, datetime.date(2027, 9, 15)),
    ],
)
def test_the_holiday_falls_on_its_lunar_date(holiday, year, day):
    assert census.holiday_date(holiday, year) == day


def test_holidays_are_computed_for_any_year_not_looked_up_in_a_short_table():
    assert census.holiday_date(Holiday.SPRING_FESTIVAL, 1950) == datetime.date(1950, 2, 17)
    assert census.holiday_date(Holiday.SPRING_FESTIVAL, 2100) == datetime.date(2100, 2, 9)
    assert census.holiday_date(Holiday.MID_AUTUMN, 2100) == datetime.date(2100, 9, 18)


def test_the_spring_festival_window_runs_from_two_weeks_before_to_the_lantern_festival():
    start, end = census.proposed_window(Holiday.SPRING_FESTIVAL, 2027)
    assert (start, end) == (datetime.date(2027, 1, 23), datetime.date(2027, 2, 20))
    assert census.proposed_name(Holiday.SPRING_FESTIVAL, 2027) == "2027年春节流动党员摸排"


def test_the_campaign_form_proposes_name_and_window_from_holiday_and_year(county):
    response = login(county.county_staff).post(
        reverse("members:campaign_create"),
        {"holiday": Holiday.MID_AUTUMN, "year": 2027, "organizations": [county.committee.pk]},
    )
    assert response.status_code == 302
    campaign = CensusCampaign.objects.get()
    assert campaign.name == "2027年中秋流动党员摸排"
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2027, 9, 10), datetime.date(2027, 9, 27))
    hint = login(county.county_staff).get(reverse("members:campaign_window"), {"holiday": "mid_autumn", "year": "2027"})
    assert "2027-09-15" in hint.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"holiday": "other", "organizations": []}, "name"),
        ({"holiday": "spring_festival", "year": "", "organizations": [1]}, "year"),
        ({"holiday": "other", "name": "x", "starts_on": "2027-02-01", "ends_on": "2027-01-01"}, "ends_on"),
    ],
)
def test_a_campaign_form_with_a_mistake_says_what_to_do(county, data, field):
    data = {**data, "organizations": [county.committee.pk]}
    response = login(county.county_staff).post(reverse("members:campaign_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CensusCampaign.objects.exists()


@pytest.fixture
def campaign(county):
    c = CensusCampaign.objects.create(
        name="2026年春节流动党员摸排",
        holiday=Holiday.SPRING_FESTIVAL,
        year=2026,
        starts_on=datetime.date(2026, 2, 3),
        ends_on=datetime.date(2026, 3, 3),
    )
    c.organizations.add(county.committee)
    return c


def test_opening_gives_every_member_in_scope_one_task_and_opening_again_creates_nothing(county, campaign):
    Member.objects.filter(pk=county.qin.pk).update(standing="deceased")
    assert census.open_campaign(campaign, by=county.county_staff) == 2  # 袁芳伟 and 马云; 覃文英 is deceased
    assert census.open_campaign(campaign, by=county.county_staff) == 0
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    tasks = {t.member.name: t for t in CensusTask.objects.select_related("member")}
    assert set(tasks) == {"袁芳伟", "马云"}
    assert tasks["袁芳伟"].organization == county.huadu and tasks["袁芳伟"].home_branch == county.huaguo
    assert AuditEntry.objects.filter(action=AuditAction.WORKFLOW, object_type="members.censuscampaign").count() == 1


def test_opening_a_campaign_over_one_township_covers_its_branches_and_members_flowing_under_it(county):
    c = CensusCampaign.objects.create(
        name="塔峰镇摸排", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 2, 1)
    )
    c.organizations.add(county.tafeng)
    census.open_campaign(c, by=county.county_staff)
    assert set(CensusTask.objects.values_list("member__name", flat=True)) == {"袁芳伟", "覃文英"}


def test_a_secretary_sees_and_answers_only_their_own_organizations_tasks(county, campaign):
    census.open_campaign(campaign, by=county.county_staff)
    ma_task = CensusTask.objects.get(member=county.ma)
    yuan_task = CensusTask.objects.get(member=county.yuan)
    for user, expected in ((county.secretary, {"袁芳伟"}), (county.branch, {"袁芳伟"}), (county.outsider, {"马云"})):
        listed = login(user).get(reverse("members:censustask_list")).context["table"].paginated_rows
        assert {row.record.member.name for row in listed} == expected
    client = login(county.secretary)
    assert client.get(reverse("members:censustask_answer", args=[ma_task.pk])).status_code == 404
    response = client.post(
        reverse("members:censustask_answer", args=[ma_task.pk]),
        {"contacted": "true", "channel": "phone", "result": "normal"},
    )
    assert response.status_code == 404
    ma_task.refresh_from_db()
    assert ma_task.answered_at is None
    assert client.get(reverse("members:censustask_answer", args=[yuan_task.pk])).status_code == 200


def _answer(client, task, **data):
    return client.post(reverse("members:censustask_answer", args=[task.pk]), data)


def test_a_member_found_lost_enters_the_lost_register_with_the_cause_and_found_again_returns(county, campaign):
    census.open_campaign(campaign, by=county.county_staff)
    task = CensusTask.objects.get(member=county.yuan)
    client = login(county.secretary)
    response = _answer(
        client, task, contacted="false", result="lost", lost_cause=LostCause.EMPLOYER_CHANGED, note="电话停机"
    )
    assert response.status_code == 302
    county.yuan.refresh_from_db()
    outflow = county.yuan.current_outflow
    assert outflow.status == OutflowStatus.LOST and outflow.lost_cause == LostCause.EMPLOYER_CHANGED
    assert county.yuan in Member.objects.filter(current_outflow__status="lost")
    event = OutflowEvent.objects.filter(outflow=outflow).latest("at")
    assert event.kind == "lose" and "2026年春节流动党员摸排" in event.note

    response = _answer(client, task, contacted="true", channel="wechat", result="normal")
    assert response.status_code == 302
    outflow.refresh_from_db()
    assert outflow.status == OutflowStatus.REGISTERED  # back to where it was before contact was lost
    task.refresh_from_db()
    assert task.result == CensusStatus.NORMAL and task.answered_by == county.secretary


def test_verified_whereabouts_update_the_outflow_through_the_workflow(county, campaign):
    census.open_campaign(campaign, by=county.county_staff)
    task = CensusTask.objects.get(member=county.yuan)
    response = _answer(
        login(county.branch),
        task,
        contacted="true",
        channel="phone",
        result="updated",
        province="广东省",
        city="广州市",
        district="白云区",
        employer="白云皮具厂",
    )
    assert response.status_code == 302
    outflow = Member.objects.get(pk=county.yuan.pk).current_outflow
    assert (outflow.district, outflow.employer) == ("白云区", "白云皮具厂")
    assert OutflowEvent.objects.filter(outflow=outflow, kind="update").exists()


def test_a_member_back_home_ends_the_outflow(county, campaign):
    census.open_campaign(campaign, by=county.county_staff)
    task = CensusTask.objects.get(member=county.yuan)
    _answer(login(county.secretary), task, contacted="true", channel="homecoming", result="returned")
    county.yuan.refresh_from_db()
    assert county.yuan.current_outflow is None
    assert county.yuan.outflows.get().status == OutflowStatus.RETURNED


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"result": "lost", "contacted": "false"}, "lost_cause"),
        ({"result": "lost", "contacted": "true", "channel": "phone", "lost_cause": "other"}, "result"),
        ({"result": "updated", "contacted": "true", "channel": "phone", "province": "", "city": ""}, "province"),
        ({"result": "normal", "contacted": "true"}, "channel"),
        ({"contacted": "true", "channel": "phone"}, "result"),
    ],
)
def test_an_incomplete_answer_is_explained_and_changes_nothing(county, campaign, data, field):
    census.open_campaign(campaign, by=county.county_staff)
    task = CensusTask.objects.get(member=county.yuan)
    response = _answer(login(county.secretary), task, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    task.refresh_from_db()
    assert task.answered_at is None
    assert Member.objects.get(pk=county.yuan.pk).current_outflow.status == OutflowStatus.REGISTERED


def test_a_member_at_home_cannot_be_reported_lost_without_a_departure(county):
    c = CensusCampaign.objects.create(
        name="城东摸排", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 2, 1)
    )
    c.organizations.add(county.chengdong)
    census.open_campaign(c, by=county.county_staff)
    task = CensusTask.objects.get(member=county.qin)
    response = _answer(login(county.township), task, contacted="false", result="lost", lost_cause="other")
    assert response.status_code == 200
    assert "result" in response.context["form"].errors


def test_a_closed_campaign_takes_no_more_answers(county, campaign):
    census.open_campaign(campaign, by=county.county_staff)
    census.close_campaign(campaign, by=county.county_staff)
    task = CensusTask.objects.get(member=county.yuan)
    with pytest.raises(ValidationError):
        census.record_result(task, by=county.secretary, contacted=True, channel="phone", result="normal")
    with pytest.raises(ValidationError):
        census.open_campaign(campaign, by=county.county_staff)


def test_the_progress_page_counts_per_organization_with_the_least_advanced_first(county, campaign):
    MemberFactory(name="钟志强", home_branch=county.zongshicun)
    census.open_campaign(campaign, by=county.county_staff)
    census.record_result(
        CensusTask.objects.get(member=county.yuan),
        by=county.secretary,
        contacted=False,
        channel="",
        result="lost",
        lost_cause="other",
    )
    response = login(county.county_staff).get(campaign.get_absolute_url())
    totals = response.context["totals"]
    assert (totals["tasks"], totals["answered"], totals["lost"]) == (4, 1, 1)
    rows = response.context["per_org"]
    assert rows[0]["percent"] == 0 and rows[-1]["name"] == county.huadu.name and rows[-1]["percent"] == 100
    assert {row["name"]: row["tasks"] for row in rows}[county.zongshicun.name] == 1  # 钟志强; 马云 is under Kunming
    partial = login(county.county_staff).get(campaign.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert 'data-testid="per-organization"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_the_home_page_tells_a_secretary_how_many_census_tasks_wait_for_them(county, campaign):
    census.open_campaign(campaign, by=county.county_staff)
    html = login(county.secretary).get(reverse("home")).content.decode()
    assert 'data-testid="census-due"' in html and "1" in html
    census.record_result(
        CensusTask.objects.get(member=county.yuan),
        by=county.secretary,
        contacted=True,
        channel="phone",
        result="normal",
    )
    assert 'data-testid="census-due"' not in login(county.secretary).get(reverse("home")).content.decode()
