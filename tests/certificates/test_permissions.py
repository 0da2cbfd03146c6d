"""Who may open which certificate page, in the style of tests/test_permissions.py: inside the user's subtree a
page is allowed, outside it a 404; issuing and voiding are the townships' and the county's (a secretary gets 403);
a destination partner keeps no certificates, so every page is a 404 for them.

Objects per role: 袁芳伟's certificate and outflow (花果村 in 塔峰镇, away under Huadu) and 马云's (总市村 in
总市镇, away under Kunming)."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from certificates.models import Certificate
from tests.conftest import login
from tests.test_permissions import ANY, INSIDE, N_A, OUTSIDE, PERSONA, ROLES, matrix_cells

TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    #              certificate                     outflow
    "admin":     {"certificate": ("cert_ma", N_A),        "outflow": ("ma_outflow", N_A)},
    "county":    {"certificate": ("cert_ma", N_A),        "outflow": ("ma_outflow", N_A)},
    "township":  {"certificate": ("cert_yuan", "cert_ma"), "outflow": ("yuan_outflow", "ma_outflow")},
    "secretary": {"certificate": ("cert_yuan", "cert_ma"), "outflow": ("yuan_outflow", "ma_outflow")},
    "branch":    {"certificate": ("cert_yuan", "cert_ma"), "outflow": ("yuan_outflow", "ma_outflow")},
    "outsider":  {"certificate": ("cert_ma", "cert_yuan"), "outflow": ("ma_outflow", "yuan_outflow")},
    "partner":   {"certificate": ("cert_yuan", "cert_ma"), "outflow": ("yuan_outflow", "ma_outflow")},
}  # fmt: skip

# Per role, so the matrix follows ROLES as it grows. 302: a valid POST that recorded the step.
#                                                admin county township secretary branch outsider partner
BY_ROLE: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_certificate_register", ANY):            (200,  200,   200,     200,      200,   200,     404),
    ("the_printable_register", ANY):              (200,  200,   200,     200,      200,   200,     404),
    ("the_page_of_a_certificate", INSIDE):        (200,  200,   200,     200,      200,   200,     404),
    ("the_page_of_a_certificate", OUTSIDE):       (N_A,  N_A,   404,     404,      404,   404,     404),
    ("the_issue_form_of_an_outflow", INSIDE):     (200,  200,   200,     403,      403,   403,     404),
    ("the_issue_form_of_an_outflow", OUTSIDE):    (N_A,  N_A,   404,     404,      404,   404,     404),
    ("the_check_form_of_a_certificate", INSIDE):  (200,  200,   200,     200,      200,   200,     404),
    ("the_check_form_of_a_certificate", OUTSIDE): (N_A,  N_A,   404,     404,      404,   404,     404),
    ("recording_a_check_of_a_certificate", INSIDE):  (302, 302, 302,     302,      302,   302,     404),
    ("recording_a_check_of_a_certificate", OUTSIDE): (N_A, N_A, 404,     404,      404,   404,     404),
    ("the_hand_back_form_of_a_certificate", INSIDE):  (200, 200, 200,    200,      200,   200,     404),
    ("the_hand_back_form_of_a_certificate", OUTSIDE): (N_A, N_A, 404,    404,      404,   404,     404),
    ("the_void_form_of_a_certificate", INSIDE):   (200,  200,   200,     403,      403,   403,     404),
    ("the_void_form_of_a_certificate", OUTSIDE):  (N_A,  N_A,   404,     404,      404,   404,     404),
}  # fmt: skip
ALL_ROLES = ("admin", "county", "township", "secretary", "branch", "outsider", "partner")
EXPECTED = {key: tuple(dict(zip(ALL_ROLES, row, strict=True))[role] for role in ROLES) for key, row in BY_ROLE.items()}


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None
    method: str = "get"

    def url(self, obj: Any) -> str:
        return reverse(self.url_name, args=[obj.pk] if obj is not None else [])


PAGES = {
    "the_certificate_register": Page("certificates:certificate_list"),
    "the_printable_register": Page("certificates:certificate_print"),
    "the_page_of_a_certificate": Page("certificates:certificate_detail", "certificate"),
    "the_issue_form_of_an_outflow": Page("certificates:certificate_issue", "outflow"),
    "the_check_form_of_a_certificate": Page("certificates:certificate_check", "certificate"),
    "recording_a_check_of_a_certificate": Page("certificates:certificate_check", "certificate", method="post"),
    "the_hand_back_form_of_a_certificate": Page("certificates:certificate_hand_back", "certificate"),
    "the_void_form_of_a_certificate": Page("certificates:certificate_void", "certificate"),
}
CHECK_DAY = "2026-03-01"


def test_the_matrix_covers_every_certificate_page_and_every_role():
    assert {page for page, _scope in EXPECTED} == set(PAGES)
    from certificates.urls import urlpatterns

    assert {f"certificates:{pattern.name}" for pattern in urlpatterns} <= {page.url_name for page in PAGES.values()}
    for (page, scope), statuses in EXPECTED.items():
        assert (scope == ANY) == (PAGES[page].target is None), page
        assert len(statuses) == len(ROLES)
    assert set(ROLES) <= set(ALL_ROLES), "a new role: add its column to BY_ROLE"


def _call(world: Any, role: str, page_name: str, scope: str) -> tuple[Any, Any]:
    page = PAGES[page_name]
    obj = None
    if page.target is not None:
        inside, outside = TARGETS[role][page.target]
        obj = getattr(world, inside if scope == INSIDE else outside)
    client = login(getattr(world, PERSONA.get(role, role)))
    data = {"on": CHECK_DAY, "kind": "yearly", "note": "由权限矩阵测试记录"} if page.method == "post" else {}
    return getattr(client, page.method)(page.url(obj), data), obj


@pytest.mark.usefixtures("on_a_fixed_day")
@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_certificate_permission_matrix(certified, role, page_name, scope, expected):
    response, obj = _call(certified, role, page_name, scope)

    if response.status_code == 200 and expected != 200 and response.context and "form" in response.context:
        pytest.fail(f"expected {expected}, got 200 with form errors {response.context['form'].errors.as_data()}")
    assert response.status_code == expected
    if PAGES[page_name].method == "post":
        assert obj.checks.filter(note="由权限矩阵测试记录").exists() == (expected == 302)


@pytest.mark.usefixtures("on_a_fixed_day")
@pytest.mark.parametrize(("page_name", "scope"), [key for key in BY_ROLE if key[1] != OUTSIDE])
def test_a_destination_partner_gets_404_on_every_certificate_page(certified, page_name, scope):
    response, obj = _call(certified, "partner", page_name, scope)

    assert response.status_code == 404
    if obj is not None and PAGES[page_name].method == "post":
        assert not obj.checks.exists()


@pytest.mark.parametrize("role", ["township", "secretary", "branch", "outsider"])
def test_the_register_and_its_print_show_nothing_from_outside_the_subtree(certified, role):
    inside, outside = (getattr(certified, name) for name in TARGETS[role]["certificate"])
    client = login(getattr(certified, PERSONA[role]))
    for url in (reverse("certificates:certificate_list"), reverse("certificates:certificate_print")):
        page = client.get(url).content.decode()
        assert inside.number in page, url
        assert outside.number not in page, url


def test_both_numbers_show_for_an_administrator_so_the_checks_above_can_fail(certified):
    client = login(certified.admin)
    for url in (reverse("certificates:certificate_list"), reverse("certificates:certificate_print")):
        page = client.get(url).content.decode()
        assert all(c.number in page for c in Certificate.objects.all())
