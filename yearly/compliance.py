"""Organizational life compliance (组织生活落实情况): the meetings each branch is expected to hold per period
(settings.ORG_LIFE_FREQUENCY: 支委会 and 党小组会 monthly, 党员大会 quarterly, 主题党日 monthly, 组织生活会 yearly) against
the activities it recorded, with its attendance rate. A fixed number of grouped queries for any number of
organizations: the organizations, activities per organization, type and month, and attendance per organization."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from activities.models import ATTENDED, Activity, ActivityType, Attendance
from organizations.models import Organization, OrgKind

# Months per expected meeting of each type (支部工作条例); settings.ORG_LIFE_FREQUENCY replaces it when set.
DEFAULT_FREQUENCY: dict[str, int] = {
    ActivityType.COMMITTEE_MEETING: 1,
    ActivityType.GROUP_MEETING: 1,
    ActivityType.MEMBERS_MEETING: 3,
    ActivityType.THEME_DAY: 1,
    ActivityType.LIFE_MEETING: 12,
}
# The organizations that hold organizational life themselves: branches at home and flowing organizations.
HOLDER_KINDS = (OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.FLOWING)
GRANULARITIES = {"month": 1, "quarter": 3, "year": 12}


def frequency() -> dict[str, int]:
    return dict(getattr(settings, "ORG_LIFE_FREQUENCY", None) or DEFAULT_FREQUENCY)


def period_label(year: int, months: int, index: int) -> str:
    """The index-th period (0-based) of `months` months in the year, as the tables show it."""
    if months == 12:
        return str(year)
    if months == 3:
        return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": index + 1}
    if months == 1:
        return f"{year}-{index + 1:02d}"
    return f"{year}-{index * months + 1:02d}—{year}-{(index + 1) * months:02d}"


def last_month_due(year: int, today: datetime.date) -> int:
    """The last month of the year whose meetings are due by today: every month of a past year, none of a future one;
    in the current year the months before this one (this month's meeting can still be held)."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month - 1


@dataclass
class Compliance:
    """One organization's year: the expected meetings, those held, those missed, and its attendance."""

    organization: Organization
    expected: int = 0
    held: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)  # (type label, period label)
    periods: list[tuple[str, int, int]] = field(default_factory=list)  # (label, held, expected) per chosen period
    attended: int = 0
    recorded: int = 0

    @property
    def rate(self) -> float | None:
        return round(100 * self.held / self.expected, 1) if self.expected else None

    @property
    def attendance_rate(self) -> float | None:
        return round(100 * self.attended / self.recorded, 1) if self.recorded else None


def holders(organizations: QuerySet) -> QuerySet:
    return organizations.active().in_tree().filter(kind__in=HOLDER_KINDS).order_by("path")


def compliance(
    organizations: QuerySet,
    year: int,
    today: datetime.date,
    granularity: str = "quarter",
    *,
    attendance: bool = True,
) -> list[Compliance]:
    """Per holding organization among `organizations`: expected meetings of the year due by today against those
    recorded, with one column per period of the chosen granularity (month, quarter or year), and (unless
    attendance=False, one query less) the attendance at the year's activities."""
    expected_every = frequency()
    width = GRANULARITIES.get(granularity, 3)
    due_until = last_month_due(year, today)
    rows = {org.pk: Compliance(org) for org in holders(organizations)}
    if not rows:
        return []
    activities = Activity.objects.filter(organization__in=list(rows), date__year=year)
    held_months: dict[tuple[int, str], set[int]] = defaultdict(set)
    for org_id, kind, month in (
        activities.filter(type__in=list(expected_every))
        .annotate(month=ExtractMonth("date"))
        .order_by()
        .values_list("organization", "type", "month")
        .distinct()
    ):
        held_months[(org_id, kind)].add(month)
    attendance_rows = (
        Attendance.objects.filter(activity__in=activities.exclude(type=ActivityType.CONDOLENCE))
        .order_by()
        .values_list("activity__organization")
        .annotate(attended=Count("id", filter=Q(status__in=ATTENDED)), recorded=Count("id"))
    )
    for org_id, attended, recorded in attendance_rows if attendance else ():
        rows[org_id].attended, rows[org_id].recorded = attended, recorded

    for org_id, row in rows.items():
        per_column: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for kind, every in expected_every.items():
            label = str(ActivityType(kind).label)
            for index in range(12 // every):
                first, last = index * every + 1, (index + 1) * every
                if last > due_until:
                    break  # not yet due
                held = any(first <= month <= last for month in held_months.get((org_id, kind), ()))
                row.expected += 1
                row.held += held
                if not held:
                    row.missed.append((label, period_label(year, every, index)))
                # The meeting counts in the chosen column its period ends in (a yearly meeting in the year's last).
                column = (last - 1) // width
                per_column[column][0] += held
                per_column[column][1] += 1
        row.periods = [
            (period_label(year, width, column), *per_column.get(column, [0, 0])) for column in range(12 // width)
        ]
    return list(rows.values())


def totals(rows: list[Compliance]) -> dict[str, float | int | None]:
    expected = sum(row.expected for row in rows)
    held = sum(row.held for row in rows)
    recorded = sum(row.recorded for row in rows)
    return {
        "expected": expected,
        "held": held,
        "rate": round(100 * held / expected, 1) if expected else None,
        "attendance_rate": round(100 * sum(row.attended for row in rows) / recorded, 1) if recorded else None,
    }
