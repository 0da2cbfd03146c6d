"""Who may open which page, and what each role is allowed to see in forms, dropdowns and searches.

The permission matrix below is the specification: one row per page (and, for pages about one object,
whether that object is inside or outside the user's subtree), one column per role. Objects outside the
user's subtree are 404 — the page does not exist for them — while pages a role lacks altogether are 403.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from members.models import Member
from organizations.models import Station
from tests.conftest import login
from tests.factories import MemberFactory, make_id_number

ROLES = ("admin", "county", "township", "secretary", "branch", "outsider", "partner")
PERSONA = {
    "admin": "admin",
    "county": "county_staff",
    "township": "township",
    "secretary": "secretary",
    "branch": "branch",
    "outsider": "outsider",
    "partner": "partner",
}
ROLE_AS_WORDS = {
    "admin": "an_administrator",
    "county": "county_staff",
    "township": "a_township_officer",
    "secretary": "a_flowing_organization_secretary",
    "branch": "a_branch_secretary",
    "outsider": "another_villages_secretary",
    "partner": "a_destination_partner",
}

N_A = None  # no such object for this role: county-level users see the whole county, nothing is outside
ANY, INSIDE, OUTSIDE = "", "inside", "outside"
SCOPE_AS_WORDS = {ANY: "", INSIDE: "_inside_their_subtree", OUTSIDE: "_outside_their_subtree"}

# Which object each role is shown, inside and outside its subtree (attribute names of the `world` fixture).
#   township  = 塔峰镇 (花果村, 城东社区)      secretary = the Huadu flowing organization
#   branch    = 花果村                       outsider  = 总市村
#   partner   = 花都区新华街道党工委 (a destination partner outside our tree: sees 袁芳伟, whose outflow names it)
# 袁芳伟 is from 花果村 and away in Huadu; 马云 from 总市村, away in Kunming; 覃文英 (城东社区),
# 李春华 (花果村) and 黄建国 (总市村) are at home. A flowing organization's secretary only ever sees
# members who are away under it, so no member at home is inside their subtree.
TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    #              member:  inside, outside     at home: inside, outside   open outflow: inside, outside    organization
    "admin":     {"member": ("ma", N_A),     "at_home": ("huang", N_A), "outflow": ("ma_outflow", N_A),   "org": ("zongshicun", N_A)},
    "county":    {"member": ("ma", N_A),     "at_home": ("huang", N_A), "outflow": ("ma_outflow", N_A),   "org": ("zongshicun", N_A)},
    "township":  {"member": ("yuan", "ma"),  "at_home": ("qin", "huang"), "outflow": ("yuan_outflow", "ma_outflow"), "org": ("huaguo", "zongshicun")},
    "secretary": {"member": ("yuan", "ma"),  "at_home": (N_A, "qin"),   "outflow": ("yuan_outflow", "ma_outflow"), "org": ("huadu", "kunming")},
    "branch":    {"member": ("yuan", "ma"),  "at_home": ("li", "qin"),  "outflow": ("yuan_outflow", "ma_outflow"), "org": ("huaguo", "zongshicun")},
    "outsider":  {"member": ("ma", "yuan"),  "at_home": ("huang", "li"), "outflow": ("ma_outflow", "yuan_outflow"), "org": ("zongshicun", "huaguo")},
    "partner":   {"member": ("yuan", "ma"),  "at_home": (N_A, "qin"),   "outflow": ("yuan_outflow", "ma_outflow"), "org": ("partner_org", "huadu")},
}  # fmt: skip

# The matrix. 302 is a valid POST that saved and went back to the member's page.
#                                                       admin county township secretary branch outsider partner
EXPECTED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_member_list", ANY):                           (200,  200,   200,     200,      200,   200,   200),
    ("the_page_of_a_member", INSIDE):                   (200,  200,   200,     200,      200,   200,   200),
    ("the_page_of_a_member", OUTSIDE):                  (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_new_member_form", ANY):                       (200,  200,   200,     200,      200,   200,   403),
    ("the_edit_form_of_a_member", INSIDE):              (200,  200,   200,     200,      200,   200,   403),
    ("the_edit_form_of_a_member", OUTSIDE):             (N_A,  N_A,   404,     404,      404,   404,   403),
    ("saving_the_edit_form_of_a_member", INSIDE):       (302,  302,   302,     302,      302,   302,   403),
    ("saving_the_edit_form_of_a_member", OUTSIDE):      (N_A,  N_A,   404,     404,      404,   404,   403),
    ("revealing_the_id_number_of_a_member", INSIDE):    (200,  200,   403,     403,      403,   403,   403),
    ("revealing_the_id_number_of_a_member", OUTSIDE):   (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_departure_form_of_a_member_at_home", INSIDE): (200,  200,   200,     N_A,      200,   200,   N_A),
    ("the_departure_form_of_a_member_at_home", OUTSIDE): (N_A, N_A,   404,     404,      404,   404,   404),
    ("the_arrival_report_form_of_an_outflow", INSIDE):  (200,  200,   200,     200,      200,   200,   403),
    ("the_arrival_report_form_of_an_outflow", OUTSIDE): (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_whereabouts_form_of_an_outflow", INSIDE):     (200,  200,   200,     200,      200,   200,   403),
    ("the_whereabouts_form_of_an_outflow", OUTSIDE):    (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_organization_tree", ANY):                     (200,  200,   200,     200,      200,   200,   200),
    ("the_page_of_an_organization", INSIDE):            (200,  200,   200,     200,      200,   200,   200),
    ("the_page_of_an_organization", OUTSIDE):           (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_new_organization_form", ANY):                 (200,  200,   403,     403,      403,   403,   403),
    ("the_edit_form_of_an_organization", INSIDE):       (200,  200,   403,     403,      403,   403,   403),
    ("the_edit_form_of_an_organization", OUTSIDE):      (N_A,  N_A,   403,     403,      403,   403,   403),
    ("the_dissolve_form_of_an_organization", INSIDE):   (200,  200,   403,     403,      403,   403,   403),
    ("the_dissolve_form_of_an_organization", OUTSIDE):  (N_A,  N_A,   403,     403,      403,   403,   403),
    ("the_new_station_form", ANY):                      (200,  200,   403,     403,      403,   403,   403),
    ("the_edit_form_of_a_station", ANY):                (200,  200,   403,     403,      403,   403,   403),
    ("the_user_list", ANY):                             (200,  403,   403,     403,      403,   403,   403),
    ("the_new_user_form", ANY):                         (200,  403,   403,     403,      403,   403,   403),
    ("the_edit_form_of_a_user", ANY):                   (200,  403,   403,     403,      403,   403,   403),
    ("the_audit_log", ANY):                             (200,  403,   403,     403,      403,   403,   403),
    ("unlocking_the_sign_in_of_a_user", ANY):           (302,  404,   404,     404,      404,   404,   404),
    ("the_report_ins_to_confirm", ANY):                 (403,  403,   403,     403,      403,   403,     200),
    ("accepting_a_report_in", INSIDE):                  (403,  403,   403,     403,      403,   403,     200),
    ("accepting_a_report_in", OUTSIDE):                 (N_A,  N_A,   403,     403,      403,   403,     404),
    ("refusing_a_report_in", INSIDE):                   (403,  403,   403,     403,      403,   403,     200),
    ("refusing_a_report_in", OUTSIDE):                  (N_A,  N_A,   403,     403,      403,   403,     404),
    ("recording_attendance_at_the_destination", INSIDE): (403, 403,   403,     403,      403,   403,     200),
    ("recording_attendance_at_the_destination", OUTSIDE): (N_A, N_A,  403,     403,      403,   403,     404),
    ("recording_an_evaluation_at_the_destination", INSIDE): (403, 403, 403,    403,      403,   403,     200),
    ("recording_an_evaluation_at_the_destination", OUTSIDE): (N_A, N_A, 403,   403,      403,   403,     404),
    ("handing_over_an_outflow", INSIDE):                (302,  302,   302,     302,      302,   302,     403),
    ("handing_over_an_outflow", OUTSIDE):               (N_A,  N_A,   404,     404,      404,   404,     403),
}  # fmt: skip

REVEAL_REASON = "核对组织关系转接材料"


def _as_posted(value: Any) -> Any:
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_as_posted(getattr(item, "pk", item)) for item in value]
    return str(value)


def posted_back(form: Any, **changes: Any) -> dict[str, Any]:
    """What a browser submits for a form the user only changed `changes` in: every field's initial value,
    hidden fields included, except that a dropdown can only submit one of the options it offers (an
    initial value missing from the options leaves the empty option selected)."""
    data = {}
    for field in form:
        value = _as_posted(field.value())
        choices = getattr(field.field, "choices", None)
        if choices is not None:
            offered = {str(key) for key, _label in choices}
            value = (
                [v for v in value if v in offered] if isinstance(value, list) else (value if value in offered else "")
            )
        data[field.html_name] = value
    return {**data, **changes}


def _member_form_data(world: SimpleNamespace, member: Member, user: Any = None, **changes: Any) -> dict[str, Any]:
    """The member's edit form as `user` (else an administrator) is shown it, posted back with `changes`
    and a new note. Blank ID number and phone keep the stored ones."""
    url = reverse("members:member_update", args=[member.pk])
    response = login(user or world.admin).get(url)
    if response.status_code != 200:  # a user who cannot open the form: post what an administrator sees
        response = login(world.admin).get(url)
    return posted_back(response.context["form"], note="由权限矩阵测试修改", **changes)


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None  # which TARGETS column the page is about, None for pages without an object
    method: str = "get"
    extra_args: tuple[Any, ...] = ()
    redirects_to: str | None = None  # URL name a successful POST goes to, else the object's own page

    def url(self, obj: Any) -> str:
        return reverse(self.url_name, args=[obj.pk, *self.extra_args] if obj is not None else [])

    def data(self, world: SimpleNamespace, user: Any, obj: Any) -> dict[str, Any]:
        if self.url_name == "members:member_update" and self.method == "post":
            return _member_form_data(world, obj, user)
        if self.url_name == "members:member_reveal":
            return {"reason": REVEAL_REASON}
        return {}


PAGES = {
    "the_member_list": Page("members:member_list"),
    "the_page_of_a_member": Page("members:member_detail", "member"),
    "the_new_member_form": Page("members:member_create"),
    "the_edit_form_of_a_member": Page("members:member_update", "member"),
    "saving_the_edit_form_of_a_member": Page("members:member_update", "member", method="post"),
    "revealing_the_id_number_of_a_member": Page("members:member_reveal", "member", method="post"),
    "the_departure_form_of_a_member_at_home": Page("members:outflow_create", "at_home"),
    "the_arrival_report_form_of_an_outflow": Page("members:outflow_transition", "outflow", extra_args=("report",)),
    "the_whereabouts_form_of_an_outflow": Page("members:outflow_update", "outflow"),
    "the_organization_tree": Page("organizations:organization_tree"),
    "the_page_of_an_organization": Page("organizations:organization_detail", "org"),
    "the_new_organization_form": Page("organizations:organization_create"),
    "the_edit_form_of_an_organization": Page("organizations:organization_update", "org"),
    "the_dissolve_form_of_an_organization": Page("organizations:organization_dissolve", "org"),
    "the_new_station_form": Page("organizations:station_create"),
    "the_edit_form_of_a_station": Page("organizations:station_update", "station"),
    "the_user_list": Page("accounts:user_list"),
    "the_new_user_form": Page("accounts:user_create"),
    "the_edit_form_of_a_user": Page("accounts:user_update", "user"),
    "the_audit_log": Page("accounts:audit_log"),
    "the_report_ins_to_confirm": Page("members:partner_desk"),
    "accepting_a_report_in": Page("members:report_in_accept", "outflow"),
    "refusing_a_report_in": Page("members:report_in_refuse", "outflow"),
    "recording_attendance_at_the_destination": Page("members:partner_record", "member", extra_args=("attendance",)),
    "recording_an_evaluation_at_the_destination": Page("members:partner_record", "member", extra_args=("evaluation",)),
    "handing_over_an_outflow": Page("members:outflow_hand_over", "outflow", method="post"),
    "unlocking_the_sign_in_of_a_user": Page(
        "accounts:user_unlock", "user", method="post", redirects_to="accounts:user_list"
    ),
}


def matrix_cells(expected: dict[tuple[str, str], tuple[int | None, ...]]) -> list[Any]:
    """One test per role and page of a permission matrix (every app's matrix uses this), named as a sentence."""
    cells = []
    for (page, scope), statuses in expected.items():
        for role, status in zip(ROLES, statuses, strict=True):
            if status is N_A:
                continue
            sentence = f"{ROLE_AS_WORDS[role]}_gets_{status}_for_{page}{SCOPE_AS_WORDS[scope]}"
            cells.append(pytest.param(role, page, scope, status, id=sentence))
    return cells


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    """The shared county plus a member at home in 花果村 and in 总市村, and a station of the Huadu organization."""
    county.li = MemberFactory(name="李春华", home_branch=county.huaguo)
    county.huang = MemberFactory(name="黄建国", home_branch=county.zongshicun)
    county.station = Station.objects.create(
        organization=county.huadu, name="花都流动党员驿站", address="花都区新华街道"
    )
    return county


def _target(world: SimpleNamespace, role: str, page: Page, scope: str) -> Any:
    if page.target is None:
        return None
    if page.target == "station":
        return world.station
    if page.target == "user":
        return world.outsider
    inside, outside = TARGETS[role][page.target]
    return getattr(world, inside if scope in (ANY, INSIDE) else outside)


def test_the_matrix_covers_every_role_for_every_page_and_names_real_objects():
    assert {page for page, _scope in EXPECTED} == set(PAGES)
    for (page, scope), statuses in EXPECTED.items():
        assert len(statuses) == len(ROLES)
        assert (scope == ANY) == (PAGES[page].target in (None, "station", "user")), page
        for role, status in zip(ROLES, statuses, strict=True):
            if scope != ANY and status is not N_A:
                assert TARGETS[role][PAGES[page].target][scope == OUTSIDE] is not N_A, (page, scope, role)


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_permission_matrix(world: SimpleNamespace, role: str, page_name: str, scope: str, expected: int) -> None:
    page = PAGES[page_name]
    user = getattr(world, PERSONA[role])
    obj = _target(world, role, page, scope)
    data = page.data(world, user, obj)
    audit_reveals_before = AuditEntry.objects.filter(action=AuditAction.REVEAL).count()
    client = login(user)

    response = getattr(client, page.method)(page.url(obj), data)

    if response.status_code == 200 and expected != 200 and response.context and "form" in response.context:
        pytest.fail(f"expected {expected}, got 200 with form errors {response.context['form'].errors.as_data()}")
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"] == (
            reverse(page.redirects_to) if page.redirects_to else obj.get_absolute_url()
        )
    if page.url_name == "members:member_update" and page.method == "post":
        obj.refresh_from_db()
        assert (obj.note == "由权限矩阵测试修改") == (expected == 302)
    if page.url_name == "members:member_reveal":
        reveals = AuditEntry.objects.filter(action=AuditAction.REVEAL).count() - audit_reveals_before
        assert reveals == (1 if expected == 200 else 0)
        assert (obj.id_number in response.content.decode()) == (expected == 200)


# ---------------------------------------------------------------------------------------------------
# Forms, dropdowns and search never show a scoped user another organization's names.

SCOPED_ROLES = ("township", "secretary", "branch")

# Names each scoped role must never see on these pages: organizations outside their subtree that no
# member they can see belongs to or flows under, and members outside their subtree. (A member they see
# may legitimately show a home branch or flowing organization from elsewhere, e.g. 袁芳伟's 花都 org.)
FORBIDDEN = {
    "township": ["zongshi", "zongshicun", "kunming", "committee", "ma", "huang"],
    "secretary": ["zongshi", "zongshicun", "kunming", "committee", "tafeng", "chengdong", "ma", "huang", "qin", "li"],
    "branch": ["zongshi", "zongshicun", "kunming", "committee", "tafeng", "chengdong", "ma", "huang", "qin"],
}
# Where 马云 is (an outside member's whereabouts are personal data too). Province lists are fixed lists
# of every province, so the city is what would give him away.
OUTSIDE_DESTINATION = "昆明市"

FORM_PAGES = {
    "the_new_member_form": lambda w, role: reverse("members:member_create"),
    "the_edit_form_of_a_member_they_see": lambda w, role: reverse("members:member_update", args=[w.yuan.pk]),
    "the_departure_form_of_a_member_at_home": lambda w, role: reverse(
        "members:outflow_create", args=[{"township": w.qin, "branch": w.li}[role].pk]
    ),
    "the_whereabouts_form_of_an_outflow_they_see": lambda w, role: reverse(
        "members:outflow_update", args=[w.yuan_outflow.pk]
    ),
    "the_member_list_and_its_filters": lambda w, role: reverse("members:member_list"),
}


def _form_page_cells() -> list[Any]:
    cells = []
    for role in SCOPED_ROLES:
        for page in FORM_PAGES:
            if role == "secretary" and page == "the_departure_form_of_a_member_at_home":
                continue  # no member at home is ever inside a flowing organization's subtree
            cells.append(pytest.param(role, page, id=f"{ROLE_AS_WORDS[role]}_sees_no_outside_names_on_{page}"))
    return cells


def _forbidden_names(world: SimpleNamespace, role: str, page: str) -> list[str]:
    return [getattr(world, attribute).name for attribute in FORBIDDEN[role]] + [OUTSIDE_DESTINATION]


@pytest.mark.parametrize(("role", "page"), _form_page_cells())
def test_scoped_pages_show_no_names_from_outside_the_subtree(world: SimpleNamespace, role: str, page: str) -> None:
    response = login(getattr(world, PERSONA[role])).get(FORM_PAGES[page](world, role))
    assert response.status_code == 200
    html = response.content.decode()
    leaked = [name for name in _forbidden_names(world, role, page) if name in html]
    assert not leaked, f"{role} sees {leaked} on {page}"


@pytest.mark.parametrize(
    ("role", "branches"),
    [
        pytest.param("branch", ["huaguo"], id="a_branch_secretary_can_choose_only_their_own_branch_as_home_branch"),
        pytest.param(
            "township", ["huaguo", "chengdong"], id="a_township_officer_can_choose_only_the_township_branches"
        ),
        pytest.param("secretary", [], id="a_flowing_organization_secretary_has_no_home_branch_to_choose"),
        pytest.param("admin", ["chengdong", "huaguo", "zongshicun"], id="an_administrator_can_choose_every_branch"),
    ],
)
def test_the_home_branch_dropdown_lists_exactly_the_branches_in_the_subtree(world, role, branches):
    response = login(getattr(world, PERSONA[role])).get(reverse("members:member_create"))
    offered = {org.name for org in response.context["form"].fields["home_branch"].queryset}
    assert offered == {getattr(world, attribute).name for attribute in branches}


def _listed_names(response: Any) -> list[str]:
    return sorted(row.record.name for row in response.context["table"].paginated_rows)


def test_a_branch_secretary_searching_for_an_outside_member_by_name_finds_nothing(world):
    response = login(world.branch).get(reverse("members:member_list"), {"q": "马云"})
    assert response.status_code == 200
    assert _listed_names(response) == []
    assert "马云" not in response.content.decode().replace('value="马云"', "")


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_a_branch_secretary_searching_by_an_outside_members_full_id_number_or_phone_finds_nothing(world, field):
    response = login(world.branch).get(reverse("members:member_list"), {"q": getattr(world.ma, field)})
    assert response.status_code == 200
    assert _listed_names(response) == []
    assert "马云" not in response.content.decode()


@pytest.mark.parametrize("field", ["name", "id_number", "phone"])
def test_an_administrator_finds_the_same_member_by_name_full_id_number_or_phone(world, field):
    response = login(world.admin).get(reverse("members:member_list"), {"q": getattr(world.ma, field)})
    assert _listed_names(response) == ["马云"]


@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_a_hand_crafted_home_branch_outside_the_subtree_is_rejected_by_the_new_member_form(world, role):
    before = Member.objects.count()
    data = {
        "name": "越权测试",
        "id_number": make_id_number(3, datetime.date(1991, 2, 3)),
        "ethnicity": "汉族",
        "category": "full",
        "standing": "normal",
        "home_branch": world.zongshicun.pk,
    }
    response = login(getattr(world, PERSONA[role])).post(reverse("members:member_create"), data)
    assert response.status_code == 200
    assert "home_branch" in response.context["form"].errors
    assert Member.objects.count() == before
    assert not Member.objects.filter(name="越权测试").exists()


def test_a_branch_secretary_cannot_move_their_member_to_a_branch_outside_their_subtree(world):
    response = login(world.branch).post(
        reverse("members:member_update", args=[world.yuan.pk]),
        _member_form_data(world, world.yuan, world.branch, home_branch=world.zongshicun.pk),
    )
    assert response.status_code == 200
    assert "home_branch" in response.context["form"].errors
    world.yuan.refresh_from_db()
    assert world.yuan.home_branch == world.huaguo


@pytest.mark.parametrize(
    ("parameter", "outside_org"),
    [
        pytest.param("organization", "zongshicun", id="organization_filter"),
        pytest.param("organization", "kunming", id="organization_filter_with_a_flowing_organization"),
        pytest.param("township", "zongshi", id="township_filter"),
    ],
)
def test_filtering_the_member_list_by_an_outside_organization_is_an_invalid_choice_that_shows_no_outside_rows(
    world, parameter, outside_org
):
    org = getattr(world, outside_org)
    response = login(world.branch).get(reverse("members:member_list"), {parameter: org.pk})
    assert response.status_code == 200
    assert parameter in response.context["filter"].form.errors
    assert not {"马云", "黄建国", "覃文英"} & set(_listed_names(response))
    html = response.content.decode()
    assert "马云" not in html and "黄建国" not in html and org.name not in html


def test_the_same_organization_filter_works_for_an_administrator(world):
    response = login(world.admin).get(reverse("members:member_list"), {"organization": world.zongshicun.pk})
    assert _listed_names(response) == ["马云", "黄建国"]


def test_the_names_checked_above_do_show_for_an_administrator_so_the_checks_can_fail(world):
    client = login(world.admin)
    member_list = client.get(reverse("members:member_list")).content.decode()
    new_member_form = client.get(reverse("members:member_create")).content.decode()
    assert "马云" in member_list and "黄建国" in member_list and OUTSIDE_DESTINATION in member_list
    assert world.zongshicun.name in member_list and world.zongshi.name in member_list
    assert world.zongshicun.name in new_member_form


@pytest.mark.parametrize(
    "role",
    [
        pytest.param("branch", id="a_branch_secretary"),
        pytest.param("township", id="a_township_officer"),
        pytest.param("secretary", id="the_flowing_organization_secretary"),
    ],
)
def test_correcting_the_whereabouts_of_a_member_they_see_keeps_the_members_flowing_organization(world, role):
    """The whereabouts form is posted back as the browser shows it, with only the employer changed."""
    url = reverse("members:outflow_update", args=[world.yuan_outflow.pk])
    client = login(getattr(world, PERSONA[role]))
    data = posted_back(client.get(url).context["form"], employer="花都某电子厂")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    world.yuan_outflow.refresh_from_db()
    assert world.yuan_outflow.employer == "花都某电子厂"
    assert world.yuan_outflow.flowing_org == world.huadu
    assert Member.objects.visible_to(world.secretary).filter(pk=world.yuan.pk).exists()
