"""The dues figures of the dashboard and the home page: collected this year and the rate against what is due."""

import datetime
from typing import Any

from dues.summary import collected_figures
from lanshan_party.models import User
from lanshan_party.registry import register_figures
from lanshan_party.rights import Right, has_right


@register_figures("dashboard")
def dashboard_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    if not has_right(user, Right.KEEP_DUES):
        return {}
    return {"dues": collected_figures(user, year, today)}


@register_figures("home")
def home_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    if not has_right(user, Right.KEEP_DUES):
        return {}
    return {"dues": collected_figures(user, today.year, today)}
