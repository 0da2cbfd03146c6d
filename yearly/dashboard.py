"""The year's duties on the dashboard: organizational life compliance per organization (a chart with its table) and
the offline tile map of where members are away, both from what the user may see."""

import datetime
from typing import Any

from django.db.models import Count

from lanshan_party.dashboard import TOP
from lanshan_party.models import User
from lanshan_party.registry import register_figures
from lanshan_party.rights import Right, has_right
from members.models import Member
from organizations.models import Organization
from yearly.compliance import compliance
from yearly.tile_map import tile_map


def members_by_province(user: User) -> dict[str, int]:
    """{province of the open outflow: members away there}, one grouped query over the user's members."""
    away = Member.objects.visible_to(user).filter(current_outflow__isnull=False)
    return {
        province or "": n
        for province, n in away.order_by().values_list("current_outflow__province").annotate(n=Count("id"))
    }


@register_figures("dashboard")
def dashboard_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    if not has_right(user, Right.KEEP_MEMBER_RECORDS):
        return {}  # a destination partner's dashboard is its report-ins, not our organizations' duties
    rows = compliance(Organization.objects.visible_to(user), year, today, attendance=False)
    # The organizations furthest behind first: those are the ones the chart is for.
    ranked = sorted((row for row in rows if row.rate is not None), key=lambda row: (row.rate, row.organization.path))
    return {
        "tile_map": tile_map(members_by_province(user)),
        "charts": {
            "compliance": [(row.organization.display_name, row.rate) for row in ranked[:TOP]],
        },
    }
