"""The organizational-life pages and the dashboard cost the same number of queries for 5 and for 50 organizations.

Each organization gets a member away under it, an activity with attendance, a red package and a service
case, so every grouped figure has one more group per organization; the counts must not grow with them.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity, RedPackage
from members import actions
from members.models import Member
from tests.conftest import login
from tests.factories import ActivityFactory, FlowingOrgFactory, MemberFactory, attend
from tests.services.factories import HometownProjectFactory, ServiceCaseFactory

QUERY_CAP = 32  # the dashboard is the biggest: each domain's grouped figures (members, activities, services, dues, inflow, the year's duties and its map) plus the scope look-ups
FEW, MANY = 5, 50
CITIES = [("广东省", "广州市"), ("广东省", "深圳市"), ("海南省", "文昌市"), ("云南省", "昆明市"), ("浙江省", "义乌市")]


def _grow(county: SimpleNamespace, organizations: int) -> None:
    """Bring the number of flowing organizations up to `organizations`, each with its own member and life."""
    home_meeting = Activity.objects.filter(organization=county.huaguo).first() or ActivityFactory(
        organization=county.huaguo, topic="花果村支部党员大会", date=datetime.date(2026, 3, 3)
    )
    have = Activity.objects.values("organization").distinct().count() - 1
    for i in range(have, organizations):
        province, city = CITIES[i % len(CITIES)]
        org = FlowingOrgFactory(parent=county.committee, province=province, city=city, district=f"测试{i}区")
        member = MemberFactory(home_branch=county.huaguo)
        actions.register_outflow(
            member,
            by=county.admin,
            departure_date=datetime.date(2025, 1, 1),
            province=province,
            city=city,
            district=f"测试{i}区",
            flowing_org=org,
        )
        member.refresh_from_db()
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=i * 5)
        attend(
            ActivityFactory(organization=org, date=day),
            (member, ("present", "online", "absent")[i % 3]),
            by=county.admin,
        )
        attend(home_meeting, (member, "online"), by=county.admin)  # members away join their home branch online
        RedPackage.objects.create(organization=org, member=member, items="党章", sent_on=day)
        ServiceCaseFactory(organization=org, date=day)
        HometownProjectFactory(organization=org)
    Member.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))


def _count(client, url: str, params: dict | None = None) -> int:
    client.get(url, params)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


PAGES = {
    "the_activity_list": lambda c: (reverse("activities:activity_list"), None),
    "the_activity_list_filtered": lambda c: (reverse("activities:activity_list"), {"type": "theme_day", "q": "主题"}),
    "the_new_activity_form_with_its_attendance_list": lambda c: (reverse("activities:activity_create"), None),
    "the_attendance_list_of_the_townships_branch": lambda c: (
        reverse("activities:roster"),
        {"organization": c.huaguo.pk},
    ),
    "the_edit_form_of_an_activity_with_attendance": lambda c: (
        reverse("activities:activity_update", args=[Activity.objects.get(organization=c.huaguo).pk]),
        None,
    ),
    "the_six_month_rule_warnings": lambda c: (reverse("activities:life_warning_list"), None),
    "the_six_month_rule_warnings_at_level_6": lambda c: (reverse("activities:life_warning_list"), {"level": "6"}),
    "the_red_package_list": lambda c: (reverse("activities:redpackage_list"), None),
    "the_dashboard": lambda c: (reverse("dashboard"), None),
    "the_home_page": lambda c: (reverse("home"), None),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["admin", "township"])
def test_the_page_costs_the_same_queries_for_5_and_for_50_organizations(county, persona, page):
    user = getattr(county, persona)
    client = login(user)
    _grow(county, FEW)
    url, params = PAGES[page](county)
    few = _count(client, url, params)
    _grow(county, MANY)
    url, params = PAGES[page](county)
    many = _count(client, url, params)
    assert Activity.objects.count() >= MANY
    assert few == many, f"{page}: {few} queries with {FEW} organizations, {many} with {MANY}"
    assert many <= QUERY_CAP, f"{page}: {many} queries"


def test_the_pages_above_really_show_the_50_organizations_rows(county):
    _grow(county, MANY)
    client = login(county.admin)
    table = client.get(reverse("activities:activity_list")).context["table"]
    assert table.paginator.count == MANY + 1 and len(table.paginated_rows) == 50
    edit = client.get(reverse("activities:activity_update", args=[Activity.objects.get(organization=county.huaguo).pk]))
    assert len(edit.context["attendance"].members) >= MANY
    roster = client.get(reverse("activities:roster"), {"organization": county.huaguo.pk}).context["attendance"]
    assert len(roster.members) >= MANY  # each organization's member has 花果村 as home branch
    charts = client.get(reverse("dashboard")).context["figures"]["charts"]
    assert sum(n for _label, n in charts["organizations"]) >= MANY
