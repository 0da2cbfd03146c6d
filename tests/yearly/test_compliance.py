"""Organizational life compliance: expected meetings per type and period against those recorded, the attendance
rate, the missed meetings, and the page with its filters."""

import datetime

import pytest
from django.urls import reverse

from activities.models import ActivityType
from organizations.models import Organization
from tests.conftest import login
from tests.factories import ActivityFactory, attend
from yearly.compliance import compliance, last_month_due

pytestmark = pytest.mark.usefixtures("on_a_fixed_day")
TODAY = datetime.date(2026, 6, 15)


def _a_year_of_meetings(county, year: int = 2025) -> None:
    """花果村 in 2025: theme days in every month but February and March, a committee meeting every month, a members'
    meeting each quarter, the yearly life meeting, and no Party group meeting at all (27 of 41 expected)."""
    for month in range(1, 13):
        if month not in (2, 3):
            ActivityFactory(organization=county.huaguo, type="theme_day", date=datetime.date(year, month, 8))
        ActivityFactory(organization=county.huaguo, type="committee_meeting", date=datetime.date(year, month, 20))
    for month in (2, 5, 8, 11):
        ActivityFactory(organization=county.huaguo, type="members_meeting", date=datetime.date(year, month, 25))
    ActivityFactory(organization=county.huaguo, type="life_meeting", date=datetime.date(year, 12, 28))
    ActivityFactory(organization=county.huaguo, type="volunteer", date=datetime.date(year, 7, 1))  # not expected


def _row(rows, org):
    return next(row for row in rows if row.organization == org)


def test_the_completion_rate_of_a_known_year_of_meetings(county):
    _a_year_of_meetings(county)

    row = _row(compliance(Organization.objects.all(), 2025, TODAY), county.huaguo)

    assert (row.held, row.expected, row.rate) == (27, 41, 65.9)
    assert (str(ActivityType.THEME_DAY.label), "2025-02") in row.missed
    assert (str(ActivityType.GROUP_MEETING.label), "2025-07") in row.missed
    assert len(row.missed) == 14  # 2 theme days, 12 Party group meetings
    assert [(label, held, expected) for label, held, expected in row.periods] == [
        ("2025年第1季度", 5, 10),  # 3 committee, 1 of 3 theme days, the members' meeting, none of 3 group meetings
        ("2025年第2季度", 7, 10),
        ("2025年第3季度", 7, 10),
        ("2025年第4季度", 8, 11),  # and the yearly life meeting
    ]


def test_only_the_periods_that_have_ended_count_in_the_current_year(county):
    assert last_month_due(2026, TODAY) == 5 and last_month_due(2025, TODAY) == 12 and last_month_due(2027, TODAY) == 0
    ActivityFactory(organization=county.huaguo, type="theme_day", date=datetime.date(2026, 6, 1))  # June: not yet due

    row = _row(compliance(Organization.objects.all(), 2026, TODAY, "month"), county.huaguo)

    # January to May: committee, group and theme day monthly (15) and the first quarter's members' meeting (1).
    assert (row.held, row.expected) == (0, 16)
    assert row.periods[5] == ("2026-06", 0, 0)


def test_the_attendance_rate_counts_present_and_online_against_all_recorded(county):
    meeting = ActivityFactory(organization=county.huaguo, type="members_meeting", date=datetime.date(2026, 2, 3))
    attend(meeting, (county.yuan, "online"), by=county.admin)
    other = ActivityFactory(organization=county.huaguo, type="theme_day", date=datetime.date(2026, 3, 3))
    from tests.factories import MemberFactory

    attend(
        other,
        (MemberFactory(home_branch=county.huaguo), "absent"),
        (MemberFactory(home_branch=county.huaguo), "present"),
        by=county.admin,
    )
    attend(other, (MemberFactory(home_branch=county.huaguo), "excused"), by=county.admin)

    row = _row(compliance(Organization.objects.all(), 2026, TODAY), county.huaguo)
    assert (row.attended, row.recorded, row.attendance_rate) == (2, 4, 50.0)


def test_the_page_shows_the_users_own_organizations_and_narrows_to_a_subtree(county):
    _a_year_of_meetings(county)

    def organizations(user, **params):
        rows = login(user).get(reverse("yearly:compliance"), {"year": 2025, **params}).context["rows"]
        return {row.organization for row in rows}

    assert organizations(county.branch) == {county.huaguo}
    assert organizations(county.township) == {county.huaguo, county.chengdong}
    assert organizations(county.admin) == {
        county.huaguo,
        county.chengdong,
        county.zongshicun,
        county.huadu,
        county.kunming,
    }
    assert organizations(county.admin, organization=county.zongshi.pk) == {county.zongshicun}
    # Another organization's subtree is not a choice: the filter is refused and the user's own rows remain.
    assert organizations(county.outsider, organization=county.tafeng.pk) == {county.zongshicun}
    page = login(county.branch).get(reverse("yearly:compliance"), {"year": 2025, "period": "month"}).content.decode()
    assert "65.9%" in page and "2025-12" in page


def test_bad_filter_values_are_not_an_error(county):
    response = login(county.admin).get(
        reverse("yearly:compliance"), {"year": "x", "period": "decade", "organization": "z"}
    )
    assert response.status_code == 200
