"""Who may open which page of the year's duties, in the style of tests/test_permissions.py.

Inside the user's subtree a page is allowed, outside it is a 404; recording elections is for the county and the
townships (403 for secretaries); a destination partner has none of these pages (404). Objects per role:
  member        袁芳伟 (花果村, away in Huadu) and 马云 (总市村, away in Kunming)
  study record  of 袁芳伟 by 花果村, of 马云 by 总市村
  seat          袁芳伟 on 花果村's committee, on Huadu's, 马云 on 总市村's
  term          the current terms of 花果村, Huadu and 总市村
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.test_permissions import ANY, INSIDE, N_A, OUTSIDE, PERSONA, ROLES, matrix_cells
from tests.yearly.factories import CommitteeMemberFactory, StudyRecordFactory, TermFactory

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")

TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "admin":     {"member": ("ma", N_A),     "study": ("study_ma", N_A),       "seat": ("seat_ma", N_A),        "term": ("term_zongshicun", N_A)},
    "county":    {"member": ("ma", N_A),     "study": ("study_ma", N_A),       "seat": ("seat_ma", N_A),        "term": ("term_zongshicun", N_A)},
    "township":  {"member": ("yuan", "ma"),  "study": ("study_yuan", "study_ma"), "seat": ("seat_yuan", "seat_ma"), "term": ("term_huaguo", "term_zongshicun")},
    "secretary": {"member": ("yuan", "ma"),  "study": ("study_yuan", "study_ma"), "seat": ("seat_huadu", "seat_yuan"), "term": ("term_huadu", "term_huaguo")},
    "branch":    {"member": ("yuan", "ma"),  "study": ("study_yuan", "study_ma"), "seat": ("seat_yuan", "seat_ma"), "term": ("term_huaguo", "term_zongshicun")},
    "outsider":  {"member": ("ma", "yuan"),  "study": ("study_ma", "study_yuan"), "seat": ("seat_ma", "seat_yuan"), "term": ("term_zongshicun", "term_huaguo")},
    "partner":   {"member": ("yuan", "ma"),  "study": ("study_yuan", "study_ma"), "seat": ("seat_huadu", "seat_ma"), "term": ("term_huadu", "term_huaguo")},
}  # fmt: skip

ALL_OURS = {
    "admin": 200,
    "county": 200,
    "township": 200,
    "secretary": 200,
    "branch": 200,
    "outsider": 200,
    "partner": 404,
}
OUT = {"admin": N_A, "county": N_A, "township": 404, "secretary": 404, "branch": 404, "outsider": 404, "partner": 404}
TERMS_IN = {
    "admin": 200,
    "county": 200,
    "township": 200,
    "secretary": 403,
    "branch": 403,
    "outsider": 403,
    "partner": 404,
}
TERMS_OUT = {**OUT, "secretary": 403, "branch": 403, "outsider": 403}


def _row(statuses: dict[str, int | None]) -> tuple[int | None, ...]:
    return tuple(statuses[role] for role in ROLES)


EXPECTED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_training_hours_shortfall_list", ANY): _row(ALL_OURS),
    ("the_study_record_list", ANY): _row(ALL_OURS),
    ("the_new_study_record_form_of_a_member", INSIDE): _row(ALL_OURS),
    ("the_new_study_record_form_of_a_member", OUTSIDE): _row(OUT),
    ("the_edit_form_of_a_study_record", INSIDE): _row(ALL_OURS),
    ("the_edit_form_of_a_study_record", OUTSIDE): _row(OUT),
    ("the_committee_member_list", ANY): _row(ALL_OURS),
    ("the_new_committee_seat_form_of_a_member", INSIDE): _row(ALL_OURS),
    ("the_new_committee_seat_form_of_a_member", OUTSIDE): _row(OUT),
    ("the_edit_form_of_a_committee_seat", INSIDE): _row(ALL_OURS),
    ("the_edit_form_of_a_committee_seat", OUTSIDE): _row(OUT),
    ("the_organizational_life_compliance_page", ANY): _row(ALL_OURS),
    ("the_organization_terms_list", ANY): _row(ALL_OURS),
    ("the_new_term_form", ANY): _row(TERMS_IN),
    ("the_edit_form_of_a_term", INSIDE): _row(TERMS_IN),
    ("the_edit_form_of_a_term", OUTSIDE): _row(TERMS_OUT),
}


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None

    def url(self, obj: Any) -> str:
        return reverse(self.url_name, args=[obj.pk] if obj is not None else [])


PAGES = {
    "the_training_hours_shortfall_list": Page("yearly:shortfall_list"),
    "the_study_record_list": Page("yearly:studyrecord_list"),
    "the_new_study_record_form_of_a_member": Page("yearly:studyrecord_create", "member"),
    "the_edit_form_of_a_study_record": Page("yearly:studyrecord_update", "study"),
    "the_committee_member_list": Page("yearly:committeemember_list"),
    "the_new_committee_seat_form_of_a_member": Page("yearly:committeemember_create", "member"),
    "the_edit_form_of_a_committee_seat": Page("yearly:committeemember_update", "seat"),
    "the_organizational_life_compliance_page": Page("yearly:compliance"),
    "the_organization_terms_list": Page("yearly:term_list"),
    "the_new_term_form": Page("yearly:term_create"),
    "the_edit_form_of_a_term": Page("yearly:term_update", "term"),
}


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    county.study_yuan = StudyRecordFactory(member=county.yuan, organization=county.huaguo)
    county.study_ma = StudyRecordFactory(member=county.ma, organization=county.zongshicun)
    county.seat_yuan = CommitteeMemberFactory(member=county.yuan, organization=county.huaguo)
    county.seat_huadu = CommitteeMemberFactory(member=county.yuan, organization=county.huadu)
    county.seat_ma = CommitteeMemberFactory(member=county.ma, organization=county.zongshicun)
    for name in ("huaguo", "huadu", "zongshicun"):
        setattr(
            county,
            f"term_{name}",
            TermFactory(organization=getattr(county, name), started_on=datetime.date(2024, 1, 1)),
        )
    return county


def test_the_matrix_covers_every_page_of_the_years_duties_and_every_role():
    from yearly.urls import urlpatterns

    assert {page for page, _scope in EXPECTED} == set(PAGES)
    assert {f"yearly:{pattern.name}" for pattern in urlpatterns} == {page.url_name for page in PAGES.values()}
    for (page, scope), statuses in EXPECTED.items():
        assert (scope == ANY) == (PAGES[page].target is None), page
        assert len(statuses) == len(ROLES)


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_the_years_duties_permission_matrix(world, role, page_name, scope, expected):
    page = PAGES[page_name]
    obj = None
    if page.target is not None:
        inside, outside = TARGETS[role][page.target]
        obj = getattr(world, inside if scope == INSIDE else outside)
    response = login(getattr(world, PERSONA[role])).get(page.url(obj))
    assert response.status_code == expected


@pytest.mark.parametrize("role", ["township", "secretary", "branch", "outsider"])
def test_the_lists_show_nothing_from_outside_the_subtree(world, role):
    client = login(getattr(world, PERSONA[role]))
    outside_member = getattr(world, TARGETS[role]["member"][1])
    inside_member = getattr(world, TARGETS[role]["member"][0])
    studies = client.get(reverse("yearly:studyrecord_list")).content.decode()
    assert outside_member.name not in studies and inside_member.name in studies
    shortfall = client.get(reverse("yearly:shortfall_list")).content.decode()
    assert outside_member.name not in shortfall and inside_member.name in shortfall
    terms = client.get(reverse("yearly:term_list"), {"due": "all"}).context["table"]
    outside_term = getattr(world, TARGETS[role]["term"][1])
    assert outside_term.pk not in {row.record.pk for row in terms.paginated_rows}


def test_the_names_checked_above_do_show_for_an_administrator_so_the_checks_can_fail(world):
    client = login(world.admin)
    for url in (reverse("yearly:studyrecord_list"), reverse("yearly:shortfall_list")):
        page = client.get(url).content.decode()
        assert "马云" in page and "袁芳伟" in page


def test_the_dropdowns_of_a_form_offer_only_the_users_organizations(world):
    form = login(world.branch).get(reverse("yearly:committeemember_create", args=[world.yuan.pk])).context["form"]
    assert set(form.fields["organization"].queryset) == {world.huaguo}
    term_form = login(world.township).get(reverse("yearly:term_create")).context["form"]
    assert set(term_form.fields["organization"].queryset) == {world.tafeng, world.huaguo, world.chengdong}
