"""Recording services, recognitions, posts and projects through the pages: what is saved, what is refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from members.models import Member
from services.models import (
    CaseKind,
    HometownProject,
    Recognition,
    RepresentativePost,
    ServiceCase,
    ServiceItem,
)
from tests.conftest import login
from tests.services.factories import ServiceItemFactory
from tests.test_permissions import posted_back

SCOPED = ("township", "secretary", "branch")
PERSONA = {"township": "township", "secretary": "secretary", "branch": "branch"}
# For each scoped persona: an organization and a member inside their subtree, and ones outside it.
INSIDE = {"township": ("huaguo", "qin"), "secretary": ("huadu", "yuan"), "branch": ("huaguo", "yuan")}
OUTSIDE = {"township": ("zongshicun", "ma"), "secretary": ("kunming", "ma"), "branch": ("zongshicun", "ma")}


def case_data(**fields):
    return {
        "kind": CaseKind.WAGE_RECOVERY,
        "date": "2025-06-01",
        "description": "追讨皮具厂拖欠的三个月工资。",
        "outcome": "resolved",
        "amount": "18000",
        "people_helped": "3",
        "outcome_note": "",
        "beneficiary_name": "",
        **fields,
    }


# ---------------------------------------------------------------- service cases


def test_a_secretary_records_a_wage_recovery_for_their_member_as_handled_by_themselves(world):
    response = login(world.secretary).post(
        reverse("services:servicecase_create"), case_data(organization=world.huadu.pk, member=world.yuan.pk)
    )

    assert response.status_code == 302
    case = ServiceCase.objects.get(description="追讨皮具厂拖欠的三个月工资。")
    assert response.headers["Location"] == case.get_absolute_url()
    assert (case.organization, case.member, case.handled_by) == (world.huadu, world.yuan, world.secretary)
    assert case.amount == Decimal("18000")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="services.servicecase")
    assert entry.object_id == str(case.pk) and entry.actor == world.secretary


def test_a_secretary_records_a_mediation_for_a_fellow_townsperson_who_is_not_a_member(world):
    data = case_data(kind=CaseKind.MEDIATION, amount="", organization=world.huadu.pk, beneficiary_name="雷小花")
    assert login(world.secretary).post(reverse("services:servicecase_create"), data).status_code == 302
    assert ServiceCase.objects.get(beneficiary_name="雷小花").member is None


def test_a_secretary_cannot_record_a_service_for_another_organizations_member(world):
    before = ServiceCase.objects.count()
    response = login(world.secretary).post(
        reverse("services:servicecase_create"), case_data(organization=world.huadu.pk, member=world.ma.pk)
    )

    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert ServiceCase.objects.count() == before


@pytest.mark.parametrize("role", SCOPED)
@pytest.mark.parametrize("outside", ["organization", "member"])
def test_a_hand_crafted_id_from_outside_the_subtree_is_refused_and_nothing_is_saved(world, role, outside):
    org, member = INSIDE[role]
    outside_org, outside_member = OUTSIDE[role]
    data = case_data(
        organization=getattr(world, outside_org if outside == "organization" else org).pk,
        member=getattr(world, outside_member if outside == "member" else member).pk,
        description="越权测试",
    )
    response = login(getattr(world, PERSONA[role])).post(reverse("services:servicecase_create"), data)

    assert response.status_code == 200
    assert outside in response.context["form"].errors
    assert not ServiceCase.objects.filter(description="越权测试").exists()


@pytest.mark.parametrize("role", SCOPED)
def test_the_same_record_from_inside_the_subtree_is_saved(world, role):
    org, member = INSIDE[role]
    data = case_data(organization=getattr(world, org).pk, member=getattr(world, member).pk, description="范围内")
    response = login(getattr(world, PERSONA[role])).post(reverse("services:servicecase_create"), data)
    assert response.status_code == 302
    assert ServiceCase.objects.filter(description="范围内").exists()


def test_editing_a_case_cannot_move_it_to_an_organization_outside_the_subtree(world):
    url = reverse("services:servicecase_update", args=[world.case_huadu.pk])
    client = login(world.secretary)
    response = client.post(url, posted_back(client.get(url).context["form"], organization=world.kunming.pk))

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    world.case_huadu.refresh_from_db()
    assert world.case_huadu.organization == world.huadu


def test_the_member_and_organization_dropdowns_list_exactly_the_subtree(world):
    form = login(world.branch).get(reverse("services:servicecase_create")).context["form"]
    assert {m.name for m in form.fields["member"].queryset} == {"袁芳伟", "李春华"}
    assert list(form.fields["organization"].queryset) == [world.huaguo]
    assert form.initial["organization"] == world.huaguo.pk


def test_a_dissolved_organization_is_not_offered_for_new_services(world):
    world.huaguo.is_active = False
    world.huaguo.save()
    form = login(world.township).get(reverse("services:servicecase_create")).context["form"]
    assert world.huaguo not in form.fields["organization"].queryset
    assert world.chengdong in form.fields["organization"].queryset


def test_an_edit_keeps_a_member_who_has_since_moved_out_of_sight(world):
    """马云 got a job through the Kunming organization, then came home: its secretary no longer sees him,
    but can still correct the case, which stays his."""
    kunming_secretary = world.outsider
    kunming_secretary.organization = world.kunming
    kunming_secretary.save()
    Member.objects.filter(pk=world.ma.pk).update(flowing_org=None)
    url = reverse("services:servicecase_update", args=[world.case_kunming.pk])
    client = login(kunming_secretary)
    form = client.get(url).context["form"]
    assert list(form.fields["member"].queryset) == [world.ma]

    response = client.post(url, posted_back(form, outcome_note="回访"))

    assert response.status_code == 302
    world.case_kunming.refresh_from_db()
    assert (world.case_kunming.member, world.case_kunming.outcome_note) == (world.ma, "回访")


def test_a_cross_province_service_without_its_item_is_refused_with_a_field_error(world):
    data = case_data(kind=CaseKind.CROSS_PROVINCE, amount="", organization=world.huadu.pk, member=world.yuan.pk)
    response = login(world.secretary).post(reverse("services:servicecase_create"), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["service_item"]


def test_a_withdrawn_catalog_item_is_not_offered_and_cannot_be_posted(world):
    item = ServiceItemFactory(name="已停办事项", is_active=False)
    client = login(world.secretary)
    assert (
        item not in client.get(reverse("services:servicecase_create")).context["form"].fields["service_item"].queryset
    )
    data = case_data(
        kind=CaseKind.CROSS_PROVINCE, amount="", organization=world.huadu.pk, member=world.yuan.pk, service_item=item.pk
    )
    response = client.post(reverse("services:servicecase_create"), data)
    assert "service_item" in response.context["form"].errors


def test_a_negative_amount_is_refused_with_a_field_error(world):
    data = case_data(amount="-100", organization=world.huadu.pk, member=world.yuan.pk)
    response = login(world.secretary).post(reverse("services:servicecase_create"), data)
    assert list(response.context["form"].errors) == ["amount"]


def test_an_edit_of_a_case_writes_its_change_to_the_audit_log(world):
    url = reverse("services:servicecase_update", args=[world.case_huadu.pk])
    client = login(world.secretary)
    client.post(url, posted_back(client.get(url).context["form"], amount="25000.00"))

    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(world.case_huadu.pk))
    assert entry.changes["amount"] == ["20000.00", "25000.00"]


def test_an_edit_made_on_a_stale_page_is_refused(world):
    url = reverse("services:servicecase_update", args=[world.case_huadu.pk])
    alice, bob = login(world.admin), login(world.secretary)
    alice_data = posted_back(alice.get(url).context["form"], outcome_note="阿里斯")
    bob_data = posted_back(bob.get(url).context["form"], outcome_note="鲍勃")

    assert alice.post(url, alice_data).status_code == 302
    response = bob.post(url, bob_data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    world.case_huadu.refresh_from_db()
    assert world.case_huadu.outcome_note == "阿里斯"


# ---------------------------------------------------------------- the case list and its totals


def test_the_case_list_shows_the_totals_of_the_filtered_rows(world):
    client = login(world.admin)
    everything = client.get(reverse("services:servicecase_list")).context["totals"]
    huadu = client.get(reverse("services:servicecase_list"), {"organization": world.huadu.pk}).context["totals"]

    assert (everything["cases"], everything["wages_recovered"], everything["aid_paid"]) == (
        4,
        Decimal("20000.00"),
        Decimal("2000.00"),
    )
    assert (huadu["cases"], huadu["wages_recovered"], huadu["aid_paid"], huadu["people_helped"]) == (
        1,
        Decimal("20000.00"),
        Decimal("0.00"),
        3,
    )


def test_the_case_list_totals_are_those_of_the_users_subtree(world):
    response = login(world.secretary).get(reverse("services:servicecase_list"))
    assert response.context["totals"]["cases"] == 1
    assert "case-totals" in response.content.decode()


def test_filtering_the_case_list_with_htmx_swaps_the_table_and_the_totals(world):
    response = login(world.admin).get(
        reverse("services:servicecase_list"), {"kind": CaseKind.HARDSHIP}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert '<div id="table-container">' in html
    assert 'id="case-totals"' in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html


def test_filtering_the_case_list_by_an_outside_organization_shows_no_outside_rows(world):
    response = login(world.branch).get(reverse("services:servicecase_list"), {"organization": world.zongshicun.pk})
    assert "organization" in response.context["filter"].form.errors
    assert response.context["totals"]["cases"] == 0
    assert world.zongshicun.name not in response.content.decode()


# ---------------------------------------------------------------- recognitions, posts and projects


@pytest.mark.parametrize(
    ("url_name", "model", "data"),
    [
        pytest.param(
            "services:recognition_create",
            Recognition,
            {"award": "越权表彰", "level": "county", "year": "2024"},
            id="recognition",
        ),
        pytest.param(
            "services:representativepost_create",
            RepresentativePost,
            {"post": "cppcc", "level": "county", "term": "越权", "start_year": "2021"},
            id="representative_post",
        ),
    ],
)
def test_a_branch_secretary_cannot_record_an_honour_for_another_villages_member(world, url_name, model, data):
    before = model.objects.count()
    response = login(world.branch).post(reverse(url_name), {**data, "member": world.ma.pk})

    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert model.objects.count() == before


def test_a_township_officer_records_a_recognition_for_a_member_of_their_township(world):
    data = {"member": world.qin.pk, "award": "优秀共产党员", "level": "township", "year": "2024", "awarded_by": ""}
    response = login(world.township).post(reverse("services:recognition_create"), data)
    assert response.headers["Location"] == reverse("services:recognition_list")
    assert Recognition.objects.filter(member=world.qin, award="优秀共产党员").exists()


def project_data(**fields):
    return {
        "kind": "project",
        "title": "回乡投资皮具配件厂",
        "started_on": "2025-03-01",
        "township": "塔峰镇",
        "village": "花果村",
        "investment": "800",
        "jobs_created": "120",
        "people_enriched": "150",
        "description": "",
        **fields,
    }


def test_a_secretary_records_a_hometown_project_with_their_members(world):
    response = login(world.secretary).post(
        reverse("services:hometownproject_create"), project_data(organization=world.huadu.pk, members=[world.yuan.pk])
    )
    assert response.status_code == 302
    project = HometownProject.objects.get(title="回乡投资皮具配件厂")
    assert list(project.members.all()) == [world.yuan]
    assert project.investment == Decimal("800")


def test_a_project_linking_a_member_outside_the_subtree_is_refused(world):
    response = login(world.secretary).post(
        reverse("services:hometownproject_create"),
        project_data(organization=world.huadu.pk, members=[world.yuan.pk, world.ma.pk]),
    )
    assert "members" in response.context["form"].errors
    assert not HometownProject.objects.filter(title="回乡投资皮具配件厂").exists()


def test_editing_a_project_keeps_the_members_the_editor_cannot_see(world):
    """花果村's project involves 覃文英 of 城东社区, whom 花果村's secretary does not see or drop."""
    project = world.project_huaguo
    url = reverse("services:hometownproject_update", args=[project.pk])
    client = login(world.branch)
    form = client.get(url).context["form"]
    assert world.qin not in form.fields["members"].queryset

    response = client.post(url, posted_back(form, members=[world.yuan.pk], jobs_created="55"))

    assert response.status_code == 302
    project.refresh_from_db()
    assert set(project.members.all()) == {world.qin, world.yuan}
    assert project.jobs_created == 55


def test_a_project_page_lists_only_the_linked_members_the_user_sees(world):
    world.project_huaguo.members.add(world.yuan)
    page = login(world.branch).get(reverse("services:hometownproject_detail", args=[world.project_huaguo.pk]))
    assert [m.name for m in page.context["object"].visible_members] == ["袁芳伟"]
    assert "覃文英" not in page.content.decode()


# ---------------------------------------------------------------- the catalog


def test_county_staff_add_a_catalog_item_and_the_audit_log_records_it(world):
    data = {"name": "新增跨省事项", "category": "employment", "sort_order": "999", "is_active": "on"}
    response = login(world.county_staff).post(reverse("services:serviceitem_create"), data)

    assert response.headers["Location"] == reverse("services:serviceitem_list")
    item = ServiceItem.objects.get(name="新增跨省事项")
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(item.pk)).exists()


def test_a_catalog_item_name_cannot_be_entered_twice(world):
    data = {"name": "异地就医备案", "category": "medical", "sort_order": "1", "is_active": "on"}
    response = login(world.admin).post(reverse("services:serviceitem_create"), data)
    assert "name" in response.context["form"].errors
    assert ServiceItem.objects.filter(name="异地就医备案").count() == 1


def test_only_catalog_editors_get_links_to_edit_items(world):
    url = reverse("services:serviceitem_update", args=[world.item.pk])
    assert url in login(world.county_staff).get(reverse("services:serviceitem_list"), {"q": "测试"}).content.decode()
    assert url not in login(world.branch).get(reverse("services:serviceitem_list"), {"q": "测试"}).content.decode()


def test_a_case_page_names_a_member_out_of_sight_without_linking_to_them(world):
    kunming_secretary = world.outsider
    kunming_secretary.organization = world.kunming
    kunming_secretary.save()
    Member.objects.filter(pk=world.ma.pk).update(flowing_org=None)  # came home: out of Kunming's sight

    response = login(kunming_secretary).get(reverse("services:servicecase_detail", args=[world.case_kunming.pk]))

    html = response.content.decode()
    assert "马云" in html
    assert world.ma.get_absolute_url() not in html and world.zongshicun.name not in html
    assert world.ma.get_absolute_url() in login(world.admin).get(world.case_kunming.get_absolute_url()).content.decode()
