"""Who may open which services page, in the style of tests/test_permissions.py.

One row per page (and, for pages about one record, whether it is inside or outside the user's subtree),
one column per role. Records outside the subtree are 404; the catalog's edit pages are 403 for roles
that do not edit it.
"""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from services.models import ServiceItem
from tests.conftest import login
from tests.test_permissions import (
    ANY,
    INSIDE,
    N_A,
    OUTSIDE,
    PERSONA,
    ROLE_AS_WORDS,
    ROLES,
    matrix_cells,
    posted_back,
)

# Which record each role is shown, inside and outside its subtree (attribute names of the `world` fixture).
# Cases and projects go by the organization that owns them; recognitions and posts by their member.
TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    #              service case:                           hometown project:                                  about a member:
    "admin":     {"case": ("case_zongshicun", N_A),        "project": ("project_zongshicun", N_A),           "recognition": ("recognition_ma", N_A),            "post": ("post_ma", N_A)},
    "county":    {"case": ("case_zongshicun", N_A),        "project": ("project_zongshicun", N_A),           "recognition": ("recognition_ma", N_A),            "post": ("post_ma", N_A)},
    "township":  {"case": ("case_huaguo", "case_zongshicun"), "project": ("project_huaguo", "project_zongshicun"), "recognition": ("recognition_yuan", "recognition_ma"), "post": ("post_yuan", "post_ma")},
    "secretary": {"case": ("case_huadu", "case_kunming"),  "project": ("project_huadu", "project_kunming"),  "recognition": ("recognition_yuan", "recognition_ma"), "post": ("post_yuan", "post_ma")},
    "branch":    {"case": ("case_huaguo", "case_zongshicun"), "project": ("project_huaguo", "project_zongshicun"), "recognition": ("recognition_yuan", "recognition_ma"), "post": ("post_yuan", "post_ma")},
    "outsider":  {"case": ("case_zongshicun", "case_huaguo"), "project": ("project_zongshicun", "project_huaguo"), "recognition": ("recognition_ma", "recognition_yuan"), "post": ("post_ma", "post_yuan")},
    "partner":   {"case": (N_A, "case_huadu"),            "project": (N_A, "project_huadu"),              "recognition": (N_A, "recognition_yuan"),          "post": (N_A, "post_yuan")},
}  # fmt: skip

# 302 is a valid POST that saved and went on to the record's page (or its list).
#                                                                admin county township secretary branch outsider partner
EXPECTED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_service_case_list", ANY):                              (200,  200,   200,     200,      200,   200,   200),
    ("the_new_service_case_form", ANY):                          (200,  200,   200,     200,      200,   200,   403),
    ("the_page_of_a_service_case", INSIDE):                      (200,  200,   200,     200,      200,   200,   N_A),
    ("the_page_of_a_service_case", OUTSIDE):                     (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_edit_form_of_a_service_case", INSIDE):                 (200,  200,   200,     200,      200,   200,   N_A),
    ("the_edit_form_of_a_service_case", OUTSIDE):                (N_A,  N_A,   404,     404,      404,   404,   403),
    ("saving_the_edit_form_of_a_service_case", INSIDE):          (302,  302,   302,     302,      302,   302,   N_A),
    ("saving_the_edit_form_of_a_service_case", OUTSIDE):         (N_A,  N_A,   404,     404,      404,   404,   403),
    ("the_service_catalog", ANY):                                (200,  200,   200,     200,      200,   200,   200),
    ("the_new_catalog_item_form", ANY):                          (200,  200,   403,     403,      403,   403,   403),
    ("saving_a_new_catalog_item", ANY):                          (302,  302,   403,     403,      403,   403,   403),
    ("the_edit_form_of_a_catalog_item", ANY):                    (200,  200,   403,     403,      403,   403,   403),
    ("saving_the_edit_form_of_a_catalog_item", ANY):             (302,  302,   403,     403,      403,   403,   403),
    ("the_recognition_list", ANY):                               (200,  200,   200,     200,      200,   200,   200),
    ("the_new_recognition_form", ANY):                           (200,  200,   200,     200,      200,   200,   403),
    ("the_edit_form_of_a_recognition", INSIDE):                  (200,  200,   200,     200,      200,   200,   N_A),
    ("the_edit_form_of_a_recognition", OUTSIDE):                 (N_A,  N_A,   404,     404,      404,   404,   403),
    ("saving_the_edit_form_of_a_recognition", INSIDE):           (302,  302,   302,     302,      302,   302,   N_A),
    ("saving_the_edit_form_of_a_recognition", OUTSIDE):          (N_A,  N_A,   404,     404,      404,   404,   403),
    ("the_representative_post_list", ANY):                       (200,  200,   200,     200,      200,   200,   200),
    ("the_new_representative_post_form", ANY):                   (200,  200,   200,     200,      200,   200,   403),
    ("the_edit_form_of_a_representative_post", INSIDE):          (200,  200,   200,     200,      200,   200,   N_A),
    ("the_edit_form_of_a_representative_post", OUTSIDE):         (N_A,  N_A,   404,     404,      404,   404,   403),
    ("saving_the_edit_form_of_a_representative_post", INSIDE):   (302,  302,   302,     302,      302,   302,   N_A),
    ("saving_the_edit_form_of_a_representative_post", OUTSIDE):  (N_A,  N_A,   404,     404,      404,   404,   403),
    ("the_hometown_project_list", ANY):                          (200,  200,   200,     200,      200,   200,   200),
    ("the_new_hometown_project_form", ANY):                      (200,  200,   200,     200,      200,   200,   403),
    ("the_page_of_a_hometown_project", INSIDE):                  (200,  200,   200,     200,      200,   200,   N_A),
    ("the_page_of_a_hometown_project", OUTSIDE):                 (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_edit_form_of_a_hometown_project", INSIDE):             (200,  200,   200,     200,      200,   200,   N_A),
    ("the_edit_form_of_a_hometown_project", OUTSIDE):            (N_A,  N_A,   404,     404,      404,   404,   403),
    ("saving_the_edit_form_of_a_hometown_project", INSIDE):      (302,  302,   302,     302,      302,   302,   N_A),
    ("saving_the_edit_form_of_a_hometown_project", OUTSIDE):     (N_A,  N_A,   404,     404,      404,   404,   403),
}  # fmt: skip

NEW_ITEM_NAME = "权限矩阵新增事项"


# The field each saving test changes, and the value it writes.
CHANGED = {
    "services:servicecase_update": ("outcome_note", "由权限矩阵测试修改"),
    "services:serviceitem_update": ("description", "由权限矩阵测试修改"),
    "services:recognition_update": ("note", "由权限矩阵测试修改"),
    "services:representativepost_update": ("note", "由权限矩阵测试修改"),
    "services:hometownproject_update": ("description", "由权限矩阵测试修改"),
}


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None  # which TARGETS column the page is about; "item" for the catalog item
    method: str = "get"

    def url(self, obj: Any) -> str:
        return reverse(self.url_name, args=[obj.pk] if obj is not None else [])

    def data(self, world: SimpleNamespace, user: Any, obj: Any) -> dict[str, Any]:
        if self.method != "post":
            return {}
        if self.url_name == "services:serviceitem_create":
            return {"name": NEW_ITEM_NAME, "category": "pension", "sort_order": "5", "is_active": "on"}
        field, value = CHANGED[self.url_name]
        url = self.url(obj)
        response = login(user).get(url)
        if response.status_code != 200:  # a user who cannot open the form: post what an administrator sees
            response = login(world.admin).get(url)
        return posted_back(response.context["form"], **{field: value})

    def saved(self, obj: Any) -> bool:
        if self.url_name == "services:serviceitem_create":
            return ServiceItem.objects.filter(name=NEW_ITEM_NAME).exists()
        field, value = CHANGED[self.url_name]
        obj.refresh_from_db()
        return getattr(obj, field) == value


PAGES = {
    "the_service_case_list": Page("services:servicecase_list"),
    "the_new_service_case_form": Page("services:servicecase_create"),
    "the_page_of_a_service_case": Page("services:servicecase_detail", "case"),
    "the_edit_form_of_a_service_case": Page("services:servicecase_update", "case"),
    "saving_the_edit_form_of_a_service_case": Page("services:servicecase_update", "case", method="post"),
    "the_service_catalog": Page("services:serviceitem_list"),
    "the_new_catalog_item_form": Page("services:serviceitem_create"),
    "saving_a_new_catalog_item": Page("services:serviceitem_create", method="post"),
    "the_edit_form_of_a_catalog_item": Page("services:serviceitem_update", "item"),
    "saving_the_edit_form_of_a_catalog_item": Page("services:serviceitem_update", "item", method="post"),
    "the_recognition_list": Page("services:recognition_list"),
    "the_new_recognition_form": Page("services:recognition_create"),
    "the_edit_form_of_a_recognition": Page("services:recognition_update", "recognition"),
    "saving_the_edit_form_of_a_recognition": Page("services:recognition_update", "recognition", method="post"),
    "the_representative_post_list": Page("services:representativepost_list"),
    "the_new_representative_post_form": Page("services:representativepost_create"),
    "the_edit_form_of_a_representative_post": Page("services:representativepost_update", "post"),
    "saving_the_edit_form_of_a_representative_post": Page("services:representativepost_update", "post", method="post"),
    "the_hometown_project_list": Page("services:hometownproject_list"),
    "the_new_hometown_project_form": Page("services:hometownproject_create"),
    "the_page_of_a_hometown_project": Page("services:hometownproject_detail", "project"),
    "the_edit_form_of_a_hometown_project": Page("services:hometownproject_update", "project"),
    "saving_the_edit_form_of_a_hometown_project": Page("services:hometownproject_update", "project", method="post"),
}

# Where a saved form goes next: the record's own page, or the list for records without one.
NEXT = {
    "services:serviceitem_create": lambda obj: reverse("services:serviceitem_list"),
    "services:serviceitem_update": lambda obj: reverse("services:serviceitem_list"),
    "services:recognition_update": lambda obj: reverse("services:recognition_list"),
    "services:representativepost_update": lambda obj: reverse("services:representativepost_list"),
}


def _target(world: SimpleNamespace, role: str, page: Page, scope: str) -> Any:
    if page.target is None:
        return None
    if page.target == "item":
        return world.item
    inside, outside = TARGETS[role][page.target]
    return getattr(world, inside if scope in (ANY, INSIDE) else outside)


def test_the_matrix_covers_every_services_url_and_every_role():
    from services.urls import urlpatterns

    assert {page for page, _scope in EXPECTED} == set(PAGES)
    assert {f"services:{pattern.name}" for pattern in urlpatterns} == {page.url_name for page in PAGES.values()}
    for (page, scope), statuses in EXPECTED.items():
        assert len(statuses) == len(ROLES)
        assert (scope == ANY) == (PAGES[page].target in (None, "item")), page
        for role, status in zip(ROLES, statuses, strict=True):
            if scope != ANY and status is not N_A:
                assert TARGETS[role][PAGES[page].target][scope == OUTSIDE] is not N_A, (page, scope, role)


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_permission_matrix(world: SimpleNamespace, role: str, page_name: str, scope: str, expected: int) -> None:
    page = PAGES[page_name]
    user = getattr(world, PERSONA[role])
    obj = _target(world, role, page, scope)
    data = page.data(world, user, obj)
    changes = AuditEntry.objects.exclude(action=AuditAction.LOGIN)
    audit_before = changes.count()

    response = getattr(login(user), page.method)(page.url(obj), data)

    if response.status_code == 200 and expected != 200 and response.context and "form" in response.context:
        pytest.fail(f"expected {expected}, got 200 with form errors {response.context['form'].errors.as_data()}")
    assert response.status_code == expected
    if page.method == "post":
        assert page.saved(obj) == (expected == 302)
        written = changes.count() - audit_before
        assert written == (1 if expected == 302 else 0)
    if expected == 302:
        next_url = NEXT[page.url_name](obj) if page.url_name in NEXT else obj.get_absolute_url()
        assert response.headers["Location"] == next_url


# ---------------------------------------------------------------------------------------------------
# Scoped pages and dropdowns show no names from outside the subtree.

SCOPED_ROLES = ("township", "secretary", "branch")

# Names each scoped role must never see: organizations outside their subtree that no member they can see
# belongs to, members outside it, and the outside records' titles and townspeople.
FORBIDDEN = {
    "township": ["zongshi", "zongshicun", "kunming", "committee", "ma"],
    "secretary": ["zongshi", "zongshicun", "kunming", "committee", "tafeng", "chengdong", "ma", "qin", "li"],
    "branch": ["zongshi", "zongshicun", "kunming", "committee", "tafeng", "chengdong", "ma", "qin"],
}
OUTSIDE_TITLES = {
    "township": ["总市村黑山羊养殖", "昆明老乡回引项目", "最美务工人员"],
    "secretary": ["总市村黑山羊养殖", "昆明老乡回引项目", "花果村脐橙合作社", "花果村老乡", "最美务工人员"],
    "branch": ["总市村黑山羊养殖", "昆明老乡回引项目", "最美务工人员"],
}

SCOPED_PAGES = {
    "the_service_case_list": lambda w, role: reverse("services:servicecase_list"),
    "the_new_service_case_form": lambda w, role: reverse("services:servicecase_create"),
    "the_recognition_list": lambda w, role: reverse("services:recognition_list"),
    "the_new_recognition_form": lambda w, role: reverse("services:recognition_create"),
    "the_representative_post_list": lambda w, role: reverse("services:representativepost_list"),
    "the_new_representative_post_form": lambda w, role: reverse("services:representativepost_create"),
    "the_hometown_project_list": lambda w, role: reverse("services:hometownproject_list"),
    "the_new_hometown_project_form": lambda w, role: reverse("services:hometownproject_create"),
    # 花果村's project also involves 覃文英 of 城东社区, whom 花果村's secretary does not see.
    "the_page_of_a_project_they_see": lambda w, role: reverse(
        "services:hometownproject_detail", args=[_their_project(w, role).pk]
    ),
    "the_edit_form_of_a_project_they_see": lambda w, role: reverse(
        "services:hometownproject_update", args=[_their_project(w, role).pk]
    ),
    # Members are picked by search in these forms: the search finds only members the user may see.
    **{
        f"the_member_picker_searching_for_{attribute}": (
            lambda w, role, attribute=attribute: (
                reverse("members:member_search") + f"?for=pick&q={getattr(w, attribute).name}"
            )
        )
        for attribute in ("ma", "qin", "li")
    },
}


def _their_project(world: SimpleNamespace, role: str) -> Any:
    return world.project_huadu if role == "secretary" else world.project_huaguo


def _scoped_page_cells() -> list[Any]:
    return [
        pytest.param(role, page, id=f"{ROLE_AS_WORDS[role]}_sees_no_outside_names_on_{page}")
        for role in SCOPED_ROLES
        for page in SCOPED_PAGES
    ]


@pytest.mark.parametrize(("role", "page"), _scoped_page_cells())
def test_scoped_pages_show_no_names_from_outside_the_subtree(world: SimpleNamespace, role: str, page: str) -> None:
    response = login(getattr(world, PERSONA[role])).get(SCOPED_PAGES[page](world, role))
    assert response.status_code == 200
    html = response.content.decode()
    names = [getattr(world, attribute).name for attribute in FORBIDDEN[role]] + OUTSIDE_TITLES[role]
    leaked = [name for name in names if name in html]
    assert not leaked, f"{role} sees {leaked} on {page}"


def test_the_names_checked_above_do_show_for_an_administrator_so_the_checks_can_fail(world):
    client = login(world.admin)
    html = "".join(
        client.get(url(world, role)).content.decode() for url in SCOPED_PAGES.values() for role in SCOPED_ROLES
    )
    for attribute in {a for names in FORBIDDEN.values() for a in names}:
        assert getattr(world, attribute).name in html, attribute
    for title in {t for titles in OUTSIDE_TITLES.values() for t in titles}:
        assert title in html, title
