"""The six-month rule (连续六个月不参加组织生活): last organizational life from attendance, and warnings at 3, 5, 6 months."""

import datetime

import pytest

from activities.models import ActivityType, AttendanceStatus
from members.models import Member
from tests.factories import ActivityFactory, MemberFactory, attend

TODAY = datetime.date(2026, 3, 31)


def _level(member: Member, today: datetime.date = TODAY) -> int | None:
    member.refresh_from_db()
    levels = [n for n in (3, 5, 6) if Member.objects.life_warnings(n, today).filter(pk=member.pk).exists()]
    assert len(levels) <= 1, "a member is at one warning level at most"
    assert member.life_warning_level(today) == (levels[0] if levels else None), "the page and the list agree"
    return levels[0] if levels else None


@pytest.fixture
def member(county):
    return MemberFactory(name="雷小军", home_branch=county.huaguo)


@pytest.mark.parametrize(
    ("last_attended", "expected"),
    [
        pytest.param(datetime.date(2026, 1, 1), None, id="2_months_30_days_is_not_yet_warned"),
        pytest.param(datetime.date(2025, 12, 31), 3, id="exactly_3_months_is_warned_at_3"),
        pytest.param(datetime.date(2025, 11, 1), 3, id="4_months_30_days_is_still_at_3"),
        pytest.param(datetime.date(2025, 10, 31), 5, id="exactly_5_months_is_warned_at_5"),
        pytest.param(datetime.date(2025, 10, 1), 5, id="5_months_30_days_is_still_at_5"),
        pytest.param(datetime.date(2025, 9, 30), 6, id="exactly_6_months_is_warned_at_6"),
        pytest.param(datetime.date(2024, 1, 1), 6, id="more_than_6_months_stays_at_6"),
    ],
)
def test_the_warning_level_follows_whole_calendar_months_since_the_last_attendance(
    county, member, last_attended, expected
):
    attend(ActivityFactory(organization=county.huaguo, date=last_attended), (member, "present"), by=county.branch)
    assert _level(member) == expected


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        (AttendanceStatus.PRESENT, True),
        (AttendanceStatus.ONLINE, True),
        (AttendanceStatus.EXCUSED, False),
        (AttendanceStatus.ABSENT, False),
    ],
)
def test_present_and_online_attendance_count_as_organizational_life_but_excused_and_absent_do_not(
    county, member, status, counts
):
    attend(
        ActivityFactory(organization=county.huaguo, date=datetime.date(2025, 6, 1)),
        (member, "present"),
        by=county.admin,
    )
    recent = ActivityFactory(organization=county.huaguo, date=datetime.date(2026, 3, 1))
    attend(recent, (member, status), by=county.admin)
    member.refresh_from_db()
    assert member.last_life_on == (datetime.date(2026, 3, 1) if counts else datetime.date(2025, 6, 1))
    assert _level(member) == (None if counts else 6)


def test_a_condolence_visit_does_not_reset_the_clock(county, member):
    attend(
        ActivityFactory(organization=county.huaguo, date=datetime.date(2025, 6, 1)),
        (member, "present"),
        by=county.admin,
    )
    visit = ActivityFactory(organization=county.huaguo, type=ActivityType.CONDOLENCE, date=datetime.date(2026, 3, 1))
    attend(visit, (member, "present"), by=county.admin)
    member.refresh_from_db()
    assert member.last_life_on == datetime.date(2025, 6, 1)


def test_correcting_an_attendance_to_absent_moves_the_last_life_date_back(county, member):
    earlier = ActivityFactory(organization=county.huaguo, date=datetime.date(2025, 12, 1))
    later = ActivityFactory(organization=county.huaguo, date=datetime.date(2026, 2, 1))
    attend(earlier, (member, "present"), by=county.admin)
    attend(later, (member, "online"), by=county.admin)
    member.refresh_from_db()
    assert member.last_life_on == datetime.date(2026, 2, 1)

    attend(later, (member, "absent"), by=county.admin)
    member.refresh_from_db()
    assert member.last_life_on == datetime.date(2025, 12, 1)

    attend(earlier, (member, ""), by=county.admin)  # the record is removed altogether
    member.refresh_from_db()
    assert member.last_life_on is None


def test_moving_an_activity_to_another_date_moves_every_attendees_last_life_date(county, member):
    from activities.actions import save_activity
    from lanshan_party import audit

    activity = attend(
        ActivityFactory(organization=county.huaguo, date=datetime.date(2026, 2, 1)),
        (member, "present"),
        by=county.admin,
    )
    before = audit.snapshot(activity)
    activity.date = datetime.date(2026, 1, 5)
    save_activity(activity, attendance={}, by=county.admin, before=before)
    member.refresh_from_db()
    assert member.last_life_on == datetime.date(2026, 1, 5)


def test_a_member_never_recorded_at_organizational_life_counts_from_the_day_they_were_entered(county, member):
    Member.objects.filter(pk=member.pk).update(created_at=datetime.datetime(2025, 12, 31, 10, tzinfo=datetime.UTC))
    assert _level(member) == 3
    Member.objects.filter(pk=member.pk).update(created_at=datetime.datetime(2026, 1, 2, 10, tzinfo=datetime.UTC))
    assert _level(member) is None


def test_members_no_longer_in_normal_standing_are_not_warned(county, member):
    attend(
        ActivityFactory(organization=county.huaguo, date=datetime.date(2024, 1, 1)),
        (member, "present"),
        by=county.admin,
    )
    Member.objects.filter(pk=member.pk).update(standing="deceased")
    assert _level(member) is None


def test_the_counts_per_level_agree_with_the_lists(county):
    dates = [
        datetime.date(2026, 2, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2025, 10, 15),
        datetime.date(2025, 1, 1),
    ]
    members = [MemberFactory(home_branch=county.huaguo) for _ in dates]
    for person, day in zip(members, dates, strict=True):
        attend(ActivityFactory(organization=county.huaguo, date=day), (person, "present"), by=county.admin)
    scope = Member.objects.filter(pk__in=[m.pk for m in members])
    assert scope.life_warning_counts(TODAY) == {3: 1, 5: 1, 6: 1}
    for level in (3, 5, 6):
        assert scope.life_warnings(level, TODAY).count() == 1
    assert scope.life_warnings(today=TODAY).count() == 3
