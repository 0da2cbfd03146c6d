"""The organizations' figures on the home page: agreements that end within 60 days."""

import datetime
from typing import Any

from lanshan_party.models import User
from lanshan_party.registry import register_figures
from organizations.models import Agreement


@register_figures("home")
def home_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    return {"expiring_agreements": Agreement.objects.visible_to(user).expiring(days=60).order_by("valid_to")}
