"""Who may open which organizational-life page, photo and chart, in the style of tests/test_permissions.py.

Inside the user's subtree a page is allowed, outside it is a 404. Objects per role:
  activity / photo   the 花果村 activity (township, branch), the Huadu one (secretary), the 总市村 one (outsider)
  red package        to 袁芳伟 from 花果村 (township, branch, and the Huadu secretary who looks after him)
                     and to 马云 from 总市村 (outsider)
  a destination partner holds no activity of ours and sees none; its pages list only the member its outflow names
  (袁芳伟), and forms offer it no organization to record for
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import ActivityPhoto, RedPackage
from members.models import Member
from tests.conftest import login
from tests.factories import ActivityFactory, attend
from tests.test_permissions import (
    ANY,
    INSIDE,
    N_A,
    OUTSIDE,
    PERSONA,
    ROLES,
    matrix_cells,
)

# These tests write activities on fixed days of 2026, which must be in the past.
pytestmark = pytest.mark.usefixtures("on_a_fixed_day")

TARGETS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    #              activity (and its photo)                  organization holding one           member                package
    "admin":     {"activity": ("act_zongshicun", N_A),        "holder": ("zongshicun", N_A),      "member": ("ma", N_A),    "package": ("pkg_ma", N_A)},
    "county":    {"activity": ("act_zongshicun", N_A),        "holder": ("zongshicun", N_A),      "member": ("ma", N_A),    "package": ("pkg_ma", N_A)},
    "township":  {"activity": ("act_huaguo", "act_zongshicun"), "holder": ("huaguo", "zongshicun"), "member": ("yuan", "ma"), "package": ("pkg_yuan", "pkg_ma")},
    "secretary": {"activity": ("act_huadu", "act_huaguo"),    "holder": ("huadu", "kunming"),      "member": ("yuan", "ma"), "package": ("pkg_yuan", "pkg_ma")},
    "branch":    {"activity": ("act_huaguo", "act_huadu"),    "holder": ("huaguo", "zongshicun"), "member": ("yuan", "ma"), "package": ("pkg_yuan", "pkg_ma")},
    "outsider":  {"activity": ("act_zongshicun", "act_huaguo"), "holder": ("zongshicun", "huaguo"), "member": ("ma", "yuan"), "package": ("pkg_ma", "pkg_yuan")},
    "partner":   {"activity": (N_A, "act_huadu"),             "holder": (N_A, "huadu"),           "member": ("yuan", "ma"), "package": (N_A, "pkg_yuan")},
}  # fmt: skip

#                                                         admin county township secretary branch outsider partner
EXPECTED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("the_activity_list", ANY):                           (200,  200,   200,     200,      200,   200,   200),
    ("the_new_activity_form", ANY):                       (200,  200,   200,     200,      200,   200,   403),
    ("the_page_of_an_activity", INSIDE):                  (200,  200,   200,     200,      200,   200,   N_A),
    ("the_page_of_an_activity", OUTSIDE):                 (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_edit_form_of_an_activity", INSIDE):             (200,  200,   200,     200,      200,   200,   N_A),
    ("the_edit_form_of_an_activity", OUTSIDE):            (N_A,  N_A,   404,     404,      404,   404,   403),
    ("saving_the_edit_form_of_an_activity", INSIDE):      (302,  302,   302,     302,      302,   302,   N_A),
    ("saving_the_edit_form_of_an_activity", OUTSIDE):     (N_A,  N_A,   404,     404,      404,   404,   403),
    ("a_photo_of_an_activity", INSIDE):                   (200,  200,   200,     200,      200,   200,   N_A),
    ("a_photo_of_an_activity", OUTSIDE):                  (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_attendance_list_of_an_organization", INSIDE):   (200,  200,   200,     200,      200,   200,   N_A),
    ("the_attendance_list_of_an_organization", OUTSIDE):  (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_member_search_for_attendance", ANY):            (200,  200,   200,     200,      200,   200,   200),
    ("the_six_month_rule_warnings", ANY):                 (200,  200,   200,     200,      200,   200,   200),
    ("the_red_package_list", ANY):                        (200,  200,   200,     200,      200,   200,   200),
    ("the_red_package_member_finder", ANY):               (200,  200,   200,     200,      200,   200,   403),
    ("the_new_red_package_form_for_a_member", INSIDE):    (200,  200,   200,     200,      200,   200,   403),
    ("the_new_red_package_form_for_a_member", OUTSIDE):   (N_A,  N_A,   404,     404,      404,   404,   404),
    ("the_edit_form_of_a_red_package", INSIDE):           (200,  200,   200,     200,      200,   200,   N_A),
    ("the_edit_form_of_a_red_package", OUTSIDE):          (N_A,  N_A,   404,     404,      404,   404,   403),
    ("the_dashboard", ANY):                               (200,  200,   200,     200,      200,   200,   200),
}  # fmt: skip


@dataclass(frozen=True)
class Page:
    url_name: str
    target: str | None = None
    method: str = "get"

    def url(self, obj: Any) -> str:
        if self.url_name == "activities:roster":
            return reverse(self.url_name) + f"?organization={obj.pk}"
        if self.url_name == "activities:activity_photo":
            return reverse(self.url_name, args=[obj.photos.get().pk])
        return reverse(self.url_name, args=[obj.pk] if obj is not None else [])


PAGES = {
    "the_activity_list": Page("activities:activity_list"),
    "the_new_activity_form": Page("activities:activity_create"),
    "the_page_of_an_activity": Page("activities:activity_detail", "activity"),
    "the_edit_form_of_an_activity": Page("activities:activity_update", "activity"),
    "saving_the_edit_form_of_an_activity": Page("activities:activity_update", "activity", method="post"),
    "a_photo_of_an_activity": Page("activities:activity_photo", "activity"),
    "the_attendance_list_of_an_organization": Page("activities:roster", "holder"),
    "the_member_search_for_attendance": Page("members:member_search"),
    "the_six_month_rule_warnings": Page("activities:life_warning_list"),
    "the_red_package_list": Page("activities:redpackage_list"),
    "the_red_package_member_finder": Page("activities:redpackage_choose"),
    "the_new_red_package_form_for_a_member": Page("activities:redpackage_create", "member"),
    "the_edit_form_of_a_red_package": Page("activities:redpackage_update", "package"),
    "the_dashboard": Page("dashboard"),
}


@pytest.fixture
def world(county: SimpleNamespace) -> SimpleNamespace:
    for attribute, org in (
        ("act_huaguo", county.huaguo),
        ("act_huadu", county.huadu),
        ("act_zongshicun", county.zongshicun),
    ):
        activity = ActivityFactory(organization=org, date=datetime.date(2026, 3, 1), topic=f"{org.name}的主题党日")
        ActivityPhoto.objects.create(
            activity=activity, image=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
        )
        setattr(county, attribute, activity)
    attend(county.act_huaguo, (county.yuan, "online"), (county.qin, "present"), by=county.admin)
    attend(county.act_zongshicun, (county.ma, "present"), by=county.admin)
    # Entered long ago and last seen at the March activities: everyone is on the warnings page by now.
    Member.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    county.pkg_yuan = RedPackage.objects.create(
        organization=county.huaguo, member=county.yuan, items="党章", sent_on=datetime.date(2026, 3, 1)
    )
    county.pkg_ma = RedPackage.objects.create(
        organization=county.zongshicun, member=county.ma, items="党章", sent_on=datetime.date(2026, 3, 1)
    )
    return county


def test_the_matrix_covers_every_organizational_life_page_and_every_role():
    assert {page for page, _scope in EXPECTED} == set(PAGES)
    named = {page.url_name for page in PAGES.values()}
    from activities.urls import urlpatterns

    assert {f"activities:{pattern.name}" for pattern in urlpatterns} <= named
    for (page, scope), statuses in EXPECTED.items():
        assert (scope == ANY) == (PAGES[page].target is None), page
        assert len(statuses) == len(ROLES)


def _edit_form_posted_back(world: SimpleNamespace, activity: Any) -> dict[str, Any]:
    """The activity's edit form as an administrator is shown it, posted back with a new topic."""
    form = login(world.admin).get(reverse("activities:activity_update", args=[activity.pk])).context["form"]
    return {
        "organization": activity.organization_id,
        "type": activity.type,
        "date": activity.date.isoformat(),
        "hours": "2",
        "topic": "由权限矩阵测试修改",
        "place": activity.place,
        "version": form.initial["version"],
    }


@pytest.mark.parametrize(("role", "page_name", "scope", "expected"), matrix_cells(EXPECTED))
def test_organizational_life_permission_matrix(world, role, page_name, scope, expected):
    page = PAGES[page_name]
    obj = None
    if page.target is not None:
        inside, outside = TARGETS[role][page.target]
        obj = getattr(world, inside if scope == INSIDE else outside)
    client = login(getattr(world, PERSONA[role]))
    data = _edit_form_posted_back(world, obj) if page.method == "post" else {}

    response = getattr(client, page.method)(page.url(obj), data)

    if response.status_code == 200 and expected != 200 and response.context and "form" in response.context:
        pytest.fail(f"expected {expected}, got 200 with form errors {response.context['form'].errors.as_data()}")
    assert response.status_code == expected
    if page.method == "post":
        obj.refresh_from_db()
        assert (obj.topic == "由权限矩阵测试修改") == (expected == 302)


@pytest.mark.parametrize("role", ["township", "secretary", "branch", "outsider"])
def test_lists_and_the_dashboard_show_nothing_from_outside_the_subtree(world, role):
    user = getattr(world, PERSONA[role])
    outside_activity = getattr(world, TARGETS[role]["activity"][1])
    client = login(user)
    activity_list = client.get(reverse("activities:activity_list")).content.decode()
    assert outside_activity.topic not in activity_list
    assert getattr(world, TARGETS[role]["activity"][0]).topic in activity_list
    packages = client.get(reverse("activities:redpackage_list")).content.decode()
    outside_member = getattr(world, TARGETS[role]["member"][1])
    assert outside_member.name not in packages
    warnings = client.get(reverse("activities:life_warning_list")).content.decode()
    assert outside_member.name not in warnings
    assert getattr(world, TARGETS[role]["member"][0]).name in warnings


def test_the_names_checked_above_do_show_for_an_administrator_so_the_checks_can_fail(world):
    client = login(world.admin)
    assert world.act_zongshicun.topic in client.get(reverse("activities:activity_list")).content.decode()
    assert "马云" in client.get(reverse("activities:redpackage_list")).content.decode()
    assert "马云" in client.get(reverse("activities:life_warning_list")).content.decode()
