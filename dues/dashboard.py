"""The dues figures of the dashboard: collected this year and the collection rate, as two queries."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from dues.models import DuesMonth, DuesStandard
from dues.summary import months_due
from lanshan_party.models import User
from lanshan_party.registry import register_figures
from lanshan_party.rights import Right, has_right
from members.models import Standing
from organizations.models import Organization


def collected(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    """Collected (yuan) of the year's dues, and the rate: months settled (paid anywhere, or exempted) of the months
    due by today under the confirmed standards, for the home branches of the user's subtree."""
    months = DuesMonth.objects.filter(year=year, month__lte=max(months_due(year, today), 0))
    standards = DuesStandard.objects.filter(year=year, confirmed_at__isnull=False, member__standing=Standing.NORMAL)
    if user.scope_path is not None:
        ids = Organization.objects.visible_to(user).values("pk")  # a subquery of both: two queries in all
        months, standards = months.filter(home_branch__in=ids), standards.filter(home_branch__in=ids)
    settled = months.aggregate(total=Sum("amount", filter=Q(payment__isnull=False)), months=Count("id"))
    due_months = standards.count() * months_due(year, today)
    return {
        "collected": Decimal(str(settled["total"] or 0)).quantize(Decimal("0.01")),
        "rate": round(100 * settled["months"] / due_months, 1) if due_months else None,
    }


@register_figures("dashboard")
def dashboard_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    if not has_right(user, Right.KEEP_DUES):
        return {}
    return {"dues": collected(user, year, today)}
