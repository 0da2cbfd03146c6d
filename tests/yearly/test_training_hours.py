"""Training hours (学时): attended activities (present or online) and recorded study against 32 hours, 56 for
secretaries and committee members; the shortfall list and the member's page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import Member
from tests.conftest import login
from tests.factories import ActivityFactory, MemberFactory, attend
from tests.yearly.factories import CommitteeMemberFactory, StudyRecordFactory
from yearly.training import hours_of, shortfall

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")


def _year_of(county, member: Member, *, activity_hours: tuple[tuple[str, str], ...], study: str | None) -> None:
    """Attendance at one activity per (hours, status) of 2026 in 花果村, and a study record of `study` hours."""
    for day, (hours, status) in enumerate(activity_hours, start=1):
        activity = ActivityFactory(organization=county.huaguo, date=datetime.date(2026, 2, day), hours=Decimal(hours))
        attend(activity, (member, status), by=county.admin)
    if study is not None:
        StudyRecordFactory(member=member, hours=Decimal(study))


def test_31_5_hours_are_below_the_target_of_32_and_32_reach_it(county):
    short, reached = MemberFactory(home_branch=county.huaguo), MemberFactory(home_branch=county.huaguo)
    _year_of(county, short, activity_hours=(("24", "present"), ("6", "online")), study="1.5")
    _year_of(county, reached, activity_hours=(("24", "present"), ("6", "online")), study="2")

    assert (hours_of(short, 2026).hours, hours_of(short, 2026).target) == (Decimal("31.5"), 32)
    assert hours_of(short, 2026).missing == Decimal("0.5")
    assert hours_of(reached, 2026).hours == 32 and hours_of(reached, 2026).missing == 0
    below = set(shortfall(Member.objects.filter(pk__in=[short.pk, reached.pk]), 2026).values_list("pk", flat=True))
    assert below == {short.pk}


def test_online_attendance_counts_and_absent_or_excused_do_not(county):
    member = MemberFactory(home_branch=county.huaguo)
    _year_of(
        county,
        member,
        activity_hours=(("3", "online"), ("5", "absent"), ("7", "excused"), ("2", "present")),
        study=None,
    )

    figures = hours_of(member, 2026)
    assert (figures.activity_hours, figures.study_hours, figures.hours) == (Decimal(5), Decimal(0), Decimal(5))


def test_only_the_years_activities_and_study_count(county):
    member = MemberFactory(home_branch=county.huaguo)
    attend(
        ActivityFactory(organization=county.huaguo, date=datetime.date(2025, 12, 31), hours=8),
        (member, "present"),
        by=county.admin,
    )
    StudyRecordFactory(member=member, date=datetime.date(2025, 6, 1), hours=Decimal(4))
    attend(
        ActivityFactory(organization=county.huaguo, date=datetime.date(2026, 1, 1), hours=1),
        (member, "present"),
        by=county.admin,
    )

    assert hours_of(member, 2026).hours == 1
    assert hours_of(member, 2025).hours == 12


def test_a_branch_secretary_owes_56_so_55_5_hours_fall_short(county):
    secretary = MemberFactory(home_branch=county.huaguo)
    county.huaguo.secretary = secretary
    county.huaguo.save()
    _year_of(county, secretary, activity_hours=(("24", "present"), ("24", "online")), study="7.5")

    figures = hours_of(secretary, 2026)
    assert (figures.hours, figures.target, figures.missing, figures.is_cadre) == (
        Decimal("55.5"),
        56,
        Decimal("0.5"),
        True,
    )
    StudyRecordFactory(member=secretary, hours=Decimal("0.5"))
    assert hours_of(secretary, 2026).missing == 0


def test_a_committee_member_serving_that_year_owes_56_and_one_who_left_before_it_owes_32(county):
    serving, former = MemberFactory(home_branch=county.huaguo), MemberFactory(home_branch=county.huaguo)
    CommitteeMemberFactory(member=serving, role="propaganda", since=datetime.date(2024, 1, 1))
    CommitteeMemberFactory(
        member=former, role="member", since=datetime.date(2021, 1, 1), until=datetime.date(2025, 12, 31)
    )

    assert hours_of(serving, 2026).target == 56
    assert hours_of(former, 2026).target == 32
    assert hours_of(former, 2025).target == 56


def test_the_shortfall_list_shows_the_members_of_the_users_subtree_with_what_they_miss(county):
    MemberFactory(name="李短缺", home_branch=county.huaguo)
    MemberFactory(name="黄外村", home_branch=county.zongshicun)

    page = login(county.branch).get(reverse("yearly:shortfall_list"), {"year": 2026}).content.decode()

    assert "李短缺" in page and "黄外村" not in page
    assert "袁芳伟" in page  # away, but still owes the year's hours to his home branch
    admin_page = login(county.admin).get(reverse("yearly:shortfall_list"), {"year": "abc"}).content.decode()
    assert "黄外村" in admin_page


def test_the_shortfall_list_can_be_narrowed_to_an_organization(county):
    MemberFactory(name="李短缺", home_branch=county.huaguo)
    MemberFactory(name="黄外村", home_branch=county.zongshicun)

    response = login(county.admin).get(reverse("yearly:shortfall_list"), {"organization": county.zongshi.pk})

    names = {row.record.name for row in response.context["table"].paginated_rows}
    assert "黄外村" in names and "李短缺" not in names


def test_the_members_page_shows_this_years_hours_against_the_target(county):
    _year_of(county, county.yuan, activity_hours=(("24", "present"),), study="1.5")

    page = login(county.branch).get(reverse("members:member_detail", args=[county.yuan.pk])).content.decode()

    assert 'data-testid="training-hours"' in page
    assert "25.5 / 32" in page


def test_recording_study_from_the_members_page_counts_it_and_is_audited(county):
    from lanshan_party.models import AuditEntry

    client = login(county.branch)
    url = reverse("yearly:studyrecord_create", args=[county.yuan.pk])
    response = client.post(
        url,
        {
            "date": "2026-05-01",
            "kind": "online_course",
            "hours": "3",
            "title": "学习强国专题",
            "organization": county.huaguo.pk,
        },
    )

    assert response.status_code == 302
    assert hours_of(county.yuan, 2026).study_hours == 3
    assert AuditEntry.objects.filter(object_type="yearly.studyrecord", action="create").exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0.2", "学时至少为 0.5。"),
        ("abc", "学时请填写数字，例如 2 或 1.5。"),
        ("500", "一条记录最多 100 学时；较长的课程请分多条登记。"),
        ("", "请填写学时，例如 2 或 1.5。"),
    ],
)
def test_bad_hours_are_refused_with_what_to_do(county, hours, message):
    response = login(county.branch).post(
        reverse("yearly:studyrecord_create", args=[county.yuan.pk]),
        {
            "date": "2026-05-01",
            "kind": "online_course",
            "hours": hours,
            "title": "学习",
            "organization": county.huaguo.pk,
        },
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["hours"])


def test_study_cannot_be_recorded_for_an_organization_outside_the_users_subtree(county):
    response = login(county.branch).post(
        reverse("yearly:studyrecord_create", args=[county.yuan.pk]),
        {
            "date": "2026-05-01",
            "kind": "online_course",
            "hours": "2",
            "title": "学习",
            "organization": county.zongshicun.pk,
        },
    )
    assert response.status_code == 200 and "organization" in response.context["form"].errors
