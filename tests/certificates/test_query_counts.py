"""The register and the printable register cost the same number of queries for 5 and for 50 certificates."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import actions
from certificates.models import Certificate
from members import actions as member_actions
from tests.conftest import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")  # 2026-06-15: checks of early 2025 are due again

QUERY_CAP = 15
FEW, MANY = 5, 50


def _grow(county, certificates: int) -> None:
    """Up to `certificates` members away in Huadu from 花果村, each with a certificate and two checks."""
    for i in range(Certificate.objects.count(), certificates):
        member = MemberFactory(home_branch=county.huaguo)
        outflow = member_actions.register_outflow(
            member, by=county.admin, departure_date=datetime.date(2024, 1, 1), province="广东省", city="广州市",
            district="花都区",
        )  # fmt: skip
        certificate = actions.issue_certificate(outflow, by=county.admin, issued_on=datetime.date(2024, 1, 2))
        actions.record_check(certificate, by=county.admin, on=datetime.date(2025, 1, 3))
        actions.record_check(certificate, by=county.admin, on=datetime.date(2025, 2, 3 + i % 20))
        if i % 7 == 3:
            actions.hand_back(certificate, by=county.admin, on=datetime.date(2025, 3, 1), condition="worn")


def _get(client, url: str, params: dict | None) -> tuple[int, object]:
    client.get(url, params)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def _count(client, url: str, params: dict | None) -> int:
    return _get(client, url, params)[0]


def _count_and_rows(client, url: str, params: dict | None) -> tuple[int, int]:
    queries, response = _get(client, url, params)
    context = response.context
    rows = len(context["rows"]) if "rows" in context else context["table"].paginator.count
    return queries, rows


PAGES = {
    "the_register": ("certificates:certificate_list", None),
    "the_register_of_certificates_due": ("certificates:certificate_list", {"status": "due", "q": "塔峰"}),
    "the_printable_register": ("certificates:certificate_print", None),
    "the_printable_register_of_one_year": ("certificates:certificate_print", {"year": "2024", "status": "handed_back"}),
}


@pytest.mark.parametrize("persona", ["county_staff", "township", "secretary", "branch"])
@pytest.mark.parametrize("page", PAGES)
def test_the_certificate_pages_cost_the_same_queries_for_5_and_for_50_certificates(county, persona, page):
    url_name, params = PAGES[page]
    client = login(getattr(county, persona))
    _grow(county, FEW)
    few, few_rows = _count_and_rows(client, reverse(url_name), params)
    _grow(county, MANY)
    many, many_rows = _count_and_rows(client, reverse(url_name), params)

    assert Certificate.objects.count() == MANY
    assert 0 < few_rows < many_rows
    assert few == many
    assert many <= QUERY_CAP


def test_the_member_page_costs_the_same_queries_with_its_certificates_card_for_1_and_for_5_certificates(county):
    client = login(county.township)
    url = reverse("members:member_detail", args=[county.yuan.pk])
    certificate = actions.issue_certificate(county.yuan_outflow, by=county.admin, issued_on=datetime.date(2024, 3, 2))
    one = _count(client, url, None)
    for day in range(3, 7):
        actions.void_certificate(certificate, by=county.admin, on=datetime.date(2024, 3, day), reason="mistake")
        certificate = actions.issue_certificate(
            county.yuan_outflow, by=county.admin, issued_on=datetime.date(2024, 3, day)
        )
    five = _count(client, url, None)

    assert Certificate.objects.filter(member=county.yuan).count() == 5
    assert one == five
