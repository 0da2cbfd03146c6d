"""A census campaign's progress page shows a secretary or township officer the county totals and the rows of their
own organizations only; county staff and administrators see every organization."""

import datetime

import pytest
from django.urls import reverse

from members import census
from members.models import CensusCampaign, CensusTask, Holiday
from tests.conftest import login
from tests.factories import MemberFactory


@pytest.fixture
def campaign(county):
    """Tasks for 花果村 (李春华 at home), 城东社区 (覃文英), Huadu (袁芳伟, from 花果村), Kunming (马云, from 总市村)
    and 总市村 (钟志强 at home); 马云's is answered."""
    MemberFactory(name="李春华", home_branch=county.huaguo)
    MemberFactory(name="钟志强", home_branch=county.zongshicun)
    for user, name in ((county.secretary, "花都书记"), (county.branch, "花果村书记"), (county.outsider, "总市村书记")):
        user.full_name = name
        user.save()
    c = CensusCampaign.objects.create(
        name="2026年春节流动党员摸排",
        holiday=Holiday.SPRING_FESTIVAL,
        year=2026,
        starts_on=datetime.date(2026, 2, 3),
        ends_on=datetime.date(2026, 3, 3),
    )
    c.organizations.add(county.committee)
    census.open_campaign(c, by=county.county_staff)
    census.record_result(
        CensusTask.objects.get(member__name="马云"),
        by=county.outsider,
        contacted=True,
        channel="phone",
        result="normal",
    )
    return c


def rows_seen_by(user, campaign) -> dict[str, int]:
    response = login(user).get(campaign.get_absolute_url())
    assert response.status_code == 200
    return {row["name"]: row["tasks"] for row in response.context["per_org"]}


@pytest.mark.parametrize(
    ("persona", "organizations"),
    [
        pytest.param("branch", ["huaguo"], id="a_branch_secretary_sees_only_their_branch"),
        pytest.param("secretary", ["huadu"], id="a_flowing_organization_secretary_sees_only_their_organization"),
        pytest.param("township", ["huaguo", "chengdong"], id="a_township_officer_sees_only_the_township_branches"),
        pytest.param("outsider", ["zongshicun"], id="another_villages_secretary_sees_only_their_village"),
        pytest.param(
            "county_staff", ["huaguo", "chengdong", "huadu", "kunming", "zongshicun"], id="county_staff_see_every_row"
        ),
        pytest.param(
            "admin", ["huaguo", "chengdong", "huadu", "kunming", "zongshicun"], id="an_administrator_sees_every_row"
        ),
    ],
)
def test_the_progress_rows_are_those_of_the_users_own_organizations(county, campaign, persona, organizations):
    assert set(rows_seen_by(getattr(county, persona), campaign)) == {getattr(county, o).name for o in organizations}


@pytest.mark.parametrize("persona", ["branch", "secretary", "township", "outsider", "county_staff"])
def test_everybody_sees_the_county_totals(county, campaign, persona):
    response = login(getattr(county, persona)).get(campaign.get_absolute_url())
    totals = response.context["totals"]
    assert (totals["tasks"], totals["answered"], totals["percent"]) == (5, 1, 20)


def test_a_branch_secretary_does_not_see_the_flowing_organization_or_its_secretary_their_member_is_under(
    county, campaign
):
    """袁芳伟's task is the branch secretary's to see (their member), but Huadu's progress and secretary are not."""
    client = login(county.branch)
    for html in (
        client.get(campaign.get_absolute_url()).content.decode(),
        client.get(campaign.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode(),
    ):
        assert county.huaguo.name in html and "花果村书记" in html
        for hidden in (county.huadu.name, "花都书记", county.kunming.name, county.zongshicun.name, "总市村书记"):
            assert hidden not in html
        assert "全县" in html


def test_county_staff_see_every_secretary_on_the_progress_page(county, campaign):
    html = login(county.county_staff).get(campaign.get_absolute_url()).content.decode()
    for name in ("花都书记", "花果村书记", "总市村书记", county.kunming.name):
        assert name in html


def test_the_answer_tasks_list_of_a_branch_secretary_still_has_their_member_away_in_huadu(county, campaign):
    response = login(county.branch).get(reverse("members:censustask_list"), {"campaign": campaign.pk})
    assert {row.record.member.name for row in response.context["table"].paginated_rows} == {"袁芳伟", "李春华"}
