"""The offline map of where members are: a fixed grid of the 34 provincial-level divisions, members counted per
province of their open outflow, drawn without any internet resource, scoped to the user's members."""

import datetime

import pytest
from django.urls import reverse

from members import actions
from organizations.models import PROVINCES
from tests.conftest import login
from tests.factories import MemberFactory
from yearly.dashboard import members_by_province
from yearly.tile_map import GRID, bounds, colour_class, tile_map

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")


def test_the_grid_has_one_square_of_its_own_for_each_of_the_34_divisions():
    assert len(GRID) == 34 and set(GRID) == set(PROVINCES)
    assert len(set(GRID.values())) == 34
    assert GRID["黑龙江省"][0] < GRID["广东省"][0] and GRID["新疆维吾尔自治区"][1] < GRID["上海市"][1]


def test_colour_classes_grow_with_the_count_and_zero_is_its_own_colour():
    upper = bounds(100)
    assert upper == [3, 7, 16, 40, 100]  # geometric: 2 members show beside 100
    assert [colour_class(n, upper) for n in (0, 1, 3, 4, 20, 41, 100)] == [0, 1, 1, 2, 4, 5, 5]
    assert bounds(2) == [2] and colour_class(1, bounds(2)) == colour_class(2, bounds(2)) == 1
    assert bounds(0) == [] and colour_class(0, []) == 0


def _away(county, n: int, province: str, city: str, home=None) -> None:
    for _i in range(n):
        member = MemberFactory(home_branch=home or county.huaguo)
        actions.register_outflow(
            member, by=county.admin, departure_date=datetime.date(2025, 5, 1), province=province, city=city
        )


@pytest.fixture
def spread(county):
    """Besides 袁芳伟 (广东) and 马云 (云南): from 花果村 3 more in 广东 and 2 in 浙江; from 总市村 4 in 海南."""
    _away(county, 3, "广东省", "东莞市")
    _away(county, 2, "浙江省", "义乌市")
    _away(county, 4, "海南省", "文昌市", home=county.zongshicun)
    return county


def test_the_map_counts_the_members_away_per_province(spread):
    assert members_by_province(spread.admin) == {"广东省": 4, "浙江省": 2, "海南省": 4, "云南省": 1}


def test_each_user_counts_only_their_own_members(spread):
    assert members_by_province(spread.branch) == {"广东省": 4, "浙江省": 2}
    assert members_by_province(spread.outsider) == {"海南省": 4, "云南省": 1}
    assert members_by_province(spread.secretary) == {"广东省": 1}  # 袁芳伟 is the only one under Huadu
    assert members_by_province(spread.partner) == {"广东省": 1}


def test_the_dashboard_draws_the_squares_with_their_numbers_and_a_table(spread):
    page = login(spread.branch).get(reverse("dashboard")).content.decode()

    assert 'data-testid="tile-map"' in page
    assert 'data-province="广东省" data-count="4"' in page
    assert 'data-province="海南省" data-count="0"' in page  # another township's members are not counted
    assert page.count('class="tile tile-r') == 34
    assert '<td>浙江省</td><td class="text-end">2</td>' in page
    assert "http://" not in page.split('data-testid="tile-map"')[1].split("</table>")[0]


def test_members_abroad_or_without_a_province_are_counted_beside_the_map(county):
    figures = tile_map({"广东省": 3, "": 2})
    assert figures["other"] == 2 and figures["total"] == 5
    assert figures["table"] == [("广东省", 3)]
