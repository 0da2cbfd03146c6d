"""The activities' figures on the dashboard: activities per month with their attendance rate, and by type."""

import datetime
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from activities.models import ATTENDED, Activity, ActivityType, Attendance
from lanshan_party.dashboard import as_date, months, top
from lanshan_party.models import User
from lanshan_party.registry import register_figures


@register_figures("dashboard")
def dashboard_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    """The twelve months up to today, whatever year the dashboard shows."""
    firsts = months(today)
    activities = Activity.objects.visible_to(user).filter(date__gte=firsts[0], date__lte=today)
    per_month = {
        as_date(month): n
        for month, n in activities.annotate(month=TruncMonth("date"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    }
    attendance = {
        as_date(row["month"]): row
        for row in Attendance.objects.filter(activity__in=activities)
        .annotate(month=TruncMonth("activity__date"))
        .order_by()
        .values("month")
        .annotate(attended=Count("id", filter=Q(status__in=ATTENDED)), recorded=Count("id"))
    }
    by_type = dict(activities.order_by().values_list("type").annotate(n=Count("id")))

    def rate(row: dict | None) -> float | None:
        return round(100 * row["attended"] / row["recorded"], 1) if row and row["recorded"] else None

    return {
        "charts": {
            "months": [(f"{month:%Y-%m}", per_month.get(month, 0), rate(attendance.get(month))) for month in firsts],
            "activity_types": top([(str(ActivityType(kind).label), n) for kind, n in by_type.items()]),
        }
    }
