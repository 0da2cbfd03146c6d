"""Creating, moving, editing and dissolving organizations, and their stations."""

import pytest
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from organizations.models import Organization, OrgKind, Station
from tests.conftest import login
from tests.factories import MemberFactory, OrganizationFactory


def org_data(**overrides):
    data = {
        "name": "中共蓝山县塔峰镇新村支部委员会",
        "short_name": "新村",
        "kind": OrgKind.VILLAGE,
        "level": "branch",
        "province": "",
        "basis": "",
    }
    data.update(overrides)
    return data


def test_an_organization_created_in_the_app_gets_its_place_in_the_tree_and_an_audit_entry(county):
    response = login(county.county_staff).post(
        reverse("organizations:organization_create"), org_data(parent=county.tafeng.pk)
    )

    assert response.status_code == 302
    org = Organization.objects.get(name="中共蓝山县塔峰镇新村支部委员会")
    assert org.path == f"{county.tafeng.path}{org.pk}/"
    assert org.depth == 2
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(org.pk)).exists()


def test_moving_an_organization_moves_its_whole_subtree(county):
    branch_of_branch = OrganizationFactory(name="花果村第一党小组", kind=OrgKind.VILLAGE, parent=county.huaguo)
    county.huaguo.parent = county.zongshi
    county.huaguo.save()

    branch_of_branch.refresh_from_db()
    assert county.huaguo.path.startswith(county.zongshi.path)
    assert branch_of_branch.path == f"{county.huaguo.path}{branch_of_branch.pk}/"
    # … and so does who can see it: 塔峰镇 staff no longer see the branch or its members.
    assert not Organization.objects.visible_to(county.township).filter(pk=county.huaguo.pk).exists()


@pytest.mark.parametrize(
    ("kind", "parent", "message"),
    [
        (OrgKind.VILLAGE, "committee", "上级党组织应为"),
        (OrgKind.TOWNSHIP, "tafeng", "上级党组织应为"),
        (OrgKind.COUNTY, None, "已有县委"),
        (OrgKind.VILLAGE, None, "请选择"),
    ],
)
def test_an_organization_in_the_wrong_place_is_refused_with_a_chinese_message(county, kind, parent, message):
    data = org_data(kind=kind, parent=getattr(county, parent).pk if parent else "")
    response = login(county.admin).post(reverse("organizations:organization_create"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organization.objects.filter(name=data["name"]).exists()


def test_a_flowing_organization_needs_its_destination(county):
    data = org_data(name="中共蓝山县驻某地流动党员支部委员会", kind=OrgKind.FLOWING, parent=county.committee.pk)
    response = login(county.admin).post(reverse("organizations:organization_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["city"]


def test_an_organization_cannot_be_moved_under_its_own_branch(county):
    data = org_data(name=county.tafeng.name, kind=OrgKind.TOWNSHIP, level="committee", parent=county.huaguo.pk)
    response = login(county.admin).post(reverse("organizations:organization_update", args=[county.tafeng.pk]), data)

    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    county.tafeng.refresh_from_db()
    assert county.tafeng.parent == county.committee


def test_the_contact_phone_is_validated_and_kept_encrypted(county):
    data = org_data(parent=county.tafeng.pk, contact_phone="12345")
    response = login(county.admin).post(reverse("organizations:organization_create"), data)
    assert "contact_phone" in response.context["form"].errors

    data["contact_phone"] = "187 0728 0104"
    login(county.admin).post(reverse("organizations:organization_create"), data)
    org = Organization.objects.get(name=data["name"])
    assert org.contact_phone == "18707280104"
    page = login(county.admin).get(org.get_absolute_url()).content.decode()
    assert "187****0104" in page and "18707280104" not in page


def test_an_organization_with_members_or_users_cannot_be_dissolved_and_says_why(county):
    url = reverse("organizations:organization_dissolve", args=[county.huaguo.pk])
    response = login(county.admin).post(url, {"dissolved_on": "2026-01-01", "confirm": "on"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "组织关系" in page  # members still have it as their home branch
    assert "用户账号" in page  # the branch secretary's account still belongs to it
    county.huaguo.refresh_from_db()
    assert county.huaguo.is_active


def test_an_empty_organization_is_dissolved_and_leaves_the_forms(county):
    empty = OrganizationFactory(name="中共蓝山县塔峰镇旧村支部委员会", parent=county.tafeng)
    url = reverse("organizations:organization_dissolve", args=[empty.pk])
    response = login(county.admin).post(url, {"dissolved_on": "2026-01-01", "confirm": "on"})

    assert response.status_code == 302
    empty.refresh_from_db()
    assert not empty.is_active and str(empty.dissolved_on) == "2026-01-01"
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(empty.pk)).exists()
    form = login(county.admin).get(reverse("members:member_create")).context["form"]
    assert empty not in form.fields["home_branch"].queryset


def test_dissolving_needs_the_confirmation_box(county):
    empty = OrganizationFactory(name="中共蓝山县塔峰镇旧村支部委员会", parent=county.tafeng)
    url = reverse("organizations:organization_dissolve", args=[empty.pk])
    response = login(county.admin).post(url, {"dissolved_on": "2026-01-01"})

    assert response.status_code == 200
    empty.refresh_from_db()
    assert empty.is_active


def test_a_station_is_added_to_a_flowing_organization(county):
    response = login(county.county_staff).post(
        reverse("organizations:station_create"),
        {
            "organization": county.huadu.pk,
            "name": "花都区狮岭镇流动党员驿站",
            "address": "广州市花都区狮岭镇皮革城1号",
            "opened_on": "2023-05-01",
            "funding": ["donations", "entrepreneurs"],
            "duties": "学习教育、联系服务、矛盾调解",
        },
    )

    assert response.status_code == 302
    station = Station.objects.get(name="花都区狮岭镇流动党员驿站")
    assert station.funding == ["donations", "entrepreneurs"]
    page = login(county.secretary).get(county.huadu.get_absolute_url()).content.decode()
    assert "花都区狮岭镇流动党员驿站" in page and "党员捐助" in page


def test_the_tree_counts_members_of_each_subtree(county):
    MemberFactory(name="新党员", home_branch=county.huaguo)
    response = login(county.admin).get(reverse("organizations:organization_tree"))

    nodes = {node.pk: node for node in response.context["nodes"]}
    assert nodes[county.huaguo.pk].home_total == 2
    assert nodes[county.tafeng.pk].home_total == 3  # 花果村 2 + 城东社区 1
    assert nodes[county.committee.pk].home_total == 4
    assert nodes[county.huadu.pk].flowing_total == 1
    assert nodes[county.committee.pk].flowing_total == 2


def test_a_township_officer_sees_only_their_township_in_the_tree(county):
    response = login(county.township).get(reverse("organizations:organization_tree"))

    names = [node.name for node in response.context["nodes"]]
    assert names == [county.tafeng.name, county.huaguo.name, county.chengdong.name]
    assert "partners" not in response.context


def test_dissolving_writes_the_change_and_its_audit_entry_together_or_not_at_all(county, monkeypatch):
    import datetime

    from lanshan_party import audit as audit_module
    from lanshan_party.models import AuditAction, AuditEntry
    from organizations import actions
    from organizations.models import Organization

    empty = Organization.objects.create(name="中共蓝山县塔峰镇待撤销村支部委员会", parent=county.tafeng)

    def audit_fails(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit_module, "record_update", audit_fails)
    with pytest.raises(RuntimeError):
        actions.dissolve_organization(empty, on=datetime.date(2026, 1, 1), by=county.county_staff)
    monkeypatch.undo()

    assert Organization.objects.get(pk=empty.pk).is_active  # the change went with the failed audit entry

    assert actions.dissolve_organization(empty, on=datetime.date(2026, 1, 1), by=county.county_staff) is True
    assert actions.dissolve_organization(empty, on=datetime.date(2026, 1, 1), by=county.county_staff) is False
    assert AuditEntry.objects.filter(object_repr=empty.name, action=AuditAction.UPDATE).count() == 1


def test_an_organization_members_still_hang_on_is_not_dissolved(county):
    import datetime

    from organizations import actions

    with pytest.raises(actions.DissolveRefused) as refused:
        actions.dissolve_organization(county.huaguo, on=datetime.date(2026, 1, 1), by=county.county_staff)

    assert refused.value.reasons and county.huaguo.__class__.objects.get(pk=county.huaguo.pk).is_active
