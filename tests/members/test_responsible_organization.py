"""The organization answering for a member now: the flowing one while away under it, else the home branch; the same
on the row, in a query and in the census tasks a campaign opens."""

import datetime

from members import census
from members.models import CensusCampaign, CensusTask, Member


def test_the_flowing_organization_answers_for_a_member_away_and_the_home_branch_for_one_at_home(county):
    assert county.yuan.responsible_organization_id == county.huadu.pk
    assert county.qin.responsible_organization_id == county.chengdong.pk


def test_the_query_and_the_row_name_the_same_responsible_organization(county):
    annotated = dict(Member.objects.with_responsible().values_list("pk", "responsible"))

    assert annotated == {member.pk: member.responsible_organization_id for member in Member.objects.all()}


def test_counting_by_responsible_organization_counts_each_member_once_where_they_are_answered_for(county):
    assert Member.objects.count_by_responsible() == {county.huadu.pk: 1, county.chengdong.pk: 1, county.kunming.pk: 1}


def test_a_census_task_goes_to_the_organization_answering_for_the_member_when_the_campaign_opens(county):
    campaign = CensusCampaign.objects.create(
        name="2026年中秋流动党员摸排", starts_on=datetime.date(2026, 9, 20), ends_on=datetime.date(2026, 10, 7)
    )
    campaign.organizations.add(county.committee)

    census.open_campaign(campaign, by=county.county_staff)

    tasks = CensusTask.objects.filter(campaign=campaign).select_related("member")
    assert {task.member.name: task.organization_id for task in tasks} == {
        member.name: member.responsible_organization_id for member in Member.objects.all()
    }
