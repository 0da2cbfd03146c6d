"""Who may read which API address with their token, in the style of tests/test_permissions.py.

One row per endpoint (for one record: inside or outside the token owner's subtree), one column per role. A record
outside the subtree is a 404, as on the pages; a destination partner's role has no API right, so its token gets 403
everywhere. Lists show exactly what `visible_to(user)` gives the same user.
"""

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from activities.models import Activity
from lanshan_party.models import Role
from lanshan_party.rights import RIGHTS, Right
from members.models import CensusCampaign, Member, Outflow
from organizations.models import Organization
from tests.api.conftest import API_ROLES, PERSONA, api_get

N_A = None
ANY, INSIDE, OUTSIDE = "", "inside", "outside"

TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    #              member           outflow                              organization               activity                              campaign
    "admin":     {"member": ("ma", N_A),    "outflow": ("ma_outflow", N_A),             "org": ("zongshicun", N_A),     "activity": ("act_zongshicun", N_A),            "campaign": ("camp_zongshi", N_A)},
    "county":    {"member": ("ma", N_A),    "outflow": ("ma_outflow", N_A),             "org": ("zongshicun", N_A),     "activity": ("act_zongshicun", N_A),            "campaign": ("camp_zongshi", N_A)},
    "township":  {"member": ("yuan", "ma"), "outflow": ("yuan_outflow", "ma_outflow"),  "org": ("huaguo", "zongshicun"), "activity": ("act_huaguo", "act_zongshicun"),   "campaign": ("camp_tafeng", "camp_zongshi")},
    "secretary": {"member": ("yuan", "ma"), "outflow": ("yuan_outflow", "ma_outflow"),  "org": ("huadu", "kunming"),     "activity": ("act_huadu", "act_huaguo"),        "campaign": ("camp_huadu", "camp_tafeng")},
    "branch":    {"member": ("yuan", "ma"), "outflow": ("yuan_outflow", "ma_outflow"),  "org": ("huaguo", "zongshicun"), "activity": ("act_huaguo", "act_huadu"),        "campaign": ("camp_tafeng", "camp_zongshi")},
    "outsider":  {"member": ("ma", "yuan"), "outflow": ("ma_outflow", "yuan_outflow"),  "org": ("zongshicun", "huaguo"), "activity": ("act_zongshicun", "act_huaguo"),   "campaign": ("camp_zongshi", "camp_tafeng")},
    "partner":   {"member": ("yuan", "ma"), "outflow": ("yuan_outflow", "ma_outflow"),  "org": ("huaguo", "zongshicun"), "activity": ("act_huaguo", "act_zongshicun"),   "campaign": ("camp_tafeng", "camp_zongshi")},
}  # fmt: skip

ENDPOINTS = {  # page name: (URL name, target kind or None for a list)
    "the_member_list": ("api:v1:member_list", None),
    "a_member": ("api:v1:member_detail", "member"),
    "the_outflow_list": ("api:v1:outflow_list", None),
    "an_outflow": ("api:v1:outflow_detail", "outflow"),
    "the_organization_list": ("api:v1:organization_list", None),
    "an_organization": ("api:v1:organization_detail", "org"),
    "the_activity_list": ("api:v1:activity_list", None),
    "an_activity": ("api:v1:activity_detail", "activity"),
    "the_census_campaign_list": ("api:v1:campaign_list", None),
    "a_census_campaign": ("api:v1:campaign_detail", "campaign"),
    "the_openapi_document": ("api:v1:openapi-json", None),
    "the_docs_page": ("api:v1:openapi-view", None),
}

#                                         admin county township secretary branch outsider partner
EXPECTED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_member_list", ANY):                 (200, 200,  200,     200,      200,   200,     403),
    ("a_member", INSIDE):                     (200, 200,  200,     200,      200,   200,     403),
    ("a_member", OUTSIDE):                    (N_A, N_A,  404,     404,      404,   404,     403),
    ("the_outflow_list", ANY):                (200, 200,  200,     200,      200,   200,     403),
    ("an_outflow", INSIDE):                   (200, 200,  200,     200,      200,   200,     403),
    ("an_outflow", OUTSIDE):                  (N_A, N_A,  404,     404,      404,   404,     403),
    ("the_organization_list", ANY):           (200, 200,  200,     200,      200,   200,     403),
    ("an_organization", INSIDE):              (200, 200,  200,     200,      200,   200,     403),
    ("an_organization", OUTSIDE):             (N_A, N_A,  404,     404,      404,   404,     403),
    ("the_activity_list", ANY):               (200, 200,  200,     200,      200,   200,     403),
    ("an_activity", INSIDE):                  (200, 200,  200,     200,      200,   200,     403),
    ("an_activity", OUTSIDE):                 (N_A, N_A,  404,     404,      404,   404,     403),
    ("the_census_campaign_list", ANY):        (200, 200,  200,     200,      200,   200,     403),
    ("a_census_campaign", INSIDE):            (200, 200,  200,     200,      200,   200,     403),
    ("a_census_campaign", OUTSIDE):           (N_A, N_A,  404,     404,      404,   404,     403),
    ("the_openapi_document", ANY):            (200, 200,  200,     200,      200,   200,     403),
    ("the_docs_page", ANY):                   (200, 200,  200,     200,      200,   200,     403),
}  # fmt: skip

ROLE_AS_WORDS = {
    "admin": "an_administrators_token",
    "county": "a_county_officers_token",
    "township": "a_township_officers_token",
    "secretary": "a_flowing_organization_secretarys_token",
    "branch": "a_branch_secretarys_token",
    "outsider": "another_villages_secretarys_token",
    "partner": "a_destination_partners_token",
}


def _cells() -> list[Any]:
    cells = []
    for (page, scope), statuses in EXPECTED.items():
        for role, status in zip(API_ROLES, statuses, strict=True):
            if status is N_A:
                continue
            where = {ANY: "", INSIDE: "_inside_its_subtree", OUTSIDE: "_outside_its_subtree"}[scope]
            cells.append(
                pytest.param(role, page, scope, status, id=f"{ROLE_AS_WORDS[role]}_gets_{status}_for_{page}{where}")
            )
    return cells


def _url(world: SimpleNamespace, role: str, page: str, scope: str) -> str:
    url_name, kind = ENDPOINTS[page]
    if kind is None:
        return reverse(url_name)
    inside, outside = TARGETS[role][kind]
    target = getattr(world, inside if scope == INSIDE else outside)
    return _detail(url_name, target.pk)


def _detail(url_name: str, pk: int) -> str:
    parameter = {
        "api:v1:member_detail": "member_id",
        "api:v1:outflow_detail": "outflow_id",
        "api:v1:organization_detail": "organization_id",
        "api:v1:activity_detail": "activity_id",
        "api:v1:campaign_detail": "campaign_id",
    }[url_name]
    return reverse(url_name, kwargs={parameter: pk})


def test_the_matrix_covers_every_endpoint_and_every_role_and_names_real_objects(world):
    assert {page for page, _scope in EXPECTED} == set(ENDPOINTS)
    assert all(len(statuses) == len(API_ROLES) for statuses in EXPECTED.values())
    assert set(TARGETS) == set(API_ROLES) == set(PERSONA)
    for targets in TARGETS.values():
        for inside, outside in targets.values():
            for name in (inside, outside):
                assert name is None or getattr(world, name) is not None


def test_the_api_right_belongs_to_administrators_county_township_staff_and_secretaries_and_not_to_partners():
    assert set(RIGHTS[Right.USE_API]) == {Role.ADMIN, Role.COUNTY, Role.TOWNSHIP, Role.SECRETARY}
    assert "partner" not in RIGHTS[Right.USE_API]


@pytest.mark.parametrize(("role", "page", "scope", "expected"), _cells())
def test_api_permission_matrix(world, role, page, scope, expected):
    response = api_get(world.tokens[role], _url(world, role, page, scope))
    assert response.status_code == expected, response.content[:300]
    if page != "the_docs_page":
        assert response["Content-Type"].startswith("application/json")
        if expected != 200:
            assert response.json()["detail"]


LISTS = {
    "api:v1:member_list": lambda user: Member.objects.visible_to(user),
    "api:v1:outflow_list": lambda user: Outflow.objects.visible_to(user),
    "api:v1:organization_list": lambda user: Organization.objects.visible_to(user),
    "api:v1:activity_list": lambda user: Activity.objects.visible_to(user),
    "api:v1:campaign_list": lambda user: CensusCampaign.objects.visible_to(user),
}


@pytest.mark.parametrize("role", [role for role in API_ROLES if role != "partner"])
@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_each_list_shows_exactly_the_rows_its_pages_show_the_same_user(world, role, url_name):
    user = getattr(world, PERSONA[role])
    response = api_get(world.tokens[role], reverse(url_name), {"limit": 200})
    listed = [item["id"] for item in response.json()["items"]]
    assert listed == sorted(LISTS[url_name](user).values_list("pk", flat=True))
    assert len(listed) == len(set(listed))


def test_a_township_token_lists_its_own_members_and_not_the_other_townships(world):
    names = {item["name"] for item in api_get(world.tokens["township"], reverse("api:v1:member_list")).json()["items"]}
    assert names == {"袁芳伟", "覃文英", "李春华"}


def test_the_organization_filter_narrows_to_a_subtree_and_an_organization_outside_is_a_404(world):
    inside = api_get(world.tokens["township"], reverse("api:v1:member_list"), {"organization": world.chengdong.pk})
    assert [item["name"] for item in inside.json()["items"]] == ["覃文英"]
    outside = api_get(world.tokens["township"], reverse("api:v1:member_list"), {"organization": world.zongshicun.pk})
    assert outside.status_code == 404
    assert str(world.zongshicun.pk) in outside.json()["detail"]
    assert "总市村" not in outside.content.decode()


def test_census_progress_counts_the_tasks_in_the_callers_scope_in_one_grouped_query(
    world, django_assert_max_num_queries
):
    def progress(role):
        items = api_get(world.tokens[role], reverse("api:v1:campaign_list")).json()["items"]
        return {item["name"]: (item["tasks"], item["answered"]) for item in items}

    assert progress("admin") == {"塔峰镇春节摸排": (3, 2), "总市镇春节摸排": (1, 0), "花都春节摸排": (1, 0)}
    assert progress("township") == {"塔峰镇春节摸排": (3, 2)}
    assert progress("branch") == {"塔峰镇春节摸排": (2, 1)}
    assert progress("secretary") == {"花都春节摸排": (1, 0)}


def test_activities_carry_their_attendance_counts(world):
    items = api_get(world.tokens["admin"], reverse("api:v1:activity_list")).json()["items"]
    counts = {item["id"]: (item["attended"], item["recorded"]) for item in items}
    assert counts == {world.act_huaguo.pk: (2, 2), world.act_huadu.pk: (0, 1), world.act_zongshicun.pk: (1, 2)}


def test_the_status_and_kind_filters_narrow_the_lists(world):
    lost = api_get(world.tokens["admin"], reverse("api:v1:outflow_list"), {"status": "lost"}).json()["items"]
    registered = api_get(world.tokens["admin"], reverse("api:v1:outflow_list"), {"status": "registered"}).json()
    assert lost == [] and {item["member"]["name"] for item in registered["items"]} == {"袁芳伟", "马云"}
    flowing = api_get(world.tokens["admin"], reverse("api:v1:organization_list"), {"kind": "flowing"}).json()
    assert {item["id"] for item in flowing["items"]} == {world.huadu.pk, world.kunming.pk}
