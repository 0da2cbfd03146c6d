"""The review queues cost a fixed number of queries, whatever the number of rows they show (5 versus 50)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfservice import actions
from selfservice.models import Purpose
from tests.conftest import login
from tests.factories import MemberFactory

QUERY_CAP = 15
FEW, MANY = 5, 50


def _count(client, url: str) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _add_reports(county, how_many: int) -> None:
    for _ in range(how_many):
        member = MemberFactory(home_branch=county.huaguo)
        link = actions.send_link(member, purpose=Purpose.CHANGE, by=county.admin)
        actions.submit_report(link, circumstance="换了工作")


def _add_requests(county, how_many: int) -> None:
    for i in range(how_many):
        actions.leave_request(county.huadu, ip=None, name=f"求助人{i}", phone="13800138000", home_township="塔峰镇")


@pytest.mark.parametrize(
    ("url_name", "add", "user"),
    [
        ("selfservice:report_list", _add_reports, "branch"),
        ("selfservice:report_list", _add_reports, "county_staff"),
        ("selfservice:request_list", _add_requests, "secretary"),
    ],
)
def test_the_review_queue_costs_the_same_queries_for_5_and_50_rows(county, url_name, add, user):
    client = login(getattr(county, user))
    url = reverse(url_name) + "?per_page=100"
    add(county, FEW)
    few, page = _count(client, url)
    add(county, MANY - FEW)
    many, page = _count(client, url)
    assert page.count("<tr") >= MANY  # the rows really are on the page
    assert few == many and many <= QUERY_CAP, (few, many)
