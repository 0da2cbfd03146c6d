"""The ledger pages cost the same number of queries for 5 and for 50 rows (exports in the history, faults in an
import's preview, organizations in the organization ledger), in the style of tests/test_query_counts.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lanshan_party.models import ExportJob, ExportStatus, ImportBatch, ImportStatus
from organizations.models import OrgKind
from tests.conftest import login
from tests.factories import OrganizationFactory, UserFactory
from tests.test_query_counts import _count_queries

QUERY_CAP = 15
FEW, MANY = 5, 50


def _add_exports(county, how_many: int) -> None:
    owners = [county.admin, UserFactory(organization=county.huaguo), county.county_staff]
    for n in range(ExportJob.objects.count(), how_many):
        ExportJob.objects.create(
            user=owners[n % 3],
            ledger=("members", "organizations", "activities")[n % 3],
            source="/members/",
            filters=f"筛选{n}",
            masked=bool(n % 2),
            status=(ExportStatus.DONE, ExportStatus.RUNNING, ExportStatus.EXPIRED)[n % 3],
            row_count=n,
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )


@pytest.mark.parametrize("params", [{}, {"status": "done"}])
def test_the_export_history_costs_the_same_queries_for_5_and_for_50_exports(county, params):
    client = login(county.admin)
    url = reverse("ledgers:export_list")
    _add_exports(county, FEW)
    few, few_response = _count_queries(client, url, params)
    _add_exports(county, MANY)
    many, many_response = _count_queries(client, url, params)
    assert len(many_response.context["table"].paginated_rows) > len(few_response.context["table"].paginated_rows)
    assert few == many <= QUERY_CAP


def _preview(county, faults: int) -> ImportBatch:
    errors = [{"row": n + 2, "column": "公民身份号码", "message": f"第{n}个问题"} for n in range(faults)]
    return ImportBatch.objects.create(
        user=county.branch,
        ledger="members",
        original_name="台账.xlsx",
        status=ImportStatus.CHECKED,
        total_rows=faults + 10,
        error_rows=faults,
        error_count=faults,
        errors=errors,
    )


def test_an_imports_preview_costs_the_same_queries_for_5_and_for_50_faults(county):
    client = login(county.branch)
    few, few_response = _count_queries(client, reverse("ledgers:import_detail", args=[_preview(county, FEW).pk]))
    many, many_response = _count_queries(client, reverse("ledgers:import_detail", args=[_preview(county, MANY).pk]))
    assert many_response.content.decode().count("第") >= MANY > FEW
    assert few == many <= QUERY_CAP


def test_the_import_history_costs_the_same_queries_for_5_and_for_50_imports(county):
    client = login(county.admin)
    url = reverse("ledgers:import_list")
    for n in range(FEW):
        _preview(county, n)
    few, _response = _count_queries(client, url)
    for n in range(FEW, MANY):
        _preview(county, n)
    many, _response = _count_queries(client, url)
    assert few == many <= QUERY_CAP


def _add_branches(county, how_many: int) -> None:
    for n in range(how_many):
        OrganizationFactory(
            name=f"中共蓝山县测试村{n}-{how_many}支部委员会", kind=OrgKind.VILLAGE, parent=county.tafeng
        )


@pytest.mark.parametrize("persona", ["admin", "township"])
def test_the_organization_ledger_costs_the_same_queries_for_5_and_for_50_organizations(county, persona):
    client = login(getattr(county, persona))
    url = reverse("organizations:organization_ledger")
    _add_branches(county, FEW)
    few, _response = _count_queries(client, url)
    _add_branches(county, MANY - FEW)
    many, _response = _count_queries(client, url)
    assert few == many <= QUERY_CAP
