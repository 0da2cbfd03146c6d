"""Who may open which dues page, in the style of tests/test_permissions.py.

Inside the user's subtree a page is allowed, outside it is a 404; a destination partner has no dues pages (404).
Objects per role:
  member / organization   as in the shared matrix: 袁芳伟 (花果村, away in Huadu), 马云 (总市村, in Kunming)
  standard                each member's unconfirmed 2026 standard; standards follow the home branch, so the Huadu
                          secretary sees none (N_A inside)
  relief                  an exemption asked for 袁芳伟 by the Huadu organization, one for 马云 by 总市村
"""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from dues import actions
from dues.models import DuesRelief, DuesStandard
from tests.conftest import login
from tests.dues.conftest import entered_long_ago, give_standard
from tests.test_permissions import ANY, INSIDE, N_A, OUTSIDE, PERSONA, ROLES, matrix_cells

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")

TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    #              member              organization grid             standard                 relief
    "admin":     {"member": ("ma", N_A), "org": ("zongshicun", N_A),   "standard": ("std_ma", N_A),     "relief": ("rel_ma", N_A)},
    "county":    {"member": ("ma", N_A), "org": ("zongshicun", N_A),   "standard": ("std_ma", N_A),     "relief": ("rel_ma", N_A)},
    "township":  {"member": ("yuan", "ma"), "org": ("huaguo", "zongshicun"), "standard": ("std_yuan", "std_ma"), "relief": ("rel_yuan", "rel_ma")},
    "secretary": {"member": ("yuan", "ma"), "org": ("huadu", "kunming"), "standard": (N_A, "std_ma"),      "relief": ("rel_yuan", "rel_ma")},
    "branch":    {"member": ("yuan", "ma"), "org": ("huaguo", "zongshicun"), "standard": ("std_yuan", "std_ma"), "relief": ("rel_yuan", "rel_ma")},
    "outsider":  {"member": ("ma", "yuan"), "org": ("zongshicun", "huaguo"), "standard": ("std_ma", "std_yuan"), "relief": ("rel_ma", "rel_yuan")},
    "partner":   {"member": ("yuan", "ma"), "org": ("huadu", "huaguo"),  "standard": ("std_yuan", "std_ma"), "relief": ("rel_yuan", "rel_ma")},
}  # fmt: skip


def row(admin, county, township, secretary, branch, outsider, partner=404) -> tuple[int | None, ...]:
    """One matrix row in the order of ROLES, whichever roles it has (a partner gets 404: no dues pages)."""
    statuses = {
        "admin": admin,
        "county": county,
        "township": township,
        "secretary": secretary,
        "branch": branch,
        "outsider": outsider,
        "partner": partner,
    }
    return tuple(statuses[role] for role in ROLES)


#                                                    admin county township secretary branch outsider
EXPECTED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_dues_grid", ANY):                          row(200, 200, 200, 200, 200, 200),
    ("the_month_view_of_an_organization", INSIDE):   row(200, 200, 200, 200, 200, 200),
    ("the_month_view_of_an_organization", OUTSIDE):  row(N_A, N_A, 404, 404, 404, 404),
    ("the_standard_list", ANY):                      row(200, 200, 200, 200, 200, 200),
    ("the_payment_list", ANY):                       row(200, 200, 200, 200, 200, 200),
    ("the_arrears_list", ANY):                       row(200, 200, 200, 200, 200, 200),
    ("the_relief_list", ANY):                        row(200, 200, 200, 200, 200, 200),
    ("the_yearly_summary", ANY):                     row(200, 200, 200, 200, 200, 200),
    ("the_dues_of_a_member", INSIDE):                row(200, 200, 200, 200, 200, 200),
    ("the_dues_of_a_member", OUTSIDE):               row(N_A, N_A, 404, 404, 404, 404),
    ("the_new_standard_form_of_a_member", INSIDE):   row(200, 200, 200, 200, 200, 200),
    ("the_new_standard_form_of_a_member", OUTSIDE):  row(N_A, N_A, 404, 404, 404, 404),
    ("the_payment_form_of_a_member", INSIDE):        row(200, 200, 200, 200, 200, 200),
    ("the_payment_form_of_a_member", OUTSIDE):       row(N_A, N_A, 404, 404, 404, 404),
    ("the_relief_form_of_a_member", INSIDE):         row(200, 200, 200, 200, 200, 200),
    ("the_relief_form_of_a_member", OUTSIDE):        row(N_A, N_A, 404, 404, 404, 404),
    ("the_edit_form_of_a_standard", INSIDE):         row(200, 200, 200, N_A, 200, 200),
    ("the_edit_form_of_a_standard", OUTSIDE):        row(N_A, N_A, 404, 404, 404, 404),
    ("confirming_a_standard", INSIDE):               row(302, 302, 302, N_A, 302, 302),
    ("confirming_a_standard", OUTSIDE):              row(N_A, N_A, 404, 404, 404, 404),
    ("the_page_of_a_relief", INSIDE):                row(200, 200, 200, 200, 200, 200),
    ("the_page_of_a_relief", OUTSIDE):               row(N_A, N_A, 404, 404, 404, 404),
}  # fmt: skip


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None
    method: str = "get"

    def url(self, obj: Any) -> str:
        if self.url_name == "dues:month":
            return reverse(self.url_name, args=[obj.pk, 2026, 6])
        return reverse(self.url_name, args=[obj.pk] if obj is not None else [])


PAGES = {
    "the_dues_grid": Page("dues:grid"),
    "the_month_view_of_an_organization": Page("dues:month", "org"),
    "the_standard_list": Page("dues:standard_list"),
    "the_payment_list": Page("dues:payment_list"),
    "the_arrears_list": Page("dues:arrears_list"),
    "the_relief_list": Page("dues:relief_list"),
    "the_yearly_summary": Page("dues:summary"),
    "the_dues_of_a_member": Page("dues:member_dues", "member"),
    "the_new_standard_form_of_a_member": Page("dues:standard_create", "member"),
    "the_payment_form_of_a_member": Page("dues:payment_create", "member"),
    "the_relief_form_of_a_member": Page("dues:relief_create", "member"),
    "the_edit_form_of_a_standard": Page("dues:standard_update", "standard"),
    "confirming_a_standard": Page("dues:standard_confirm", "standard", method="post"),
    "the_page_of_a_relief": Page("dues:relief_decide", "relief"),
}


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    entered_long_ago()
    county.std_yuan = give_standard(county.yuan, 2026, by=county.admin, confirm=False)
    county.std_ma = give_standard(county.ma, 2026, by=county.admin, confirm=False)
    county.rel_yuan = actions.request_relief(
        DuesRelief(
            member=county.yuan,
            organization=county.huadu,
            kind="exempt",
            year=2026,
            from_month=1,
            to_month=2,
            reason="因病",
        ),
        by=county.secretary,
    )
    county.rel_ma = actions.request_relief(
        DuesRelief(member=county.ma, kind="exempt", year=2026, from_month=1, to_month=2, reason="因病"),
        by=county.outsider,
    )
    return county


def test_the_matrix_names_every_dues_page_and_a_status_for_every_role():
    assert {page for page, _scope in EXPECTED} == set(PAGES)
    from dues.urls import urlpatterns

    assert {f"dues:{pattern.name}" for pattern in urlpatterns} <= {page.url_name for page in PAGES.values()}
    for (page, scope), statuses in EXPECTED.items():
        assert (scope == ANY) == (PAGES[page].target is None), page
        assert len(statuses) == len(ROLES)


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_dues_permission_matrix(world, role, page_name, scope, expected):
    page = PAGES[page_name]
    obj = None
    if page.target is not None:
        inside, outside = TARGETS[role][page.target]
        obj = getattr(world, inside if scope == INSIDE else outside)
    client = login(getattr(world, PERSONA.get(role, role)))

    response = getattr(client, page.method)(page.url(obj))

    assert response.status_code == expected
    if page.url_name == "dues:standard_confirm":
        assert DuesStandard.objects.get(pk=obj.pk).is_confirmed == (expected == 302)


@pytest.mark.parametrize("role", ["township", "secretary", "branch", "outsider"])
def test_dues_lists_show_nothing_from_outside_the_subtree(world, role):
    user = getattr(world, PERSONA[role])
    inside, outside = (getattr(world, name) for name in TARGETS[role]["member"])
    client = login(user)
    for url_name in ("dues:relief_list", "dues:arrears_list"):
        page = client.get(reverse(url_name)).content.decode()
        assert outside.name not in page, url_name
        assert inside.name in page, url_name


def test_the_names_checked_above_do_show_for_an_administrator_so_the_checks_can_fail(world):
    client = login(world.admin)
    for url_name in ("dues:relief_list", "dues:arrears_list"):
        page = client.get(reverse(url_name)).content.decode()
        assert "马云" in page and "袁芳伟" in page
