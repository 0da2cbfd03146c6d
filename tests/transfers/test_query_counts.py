"""The transfer list and the to-do box cost the same number of queries for 5 and for 50 transfers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import MemberFactory
from tests.transfers.conftest import DESTINATION
from transfers import actions
from transfers.models import Transfer

QUERY_CAP = 20
FEW, MANY = 5, 50


def _grow(county, count: int) -> None:
    expired_issue_day = timezone.localdate() - datetime.timedelta(days=100)  # valid 90 days: expired by now
    for i in range(Transfer.objects.count(), count):
        member = MemberFactory(home_branch=county.huaguo if i % 2 else county.chengdong)
        transfer = actions.start_transfer_out(member, by=county.branch, **DESTINATION)
        if i % 3:
            actions.submit(transfer, by=county.branch)
            actions.approve(transfer, by=county.township)
        if i % 3 == 2:
            actions.approve(transfer, by=county.county_staff, on=expired_issue_day)


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("persona", "url_name", "query"),
    [
        ("county_staff", "transfers:transfer_list", ""),
        ("township", "transfers:transfer_list", "?status=at_county"),
        ("county_staff", "transfers:transfer_box", "?box=unfinished"),
        ("township", "transfers:transfer_box", "?box=overdue"),
    ],
)
def test_the_transfer_pages_cost_the_same_queries_for_5_and_50_transfers(county, persona, url_name, query):
    client = login(getattr(county, persona))
    url = reverse(url_name) + query
    _grow(county, FEW)
    few = _count(client, url)
    _grow(county, MANY)
    assert Transfer.objects.count() == MANY
    many = _count(client, url)
    assert few == many <= QUERY_CAP, (few, many)


def test_the_list_flags_expired_letters_without_receipt(county):
    _grow(county, 3)
    page = login(county.county_staff).get(reverse("transfers:transfer_list")).content.decode()
    assert page.count('data-testid="overdue"') == 1
