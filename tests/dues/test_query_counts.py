"""The dues pages and exports cost the same number of queries for 5 and for 50 members (each with a standard, a
payment, a month exempted and a reduction), so they stay fast at the county's and the province's size."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dues import actions
from dues.models import DuesRelief, DuesStandard
from tests.conftest import login
from tests.dues.conftest import entered_long_ago, fresh, give_standard
from tests.factories import MemberFactory
from tests.ledgers.test_exports import export

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")

QUERY_CAP = 30
FEW, MANY = 5, 50


def _grow(county, members: int) -> None:
    have = DuesStandard.objects.filter(home_branch=county.huaguo).count()
    for i in range(have, members):
        member = MemberFactory(name=f"花果村党员{i:02d}", home_branch=county.huaguo)
        entered_long_ago()
        give_standard(member, 2026, income=str(2000 + 100 * i), by=county.admin)
        member = fresh(member)
        actions.record_payment(
            member,
            months=[(2026, 1 + i % 5)],
            amount=Decimal("1000"),
            paid_on=datetime.date(2026, 6, 1),
            paid_at=member.home_branch,
            by=county.admin,
        )
        relief = actions.request_relief(
            DuesRelief(member=member, kind="exempt", year=2026, from_month=6, to_month=6, reason="因病"),
            by=county.branch,
        )
        if i % 2:
            actions.decide_relief(relief, approve=True, by=county.township)


def _count(client, url: str, params: dict | None = None) -> int:
    client.get(url, params)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _count_export(client, url_name: str) -> int:
    export(client, url_name)
    with CaptureQueriesContext(connection) as captured:
        response = export(client, url_name)
    assert response.status_code == 200
    b"".join(response.streaming_content) if response.streaming else response.content
    return len(captured.captured_queries)


PAGES = {
    "the_year_grid": lambda c: (reverse("dues:grid"), {"organization": c.huaguo.pk, "year": 2026}),
    "the_month_view": lambda c: (reverse("dues:month", args=[c.huaguo.pk, 2026, 6]), None),
    "the_standard_list": lambda c: (reverse("dues:standard_list"), None),
    "the_payment_list": lambda c: (reverse("dues:payment_list"), None),
    "the_arrears_list": lambda c: (reverse("dues:arrears_list"), None),
    "the_arrears_list_at_level_6": lambda c: (reverse("dues:arrears_list"), {"level": "6"}),
    "the_relief_list": lambda c: (reverse("dues:relief_list"), None),
    "the_yearly_summary": lambda c: (reverse("dues:summary"), {"year": 2026}),
    "the_six_month_warnings_with_their_dues_section": lambda c: (reverse("activities:life_warning_list"), None),
    "the_dashboard": lambda c: (reverse("dashboard"), None),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["admin", "township"])
def test_the_dues_page_costs_the_same_queries_for_5_and_for_50_members(county, persona, page):
    client = login(getattr(county, persona))
    _grow(county, FEW)
    few = _count(client, *PAGES[page](county))
    _grow(county, MANY)
    many = _count(client, *PAGES[page](county))
    assert few == many, f"{page}: {few} queries with {FEW} members, {many} with {MANY}"
    assert many <= QUERY_CAP, f"{page}: {many} queries"


@pytest.mark.parametrize("ledger_page", ["dues:standard_list", "dues:payment_list"])
def test_the_dues_exports_cost_the_same_queries_for_5_and_for_50_members(county, ledger_page, settings):
    settings.LEDGER_EAGER_JOBS_IN_THREAD = False
    client = login(county.admin)
    _grow(county, FEW)
    few = _count_export(client, ledger_page)
    _grow(county, MANY)
    many = _count_export(client, ledger_page)
    assert few == many, f"{ledger_page}: {few} queries with {FEW} members, {many} with {MANY}"


def test_the_pages_above_really_show_the_50_members(county):
    _grow(county, MANY)
    client = login(county.admin)
    grid = client.get(reverse("dues:grid"), {"organization": county.huaguo.pk, "year": 2026})
    assert len(grid.context["rows"]) >= MANY
    assert client.get(reverse("dues:payment_list")).context["table"].paginator.count == MANY
    summary = client.get(reverse("dues:summary"), {"year": 2026}).context["total"]
    assert summary.standards == MANY and summary.collected > 0
