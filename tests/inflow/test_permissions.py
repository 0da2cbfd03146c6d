"""Who may open which inflow member page, in the style of tests/test_permissions.py.

Inside the user's subtree a page is allowed, outside it is a 404; a destination partner's account gets a 404 on every
inflow page. Objects per role (tests/inflow/conftest.py): the inflow member of 花果村 (township, branch), of the Huadu
flowing organization (secretary) and of 总市村 (outsider), their colleagues waiting to report in, and an activity of each.
"""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry, Role
from organizations.models import OrgKind
from tests.conftest import login
from tests.factories import OrganizationFactory, UserFactory
from tests.test_permissions import ANY, INSIDE, N_A, OUTSIDE, PERSONA, ROLES, matrix_cells, posted_back

TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    #              reported in                                 waiting to report in                            activity
    "admin":     {"inflow": ("in_zongshicun", N_A),        "pending": ("pending_zongshicun", N_A),        "activity": ("act_zongshicun", N_A)},
    "county":    {"inflow": ("in_zongshicun", N_A),        "pending": ("pending_zongshicun", N_A),        "activity": ("act_zongshicun", N_A)},
    "township":  {"inflow": ("in_huaguo", "in_zongshicun"), "pending": ("pending_huaguo", "pending_zongshicun"), "activity": ("act_huaguo", "act_zongshicun")},
    "secretary": {"inflow": ("in_huadu", "in_huaguo"),     "pending": ("pending_huadu", "pending_huaguo"),  "activity": ("act_huadu", "act_huaguo")},
    "branch":    {"inflow": ("in_huaguo", "in_huadu"),     "pending": ("pending_huaguo", "pending_huadu"),  "activity": ("act_huaguo", "act_huadu")},
    "outsider":  {"inflow": ("in_zongshicun", "in_huaguo"), "pending": ("pending_zongshicun", "pending_huaguo"), "activity": ("act_zongshicun", "act_huaguo")},
    # A partner organization's account sees none of our inflow members: nothing is inside its subtree.
    "partner":   {"inflow": (N_A, "in_huaguo"),            "pending": (N_A, "pending_huaguo"),            "activity": (N_A, "act_huaguo")},
}  # fmt: skip

# Roles other than the six of the shared matrix get these statuses (a role added there without one here fails loudly).
OTHER_ROLES = {"partner": {ANY: 404, INSIDE: N_A, OUTSIDE: 404}}

#                                                            admin county township secretary branch outsider
SIX: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_inflow_member_list", ANY):                           (200,  200,   200,     200,      200,   200),
    ("the_new_inflow_member_form", ANY):                       (200,  200,   200,     200,      200,   200),
    ("the_inflow_warnings", ANY):                              (200,  200,   200,     200,      200,   200),
    ("the_page_of_an_inflow_member", INSIDE):                  (200,  200,   200,     200,      200,   200),
    ("the_page_of_an_inflow_member", OUTSIDE):                 (N_A,  N_A,   404,     404,      404,   404),
    ("the_edit_form_of_an_inflow_member", INSIDE):             (200,  200,   200,     200,      200,   200),
    ("the_edit_form_of_an_inflow_member", OUTSIDE):            (N_A,  N_A,   404,     404,      404,   404),
    ("saving_the_edit_form_of_an_inflow_member", INSIDE):      (302,  302,   302,     302,      302,   302),
    ("saving_the_edit_form_of_an_inflow_member", OUTSIDE):     (N_A,  N_A,   404,     404,      404,   404),
    ("revealing_the_id_number_of_an_inflow_member", INSIDE):   (200,  200,   403,     403,      403,   403),
    ("revealing_the_id_number_of_an_inflow_member", OUTSIDE):  (N_A,  N_A,   404,     404,      404,   404),
    ("the_report_in_form_of_an_inflow_member", INSIDE):        (200,  200,   200,     200,      200,   200),
    ("the_report_in_form_of_an_inflow_member", OUTSIDE):       (N_A,  N_A,   404,     404,      404,   404),
    ("the_report_back_form_of_an_inflow_member", INSIDE):      (200,  200,   200,     200,      200,   200),
    ("the_report_back_form_of_an_inflow_member", OUTSIDE):     (N_A,  N_A,   404,     404,      404,   404),
    ("the_leaving_form_of_an_inflow_member", INSIDE):          (200,  200,   200,     200,      200,   200),
    ("the_leaving_form_of_an_inflow_member", OUTSIDE):         (N_A,  N_A,   404,     404,      404,   404),
    ("the_inflow_attendance_of_an_activity", INSIDE):          (200,  200,   200,     200,      200,   200),
    ("the_inflow_attendance_of_an_activity", OUTSIDE):         (N_A,  N_A,   404,     404,      404,   404),
}  # fmt: skip
EXPECTED = {
    key: (*statuses, *(OTHER_ROLES[role][key[1]] for role in ROLES[len(statuses) :])) for key, statuses in SIX.items()
}
REASON = "核对原党组织联系方式"


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None
    method: str = "get"

    def url(self, obj: Any) -> str:
        return reverse(self.url_name, args=[obj.pk] if obj is not None else [])


PAGES = {
    "the_inflow_member_list": Page("inflow:inflowmember_list"),
    "the_new_inflow_member_form": Page("inflow:inflowmember_create"),
    "the_inflow_warnings": Page("inflow:life_warning_list"),
    "the_page_of_an_inflow_member": Page("inflow:inflowmember_detail", "inflow"),
    "the_edit_form_of_an_inflow_member": Page("inflow:inflowmember_update", "inflow"),
    "saving_the_edit_form_of_an_inflow_member": Page("inflow:inflowmember_update", "inflow", method="post"),
    "revealing_the_id_number_of_an_inflow_member": Page("inflow:inflowmember_reveal", "inflow", method="post"),
    "the_report_in_form_of_an_inflow_member": Page("inflow:report_in", "pending"),
    "the_report_back_form_of_an_inflow_member": Page("inflow:report_back", "inflow"),
    "the_leaving_form_of_an_inflow_member": Page("inflow:end", "inflow"),
    "the_inflow_attendance_of_an_activity": Page("inflow:activity_attendance", "activity"),
}


@pytest.fixture
def partner_world(world: SimpleNamespace) -> SimpleNamespace:
    """The world, with a destination partner's account if the shared personas do not have one yet."""
    if not hasattr(world, PERSONA.get("partner", "partner")):
        partner = OrganizationFactory(name="广州市花都区新华街道党工委", kind=OrgKind.PARTNER)
        world.partner = UserFactory(username="partner", role=Role.PARTNER, organization=partner)
    return world


def test_the_matrix_covers_every_inflow_page_and_every_role():
    assert {page for page, _scope in EXPECTED} == set(PAGES)
    from inflow.urls import urlpatterns

    assert {f"inflow:{pattern.name}" for pattern in urlpatterns} == {page.url_name for page in PAGES.values()}
    for (page, scope), statuses in EXPECTED.items():
        assert (scope == ANY) == (PAGES[page].target is None), page
        assert len(statuses) == len(ROLES)


def _edit_form_posted_back(world: SimpleNamespace, obj: Any) -> dict[str, Any]:
    form = login(world.admin).get(reverse("inflow:inflowmember_update", args=[obj.pk])).context["form"]
    return posted_back(form, note="由权限矩阵测试修改")


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_inflow_permission_matrix(world, role, page_name, scope, expected):
    page = PAGES[page_name]
    obj = None
    if page.target is not None:
        inside, outside = TARGETS[role][page.target]
        obj = getattr(world, inside if scope == INSIDE else outside)
    client = login(getattr(world, PERSONA[role]))
    data: dict[str, Any] = {}
    if page.url_name == "inflow:inflowmember_update" and page.method == "post":
        data = _edit_form_posted_back(world, obj)
    elif page.url_name == "inflow:inflowmember_reveal":
        data = {"reason": REASON}
    reveals_before = AuditEntry.objects.filter(action=AuditAction.REVEAL).count()

    response = getattr(client, page.method)(page.url(obj), data)

    if response.status_code == 200 and expected != 200 and response.context and "form" in response.context:
        pytest.fail(f"expected {expected}, got 200 with form errors {response.context['form'].errors.as_data()}")
    assert response.status_code == expected
    if page.method == "post" and page.url_name == "inflow:inflowmember_update":
        obj.refresh_from_db()
        assert (obj.note == "由权限矩阵测试修改") == (expected == 302)
    if page.url_name == "inflow:inflowmember_reveal":
        reveals = AuditEntry.objects.filter(action=AuditAction.REVEAL).count() - reveals_before
        assert reveals == (1 if expected == 200 else 0)
        assert (obj.id_number in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize("page_name", list(PAGES))
def test_a_destination_partners_account_gets_404_on_every_inflow_page(partner_world, page_name):
    page = PAGES[page_name]
    obj = getattr(partner_world, TARGETS["partner"][page.target][1]) if page.target else None
    response = getattr(login(partner_world.partner), page.method)(page.url(obj), {"reason": REASON})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["township", "secretary", "branch", "outsider"])
def test_the_lists_show_nothing_from_outside_the_subtree(world, role):
    client = login(getattr(world, PERSONA[role]))
    inside, outside = (getattr(world, name) for name in TARGETS[role]["inflow"])
    page = client.get(reverse("inflow:inflowmember_list")).content.decode()
    assert inside.name in page and outside.name not in page
    form = client.get(reverse("inflow:inflowmember_create")).context["form"]
    assert outside.branch not in form.fields["branch"].queryset
    assert inside.branch in form.fields["branch"].queryset


def test_the_names_checked_above_do_show_for_an_administrator_so_the_checks_can_fail(world):
    page = login(world.admin).get(reverse("inflow:inflowmember_list")).content.decode()
    assert all(getattr(world, f"in_{key}").name in page for key in ("huaguo", "huadu", "zongshicun"))
