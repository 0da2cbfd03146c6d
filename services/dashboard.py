"""The services' figures on the dashboard: the year's service totals by kind, and hometown investment."""

import datetime
from typing import Any

from lanshan_party.models import User
from lanshan_party.registry import register_figures
from services.models import CaseKind, HometownProject, ServiceCase


@register_figures("dashboard")
def dashboard_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    cases = ServiceCase.objects.visible_to(user)
    by_kind = cases.count_by_kind(year)
    return {
        "services": cases.totals(year),
        "projects": HometownProject.objects.visible_to(user).totals(year),
        "charts": {
            "service_kinds": [(str(kind.label), by_kind[kind.value]) for kind in CaseKind if by_kind.get(kind.value)],
        },
    }
