"""The dashboard's figures, computed live from what the user may see, as a fixed number of grouped queries."""

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ATTENDED, Activity, ActivityType, Attendance
from members.models import LIFE_LEVEL_LABELS, Member, OutflowStatus
from organizations.models import Organization
from services.models import CaseKind, HometownProject, ServiceCase

if TYPE_CHECKING:
    from lanshan_party.models import User

TOP = 15  # provinces, cities and organizations shown by name; the rest are summed as "others"


def _top(pairs: list[tuple[str, int]], limit: int = TOP) -> list[tuple[str, int]]:
    pairs = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    if len(pairs) <= limit:
        return pairs
    return [*pairs[: limit - 1], (_("Others"), sum(n for _label, n in pairs[limit - 1 :]))]


def _months(end: datetime.date, count: int = 12) -> list[datetime.date]:
    """The first days of the `count` months up to and including end's month, oldest first."""
    firsts = []
    year, month = end.year, end.month
    for _i in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _as_date(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def figures(user: "User", year: int | None = None, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the dashboard shows. `year` selects services and projects; activities cover the twelve
    months up to today; members are as they are now."""
    today = today or timezone.localdate()
    year = year or today.year
    members = Member.objects.visible_to(user)
    away = members.filter(current_outflow__isnull=False)

    summary = members.summary()
    cities = list(
        away.order_by().values_list("current_outflow__province", "current_outflow__city").annotate(n=Count("id"))
    )
    per_org = dict(away.order_by().values_list("flowing_org").annotate(n=Count("id")))
    org_names = {
        pk: short or name
        for pk, short, name in Organization.objects.filter(pk__in=[pk for pk in per_org if pk]).values_list(
            "pk", "short_name", "name"
        )
    }
    # Provinces are the sums of their cities, and the outflow statuses follow from the summary: an open
    # outflow is registered, reported or lost, and a member without one is at home.
    provinces: dict[str, int] = {}
    for province, _city, n in cities:
        provinces[province] = provinces.get(province, 0) + n
    statuses = {
        None: summary["total"] - summary["away"],
        OutflowStatus.REGISTERED: summary["away"] - summary["reported"] - summary["lost"],
        OutflowStatus.REPORTED: summary["reported"],
        OutflowStatus.LOST: summary["lost"],
    }

    months = _months(today)
    activities = Activity.objects.visible_to(user).filter(date__gte=months[0], date__lte=today)
    per_month = {
        _as_date(month): n
        for month, n in activities.annotate(month=TruncMonth("date"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    }
    attendance = {
        _as_date(row["month"]): row
        for row in Attendance.objects.filter(activity__in=activities)
        .annotate(month=TruncMonth("activity__date"))
        .order_by()
        .values("month")
        .annotate(attended=Count("id", filter=Q(status__in=ATTENDED)), recorded=Count("id"))
    }
    by_type = dict(activities.order_by().values_list("type").annotate(n=Count("id")))

    warnings = members.life_warning_counts(today)
    cases = ServiceCase.objects.visible_to(user)
    services = cases.totals(year)
    services_by_kind = cases.count_by_kind(year)
    projects = HometownProject.objects.visible_to(user).totals(year)

    def rate(row: dict | None) -> float | None:
        return round(100 * row["attended"] / row["recorded"], 1) if row and row["recorded"] else None

    return {
        "year": year,
        "summary": summary,
        "services": services,
        "projects": projects,
        "charts": {
            "provinces": _top(list(provinces.items())),
            "cities": _top([(f"{province}{city}", n) for (province, city, n) in cities]),
            "organizations": _top(
                [(org_names.get(pk, ""), n) if pk else (_("No flowing organization"), n) for pk, n in per_org.items()]
            ),
            "statuses": [
                (str(OutflowStatus(status).label) if status else _("At home"), statuses[status])
                for status in (None, OutflowStatus.REGISTERED, OutflowStatus.REPORTED, OutflowStatus.LOST)
                if statuses.get(status)
            ],
            "months": [(f"{month:%Y-%m}", per_month.get(month, 0), rate(attendance.get(month))) for month in months],
            "activity_types": _top([(str(ActivityType(kind).label), n) for kind, n in by_type.items()]),
            "warnings": [(str(label), warnings[level]) for level, label in LIFE_LEVEL_LABELS.items()],
            "service_kinds": [
                (str(kind.label), services_by_kind[kind.value]) for kind in CaseKind if services_by_kind.get(kind.value)
            ],
        },
    }
