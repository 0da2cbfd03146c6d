"""Every services list page costs a fixed, small number of queries, whatever the number of rows.

Each test counts the queries of one page with 5 rows, adds 45 more, counts again, and asserts the two
counts are equal (no query per row) and small — in the style of tests/test_query_counts.py.
"""

import itertools
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.models import CaseKind, HometownProject, ServiceCase, ServiceCategory
from tests.conftest import login
from tests.factories import MemberFactory
from tests.services.factories import (
    HometownProjectFactory,
    RecognitionFactory,
    RepresentativePostFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
)

QUERY_CAP = 15
FEW, MANY = 5, 50


def _count_queries(client: Client, url: str, params: dict[str, Any] | None = None) -> tuple[int, Any]:
    client.get(url, params)  # warm up: per-process caches (content types, translations) are not per row
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def _listed(response: Any) -> int:
    return len(response.context["table"].paginated_rows)


def _members(county: SimpleNamespace) -> Any:
    """A new member per row, from branches on both sides of the township's border."""
    return (
        MemberFactory(home_branch=branch)
        for branch in itertools.cycle([county.huaguo, county.chengdong, county.zongshicun])
    )


def _add_cases(county: SimpleNamespace, how_many: int) -> None:
    organizations = itertools.cycle([county.huaguo, county.chengdong, county.huadu])
    kinds = itertools.cycle(
        [(CaseKind.WAGE_RECOVERY, Decimal("5000")), (CaseKind.HARDSHIP, Decimal("800")), (CaseKind.MEDIATION, None)]
    )
    members = _members(county)
    for i in range(how_many):
        kind, amount = next(kinds)
        member = next(members) if i % 2 else None
        item = ServiceItemFactory() if i % 5 == 0 else None
        ServiceCaseFactory(
            organization=next(organizations),
            kind=CaseKind.CROSS_PROVINCE if item else kind,
            amount=None if item else amount,
            member=member,
            service_item=item,
        )


def _add_items(county: SimpleNamespace, how_many: int) -> None:
    for _ in range(how_many):
        ServiceItemFactory(category=ServiceCategory.CIVIL_AFFAIRS)  # the seeded catalog has none of these


def _add_recognitions(county: SimpleNamespace, how_many: int) -> None:
    members = _members(county)
    for _ in range(how_many):
        RecognitionFactory(member=next(members))


def _add_posts(county: SimpleNamespace, how_many: int) -> None:
    members = _members(county)
    for _ in range(how_many):
        RepresentativePostFactory(member=next(members))


def _add_projects(county: SimpleNamespace, how_many: int) -> None:
    organizations = itertools.cycle([county.huaguo, county.chengdong, county.zongshicun])
    members = _members(county)
    for _ in range(how_many):
        HometownProjectFactory(organization=next(organizations), members=[next(members), next(members)])


LISTS: dict[str, tuple[str, Callable[[SimpleNamespace, int], None], dict[str, str]]] = {
    "the_service_case_list": ("services:servicecase_list", _add_cases, {}),
    "the_service_case_list_filtered_by_organization_outcome_and_date": (
        "services:servicecase_list",
        _add_cases,
        {"organization": "TAFENG", "outcome": "resolved", "since": "2025-01-01"},
    ),
    "the_service_catalog": ("services:serviceitem_list", _add_items, {"category": ServiceCategory.CIVIL_AFFAIRS}),
    "the_recognition_list": ("services:recognition_list", _add_recognitions, {}),
    "the_recognition_list_filtered_by_organization": (
        "services:recognition_list",
        _add_recognitions,
        {"organization": "TAFENG", "level": "county"},
    ),
    "the_representative_post_list": ("services:representativepost_list", _add_posts, {"current": "on"}),
    "the_hometown_project_list": ("services:hometownproject_list", _add_projects, {}),
    "the_hometown_project_list_filtered_by_organization": (
        "services:hometownproject_list",
        _add_projects,
        {"organization": "TAFENG", "q": "回乡"},
    ),
}


@pytest.mark.parametrize("page", LISTS)
@pytest.mark.parametrize("persona", ["admin", "township"])
def test_the_list_costs_the_same_queries_for_5_and_for_50_rows(county, persona, page):
    url_name, add_rows, params = LISTS[page]
    params = {key: str(county.tafeng.pk) if value == "TAFENG" else value for key, value in params.items()}
    client = login(getattr(county, persona))
    url = reverse(url_name)

    add_rows(county, FEW)
    few_queries, few_response = _count_queries(client, url, params)
    add_rows(county, MANY - FEW)
    many_queries, many_response = _count_queries(client, url, params)

    assert _listed(many_response) > _listed(few_response) >= 3  # the rows really grew
    assert many_queries == few_queries
    assert many_queries <= QUERY_CAP


@pytest.mark.parametrize(
    ("url_name", "model", "add_rows"),
    [
        pytest.param("services:servicecase_detail", ServiceCase, _add_cases, id="the_page_of_a_service_case"),
        pytest.param(
            "services:hometownproject_detail", HometownProject, _add_projects, id="the_page_of_a_hometown_project"
        ),
    ],
)
def test_a_detail_page_costs_a_fixed_small_number_of_queries(county, url_name, model, add_rows):
    add_rows(county, 3)
    record = model.objects.filter(organization=county.huaguo).first()
    queries, _response = _count_queries(login(county.township), reverse(url_name, args=[record.pk]))
    assert queries <= QUERY_CAP
