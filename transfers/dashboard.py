"""The transfers' figures on the home page: the user's to-do box (待办 / 未办结 / 超时)."""

import datetime
from typing import Any

from lanshan_party.models import User
from lanshan_party.registry import register_figures
from transfers.models import Transfer


@register_figures("home")
def home_figures(user: User, year: int, today: datetime.date) -> dict[str, Any]:
    return {"transfer_box": Transfer.objects.box_counts(user, today)}
