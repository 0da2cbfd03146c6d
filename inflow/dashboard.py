"""The inflow figures of the dashboard: members of other counties here now, and those not yet reported in."""

import datetime
from typing import Any

from django.db.models import Count, Q

from inflow.models import InflowMember, InflowStatus
from lanshan_party.models import User
from lanshan_party.registry import register_figures
from lanshan_party.rights import Right, has_right


@register_figures("dashboard")
def dashboard_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    """One query: inflow members of the user's branches here now (not left), and those awaiting report-in."""
    if not has_right(user, Right.KEEP_MEMBER_RECORDS):
        return {}
    counts = InflowMember.objects.visible_to(user).aggregate(
        here=Count("id", filter=~Q(status=InflowStatus.LEFT)),
        pending=Count("id", filter=Q(status=InflowStatus.PENDING)),
    )
    return {"inflow": counts}
