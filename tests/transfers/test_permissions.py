"""Who may open which transfer page, in the style of tests/test_permissions.py.

Objects: for each state (draft, at the township, at the county, issued) one transfer out of 花果村 (inside for the
塔峰镇 township and the 花果村 branch) and one out of 总市村 (inside for its secretary, the outsider). The Huadu
flowing organization's secretary holds no relationship, so no transfer is inside their subtree. A destination
partner's account gets a 404 on every transfer page. Inside the subtree a role lacking the step gets a 403.
"""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from lanshan_party.models import AuditAction, AuditEntry
from tests.conftest import login
from tests.factories import MemberFactory
from tests.test_permissions import ANY, INSIDE, N_A, OUTSIDE, PERSONA, ROLES, matrix_cells
from transfers import actions
from transfers.models import Transfer

PERSONAS = {**PERSONA, "partner": "partner"}

# role → (inside, outside): which branch's transfer the role is shown
WHERE: dict[str, tuple[str | None, str | None]] = {
    "admin": ("zongshi", N_A),
    "county": ("zongshi", N_A),
    "township": ("huaguo", "zongshi"),
    "secretary": (N_A, "huaguo"),
    "branch": ("huaguo", "zongshi"),
    "outsider": ("zongshi", "huaguo"),
    "partner": (N_A, "huaguo"),
}

_ = N_A
#                                                     admin county township secretary branch outsider partner
EXPECTED_BY_ROLE: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_transfer_list", ANY):                        (200,  200,   200,     200,      200,   200,     404),
    ("the_transfer_to_do_box", ANY):                   (200,  200,   200,     200,      200,   200,     404),
    ("the_new_transfer_out_form", ANY):                (403,  403,   403,     200,      200,   200,     404),
    ("the_new_transfer_in_form", ANY):                 (403,  403,   403,     200,      200,   200,     404),
    ("the_page_of_a_transfer", INSIDE):                (200,  200,   200,     _,        200,   200,     _),
    ("the_page_of_a_transfer", OUTSIDE):               (_,    _,     404,     404,      404,   404,     404),
    ("the_edit_form_of_a_draft", INSIDE):              (403,  403,   403,     _,        200,   200,     _),
    ("the_edit_form_of_a_draft", OUTSIDE):             (_,    _,     404,     404,      404,   404,     404),
    ("submitting_a_draft", INSIDE):                    (403,  403,   403,     _,        200,   200,     _),
    ("submitting_a_draft", OUTSIDE):                   (_,    _,     404,     404,      404,   404,     404),
    ("withdrawing_a_draft", INSIDE):                   (403,  403,   403,     _,        200,   200,     _),
    ("withdrawing_a_draft", OUTSIDE):                  (_,    _,     404,     404,      404,   404,     404),
    ("approving_at_the_township", INSIDE):             (403,  403,   200,     _,        403,   403,     _),
    ("approving_at_the_township", OUTSIDE):            (_,    _,     404,     404,      404,   404,     404),
    ("returning_at_the_township", INSIDE):             (403,  403,   200,     _,        403,   403,     _),
    ("returning_at_the_township", OUTSIDE):            (_,    _,     404,     404,      404,   404,     404),
    ("approving_at_the_county", INSIDE):               (200,  200,   403,     _,        403,   403,     _),
    ("approving_at_the_county", OUTSIDE):              (_,    _,     404,     404,      404,   404,     404),
    ("saving_the_approval_at_the_county", INSIDE):     (302,  302,   403,     _,        403,   403,     _),
    ("recording_the_receipt", INSIDE):                 (200,  200,   200,     _,        200,   200,     _),
    ("recording_the_receipt", OUTSIDE):                (_,    _,     404,     404,      404,   404,     404),
    ("printing_the_letter", INSIDE):                   (200,  200,   200,     _,        200,   200,     _),
    ("printing_the_letter", OUTSIDE):                  (_,    _,     404,     404,      404,   404,     404),
    ("printing_the_letter_with_the_full_id", INSIDE):  (200,  200,   403,     _,        403,   403,     _),
    ("printing_the_letter_with_the_full_id", OUTSIDE): (_,    _,     404,     404,      404,   404,     404),
}  # fmt: skip
COLUMNS = ("admin", "county", "township", "secretary", "branch", "outsider", "partner")
# In the order of the shared matrix's roles, whichever roles it has now.
EXPECTED = {key: tuple(row[COLUMNS.index(role)] for role in ROLES) for key, row in EXPECTED_BY_ROLE.items()}


@dataclass(frozen=True)
class Page:
    url_name: str
    state: str | None = None  # which transfer the page is about: draft, at_township, at_county, issued
    step: str | None = None
    method: str = "get"
    data: tuple[tuple[str, str], ...] = ()

    def url(self, obj: Any) -> str:
        if obj is None:
            return reverse(self.url_name)
        return reverse(self.url_name, args=[obj.pk, self.step] if self.step else [obj.pk])


PAGES = {
    "the_transfer_list": Page("transfers:transfer_list"),
    "the_transfer_to_do_box": Page("transfers:transfer_box"),
    "the_new_transfer_out_form": Page("transfers:transfer_out_create"),
    "the_new_transfer_in_form": Page("transfers:transfer_in_create"),
    "the_page_of_a_transfer": Page("transfers:transfer_detail", "issued"),
    "the_edit_form_of_a_draft": Page("transfers:transfer_update", "draft"),
    "submitting_a_draft": Page("transfers:transfer_step", "draft", "submit"),
    "withdrawing_a_draft": Page("transfers:transfer_step", "draft", "withdraw"),
    "approving_at_the_township": Page("transfers:transfer_step", "at_township", "approve"),
    "returning_at_the_township": Page("transfers:transfer_step", "at_township", "return"),
    "approving_at_the_county": Page("transfers:transfer_step", "at_county", "approve"),
    "saving_the_approval_at_the_county": Page(
        "transfers:transfer_step", "at_county", "approve", "post", (("note", "同意"),)
    ),
    "recording_the_receipt": Page("transfers:transfer_receipt", "issued"),
    "printing_the_letter": Page("transfers:transfer_print", "issued"),
    "printing_the_letter_with_the_full_id": Page(
        "transfers:transfer_print", "issued", method="post", data=(("reason", "开具介绍信需完整身份证号"),)
    ),
}


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    from lanshan_party.models import Role
    from tests.factories import UserFactory

    zongshi_township = UserFactory(username="zongshi_township", role=Role.TOWNSHIP, organization=county.zongshi)
    for where, branch in (("huaguo", county.huaguo), ("zongshi", county.zongshicun)):
        secretary = county.branch if where == "huaguo" else county.outsider
        for state in ("draft", "at_township", "at_county", "issued"):
            member = MemberFactory(name=f"{where}{state}", home_branch=branch)
            transfer = actions.start_transfer_out(member, by=secretary, **_destination())
            if state != "draft":
                actions.submit(transfer, by=secretary)
            if state in ("at_county", "issued"):
                actions.approve(transfer, by=county.township if where == "huaguo" else zongshi_township)
            if state == "issued":
                transfer = actions.approve(transfer, by=county.county_staff)
            setattr(county, f"{state}_{where}", Transfer.objects.get(pk=transfer.pk))
    return county


def _destination() -> dict[str, Any]:
    from tests.transfers.conftest import DESTINATION

    return dict(DESTINATION)


def test_the_matrix_covers_every_transfer_page_and_every_role():
    assert {page for page, _scope in EXPECTED} == set(PAGES)
    from transfers.urls import urlpatterns

    assert {f"transfers:{pattern.name}" for pattern in urlpatterns} <= {page.url_name for page in PAGES.values()}
    for (page, scope), statuses in EXPECTED.items():
        assert (scope == ANY) == (PAGES[page].state is None), page
        assert len(statuses) == len(ROLES)


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_transfer_permission_matrix(world, role, page_name, scope, expected):
    _check(world, role, page_name, scope, expected)


@pytest.mark.parametrize(
    ("page_name", "scope"), [(page, scope) for (page, scope), row in EXPECTED_BY_ROLE.items() if row[-1] is not N_A]
)
def test_a_destination_partner_gets_404_on_every_transfer_page(world, page_name, scope):
    _check(world, "partner", page_name, scope, 404)


def _check(world: SimpleNamespace, role: str, page_name: str, scope: str, expected: int) -> None:
    page = PAGES[page_name]
    obj = None
    if page.state is not None:
        inside, outside = WHERE[role]
        obj = getattr(world, f"{page.state}_{inside if scope == INSIDE else outside}")
    client = login(getattr(world, PERSONAS[role]))

    response = getattr(client, page.method)(page.url(obj), dict(page.data))

    if response.status_code == 200 and expected != 200 and response.context and "form" in response.context:
        pytest.fail(f"expected {expected}, got 200 with form errors {response.context['form'].errors.as_data()}")
    assert response.status_code == expected
    if page_name == "saving_the_approval_at_the_county":
        obj.refresh_from_db()
        assert (obj.status == "issued") == (expected == 302)
    if page_name == "printing_the_letter_with_the_full_id":
        revealed = AuditEntry.objects.filter(action=AuditAction.REVEAL, object_id=str(obj.pk)).exists()
        assert revealed == (expected == 200)
        if expected == 200:
            assert obj.id_number in response.content.decode()


def test_the_letter_prints_the_id_number_masked_unless_revealed(world):
    transfer = world.issued_huaguo
    page = login(world.branch).get(reverse("transfers:transfer_print", args=[transfer.pk])).content.decode()
    assert transfer.id_number not in page and transfer.masked_id_number in page
    assert transfer.letter_code in page
    assert 'data-testid="letter-stub"' in page and 'data-testid="letter-receipt"' in page
    assert "（存根）" in page and "（回执）" in page


def test_lists_show_nothing_from_outside_the_subtree(world):
    for role in ("township", "branch", "outsider", "secretary"):
        user = getattr(world, PERSONA[role])
        page = login(user).get(reverse("transfers:transfer_list")).content.decode()
        inside, outside = WHERE[role]
        assert f"{outside}draft" not in page
        if inside:
            assert f"{inside}draft" in page
    everything = login(world.admin).get(reverse("transfers:transfer_list")).content.decode()
    assert "huaguodraft" in everything and "zongshidraft" in everything  # the checks above can fail
