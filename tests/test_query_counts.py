"""The busy pages cost a fixed number of queries, whatever the number of rows they show.

Each test counts the queries of one page with 5 rows, adds 45 more rows, counts again, and asserts the
two counts are equal (no query per row) and small.
"""

import datetime
import itertools
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import actions
from members.models import Member, Tag
from organizations.models import Organization, OrgKind
from tests.conftest import login
from tests.factories import MemberFactory, OrganizationFactory, TagFactory

QUERY_CAP = 15
FEW, MANY = 5, 50

# Destinations with the Huadu and Kunming flowing organizations, and one with none (no flowing org).
DESTINATIONS = [("广东省", "广州市", "花都区"), ("云南省", "昆明市", "官渡区"), ("浙江省", "杭州市", "余杭区")]


def _count_queries(client: Client, url: str, params: dict[str, Any] | None = None) -> tuple[int, Any]:
    client.get(url, params)  # warm up: per-process caches (content types, translations) are not per row
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.fixture
def tags(county: SimpleNamespace) -> list[Tag]:
    return [TagFactory(name="困难党员"), TagFactory(name="村后备力量"), TagFactory(name="两代表一委员")]


def _add_away_members(county: SimpleNamespace, tags: list[Tag], how_many: int) -> None:
    """Members from different branches, away in different places, each with one to three tags."""
    branches = itertools.cycle([county.huaguo, county.chengdong, county.zongshicun])
    for i in range(how_many):
        member = MemberFactory(home_branch=next(branches))
        province, city, district = DESTINATIONS[i % len(DESTINATIONS)]
        actions.register_outflow(
            member,
            by=county.admin,
            departure_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            province=province,
            city=city,
            district=district,
        )
        member.tags.add(*tags[: 1 + i % len(tags)])


def _listed(response: Any) -> int:
    return len(response.context["table"].paginated_rows)


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({}, id="unfiltered"),
        pytest.param({"status": "registered", "tags": "TAG"}, id="filtered_by_status_and_tag"),
        pytest.param(
            {"q": "党员", "organization": "TAFENG", "status": "registered"}, id="searched_and_filtered_by_township"
        ),
    ],
)
@pytest.mark.parametrize("persona", ["admin", "township"])
def test_the_member_list_costs_the_same_queries_for_5_and_for_50_rows(county, tags, persona, params):
    params = {
        key: {"TAG": str(tags[0].pk), "TAFENG": str(county.tafeng.pk)}.get(value, value)
        for key, value in params.items()
    }
    client = login(getattr(county, persona))
    url = reverse("members:member_list")

    _add_away_members(county, tags, FEW)
    few_queries, few_response = _count_queries(client, url, params)
    _add_away_members(county, tags, MANY - FEW)
    many_queries, many_response = _count_queries(client, url, params)

    assert _listed(many_response) > _listed(few_response) >= 3  # the rows really grew
    assert many_queries == few_queries
    assert many_queries <= QUERY_CAP


def _add_branches(county: SimpleNamespace, how_many: int) -> None:
    """Village branches under both townships, each with a member at home and every other one a member away."""
    townships = itertools.cycle([county.tafeng, county.zongshi])
    start = Organization.objects.count()
    for i in range(how_many):
        branch = OrganizationFactory(
            name=f"中共蓝山县测试村{start + i}支部委员会", kind=OrgKind.VILLAGE, parent=next(townships)
        )
        MemberFactory(home_branch=branch)
        if i % 2:
            province, city, district = DESTINATIONS[i % len(DESTINATIONS)]
            actions.register_outflow(
                MemberFactory(home_branch=branch),
                by=county.admin,
                departure_date=datetime.date(2024, 6, 1),
                province=province,
                city=city,
                district=district,
            )


@pytest.mark.parametrize("persona", ["admin", "township"])
def test_the_organization_tree_costs_the_same_queries_for_5_and_for_50_branches(county, persona):
    client = login(getattr(county, persona))
    url = reverse("organizations:organization_tree")

    _add_branches(county, FEW)
    few_queries, few_response = _count_queries(client, url)
    _add_branches(county, MANY - FEW)
    many_queries, many_response = _count_queries(client, url)

    assert len(many_response.context["nodes"]) >= len(few_response.context["nodes"]) + (MANY - FEW) // 2
    assert many_queries == few_queries
    assert many_queries <= QUERY_CAP


def _add_past_outflows(county: SimpleNamespace, member: Member, how_many: int) -> None:
    """Finished outflows for the timeline, recorded by different users, some lost and found on the way.
    An open outflow, if any, is closed by a return first and a new one opened after the history."""
    member.refresh_from_db()
    if member.current_outflow is not None:
        actions.return_home(member.current_outflow, by=county.township, on=member.current_outflow.departure_date)
    recorders = itertools.cycle([county.admin, county.county_staff, county.township, county.branch])
    first = Member.objects.get(pk=member.pk).outflows.count()
    for i in range(first, first + how_many):
        departure = datetime.date(2001, 1, 1) + datetime.timedelta(days=30 * i)
        province, city, district = DESTINATIONS[i % len(DESTINATIONS)]
        outflow = actions.register_outflow(
            member, by=next(recorders), departure_date=departure, province=province, city=city, district=district
        )
        if i % 3 == 0:
            actions.report_arrival(outflow, by=next(recorders), on=departure + datetime.timedelta(days=1))
        if i % 4 == 0:
            actions.mark_lost(outflow, cause="moved", by=next(recorders), on=departure + datetime.timedelta(days=2))
            actions.mark_found(outflow, by=next(recorders), on=departure + datetime.timedelta(days=3))
        actions.return_home(
            outflow, by=next(recorders), on=departure + datetime.timedelta(days=10), note=f"第{i}次返乡"
        )
        member.refresh_from_db()
    actions.register_outflow(
        member,
        by=county.admin,
        departure_date=datetime.date(2025, 3, 1),
        province="广东省",
        city="广州市",
        district="花都区",
    )


def test_the_member_page_costs_the_same_queries_for_5_and_for_50_outflows_on_its_timeline(county, tags):
    member = county.qin
    member.tags.add(*tags)
    client = login(county.admin)
    url = reverse("members:member_detail", args=[member.pk])

    _add_past_outflows(county, member, FEW)
    few_queries, few_response = _count_queries(client, url)
    _add_past_outflows(county, member, MANY - FEW)
    many_queries, many_response = _count_queries(client, url)

    assert len(few_response.context["outflows"]) == FEW + 1
    assert len(many_response.context["outflows"]) > MANY
    assert many_response.content.decode().count("timeline-item") > 2 * MANY
    assert many_queries == few_queries
    assert many_queries <= QUERY_CAP
