"""The inflow pages and the inflow ledger export cost the same number of queries for 5 and for 50 inflow members."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inflow import actions
from inflow.models import InflowMember, InflowStatus
from tests.conftest import login
from tests.inflow.factories import InflowMemberFactory
from tests.test_query_counts import _count_queries

QUERY_CAP = 20
FEW, MANY = 5, 50


@pytest.fixture(autouse=True)
def ledger_jobs_run_inline(settings):
    settings.LEDGER_EAGER_JOBS_IN_THREAD = False


def _grow(world, how_many: int) -> None:
    """Inflow members of 花果村 and 城东社区 in every state, with reports back and attendance."""
    branches = itertools.cycle([world.huaguo, world.chengdong])
    statuses = itertools.cycle([InflowStatus.REPORTED, InflowStatus.PENDING, InflowStatus.REPORTED])
    for n in range(InflowMember.objects.in_subtree(world.tafeng.path).count(), how_many):
        inflow = InflowMemberFactory(branch=next(branches), status=next(statuses))
        if inflow.status == InflowStatus.REPORTED:
            actions.record_report_back(
                inflow, on=datetime.date(2026, 1, 1), channel="phone", content=f"第{n}次反馈", by=world.admin
            )
            actions.save_inflow_attendance(world.act_huaguo, statuses={inflow.pk: "present"}, by=world.admin)
    InflowMember.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))


PAGES = {
    "the_inflow_member_list": lambda w: (reverse("inflow:inflowmember_list"), None),
    "the_inflow_member_list_filtered": lambda w: (
        reverse("inflow:inflowmember_list"),
        {"status": "reported", "branch": w.tafeng.pk, "year": 2024, "q": "流入"},
    ),
    "the_inflow_warnings": lambda w: (reverse("inflow:life_warning_list"), None),
    "the_inflow_attendance_of_an_activity": lambda w: (
        reverse("inflow:activity_attendance", args=[w.act_huaguo.pk]),
        None,
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("persona", ["admin", "township"])
def test_an_inflow_page_costs_the_same_queries_for_5_and_for_50_inflow_members(world, page, persona):
    client = login(getattr(world, persona))
    url, params = PAGES[page](world)
    _grow(world, FEW)
    few, few_response = _count_queries(client, url, params)
    _grow(world, MANY)
    many, many_response = _count_queries(client, url, params)
    assert len(many_response.content) > len(few_response.content)  # the rows really grew
    assert few == many <= QUERY_CAP


def _export_queries(client) -> int:
    def export():
        response = client.post(reverse("inflow:inflowmember_list"), {"format": "xlsx"})
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        return response

    export()
    with CaptureQueriesContext(connection) as captured:
        export()
    return len(captured.captured_queries)


def test_an_inflow_ledger_export_costs_the_same_queries_for_5_and_for_50_inflow_members(world):
    client = login(world.township)
    _grow(world, FEW)
    few = _export_queries(client)
    _grow(world, MANY)
    many = _export_queries(client)
    assert few == many <= 25


def test_an_inflow_member_page_costs_the_same_queries_with_1_and_with_10_reports(world):
    client = login(world.branch)
    inflow = world.in_huaguo
    url = inflow.get_absolute_url()
    actions.record_report_back(inflow, on=datetime.date(2026, 1, 1), channel="phone", content="一", by=world.admin)
    few, _response = _count_queries(client, url)
    for n in range(9):
        actions.record_report_back(
            inflow, on=datetime.date(2026, 2, 1 + n), channel="letter", content=f"第{n}次", by=world.admin
        )
    many, response = _count_queries(client, url)
    assert response.content.decode().count("第") >= 9
    assert few == many <= QUERY_CAP
