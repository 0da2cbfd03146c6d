"""Cursor pagination walks every row once, in id order, at the same cost on a deep page as on the first; parameters
the API cannot use are a 400 or 422 with a message, never a 500."""

import base64
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import CensusCampaign, CensusTask, Member, Outflow, OutflowStatus
from tests.api.conftest import api_get
from tests.factories import ActivityFactory, MemberFactory, OrganizationFactory

LISTS = [
    "api:v1:member_list",
    "api:v1:outflow_list",
    "api:v1:organization_list",
    "api:v1:activity_list",
    "api:v1:campaign_list",
]


def _walk(token: str, url: str, limit: int) -> tuple[list[int], int]:
    ids, pages, link = [], 0, url if "?" in url else f"{url}?limit={limit}"
    while link:
        response = api_get(token, link)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        pages += 1
        link = body["next"]
        assert pages < 100
    return ids, pages


def test_walking_the_member_list_by_its_next_links_gives_every_visible_member_exactly_once(world):
    MemberFactory.create_batch(11, home_branch=world.huaguo)
    expected = sorted(Member.objects.visible_to(world.township).values_list("pk", flat=True))
    ids, pages = _walk(world.tokens["township"], reverse("api:v1:member_list"), limit=4)
    assert ids == expected and len(expected) == 14
    assert pages == 4


def test_a_member_added_during_the_walk_behind_the_cursor_does_not_repeat_a_row(world):
    MemberFactory.create_batch(5, home_branch=world.huaguo)
    first = api_get(world.tokens["admin"], reverse("api:v1:member_list"), {"limit": 3}).json()
    MemberFactory(home_branch=world.huaguo)
    rest, _pages = _walk(world.tokens["admin"], first["next"], 3)
    seen = [item["id"] for item in first["items"]] + rest
    assert len(seen) == len(set(seen)) == Member.objects.count()


def test_the_next_link_keeps_the_filters(world):
    MemberFactory.create_batch(3, home_branch=world.chengdong)
    body = api_get(
        world.tokens["admin"], reverse("api:v1:member_list"), {"limit": 1, "organization": world.chengdong.pk}
    ).json()
    assert f"organization={world.chengdong.pk}" in body["next"] and "cursor=" in body["next"]
    ids, _pages = _walk(world.tokens["admin"], body["next"], 1)
    assert len(ids) == 3  # the other three of 城东社区's four members, none from elsewhere


@pytest.mark.parametrize("url_name", LISTS)
def test_every_list_ends_with_a_null_next_link(world, url_name):
    body = api_get(world.tokens["admin"], reverse(url_name), {"limit": 200}).json()
    assert body["next"] is None and body["items"]


def _queries(token: str, url: str, params: dict) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = api_get(token, url, params)
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured.captured_queries]


def _add(world, kind: str, n: int) -> None:
    """n more rows of the kind the township officer sees (塔峰镇)."""
    if kind == "member_list":
        MemberFactory.create_batch(n, home_branch=world.huaguo)
    elif kind == "activity_list":
        ActivityFactory.create_batch(n, organization=world.huaguo)
    elif kind == "organization_list":
        OrganizationFactory.create_batch(n, parent=world.tafeng)
    elif kind == "outflow_list":
        for member in MemberFactory.create_batch(n, home_branch=world.huaguo):
            Outflow.objects.create(
                member=member,
                status=OutflowStatus.RETURNED,
                departure_date=datetime.date(2023, 1, 1),
                ended_on=datetime.date(2023, 6, 1),
                province="广东省",
                city="广州市",
                flowing_org=world.huadu,
            )
    else:
        for i in range(n):
            campaign = CensusCampaign.objects.create(
                name=f"摸排{i}", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 2, 1)
            )
            campaign.organizations.set([world.tafeng])
            CensusTask.objects.create(
                campaign=campaign, member=world.qin, organization=world.chengdong, home_branch=world.chengdong
            )


@pytest.mark.parametrize("kind", ["member_list", "outflow_list", "organization_list", "activity_list", "campaign_list"])
def test_the_first_page_of_5_rows_and_a_deep_page_of_50_cost_the_same_queries(world, kind):
    token, url = world.tokens["township"], reverse(f"api:v1:{kind}")
    _add(world, kind, 5)
    api_get(token, url)
    small, _sql = _queries(token, url, {"limit": 5})
    _add(world, kind, 150)
    cursor = api_get(token, url, {"limit": 100}).json()["next"].split("cursor=")[1]
    deep, sql = _queries(token, url, {"limit": 50, "cursor": cursor})
    assert small == deep
    assert not any("OFFSET" in query.upper() for query in sql)
    assert len(api_get(token, url, {"limit": 50, "cursor": cursor}).json()["items"]) == 50


@pytest.mark.parametrize(
    "cursor", ["not-base64!", "eyJhZnRlciI6ICJ4In0", base64.urlsafe_b64encode(b'{"after": -1}').decode(), "e30", "AAAA"]
)
def test_a_cursor_the_api_did_not_give_out_is_a_400_with_a_message(world, cursor):
    response = api_get(world.tokens["admin"], reverse("api:v1:member_list"), {"cursor": cursor})
    assert response.status_code == 400
    assert "游标" in response.json()["detail"]  # says, in Chinese, that the cursor is not one the API gave out


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": "abc"}, "limit"),
        ({"limit": "10000"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"organization": "x"}, "organization"),
        ({"organization": str(10**30)}, "organization"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"standing": "nonsense"}, "standing"),
        ({"cursor": "x" * 500}, "cursor"),
    ],
)
def test_a_query_parameter_the_api_cannot_use_is_a_422_naming_it(world, params, parameter):
    response = api_get(world.tokens["admin"], reverse("api:v1:member_list"), params)
    assert response.status_code == 422
    body = response.json()
    assert parameter in body["detail"]
    assert [error["parameter"] for error in body["errors"]] == [parameter]


@pytest.mark.parametrize("path", ["/api/v1/members/abc", "/api/v1/members/0", f"/api/v1/members/{10**30}"])
def test_a_bad_id_in_the_path_is_a_422_and_an_unknown_one_a_404(world, path):
    response = api_get(world.tokens["admin"], path)
    assert response.status_code == 422 and response.json()["detail"]
    assert api_get(world.tokens["admin"], "/api/v1/members/999999").status_code == 404


def test_filters_by_date_and_time_take_naive_and_aware_values(world):
    for value in ("2020-01-01T00:00:00", "2020-01-01T00:00:00+08:00", "2020-01-01"):
        response = api_get(world.tokens["admin"], reverse("api:v1:member_list"), {"updated_since": value})
        assert response.status_code == 200 and len(response.json()["items"]) == Member.objects.count()
    future = api_get(world.tokens["admin"], reverse("api:v1:member_list"), {"updated_since": "2999-01-01T00:00:00Z"})
    assert future.json()["items"] == []
