"""A secretary's export holds their own organization's rows, and says so: its title row names that organization,
not the county, and the export history shows the scope beside the filters."""

from django.urls import reverse

from lanshan_party.models import ExportJob
from tests.conftest import login
from tests.ledgers.workbooks import download_bytes, read_sheet

LIST = reverse("members:member_list")


def title_of(client, query: str = "") -> str:
    response = client.post(LIST + query, {"format": "xlsx"})
    assert response.status_code == 200, response
    return read_sheet(download_bytes(response))[0][0]


def test_a_branch_secretarys_export_is_titled_with_their_own_organization_and_the_filters(county):
    title = title_of(login(county.branch), "?status=lost")

    assert title.startswith("中共蓝山县塔峰镇花果村支部委员会流动党员台账")
    assert county.committee.name not in title
    assert "流动状态：失联" in title


def test_a_flowing_secretarys_export_is_titled_with_the_flowing_organization(county):
    title = title_of(login(county.secretary))

    assert title.startswith(f"{county.huadu.name}流动党员台账")


def test_a_county_staff_export_is_still_titled_with_the_county(county):
    title = title_of(login(county.county_staff))

    assert title.startswith("中共蓝山县委员会流动党员台账") and "无筛选条件" in title


def test_the_export_history_shows_the_scope_of_a_secretarys_export_beside_its_filters(county):
    client = login(county.branch)
    title_of(client, "?status=lost")

    html = login(county.admin).get(reverse("ledgers:export_list")).content.decode()

    job = ExportJob.objects.get(user=county.branch)
    assert job.scope == county.huaguo.name
    assert "范围：中共蓝山县塔峰镇花果村支部委员会；流动状态：失联" in html
