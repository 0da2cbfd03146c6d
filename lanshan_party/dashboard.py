"""The home page's and the dashboard's figures: each app adds its own (`<app>/dashboard.py`, registered with
`registry.register_figures`), computed live from what the user may see as a fixed number of grouped queries; here
are the pages' entry points and the helpers that shape chart rows."""

import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party import registry

if TYPE_CHECKING:
    from lanshan_party.models import User

TOP = 15  # provinces, cities and organizations shown by name; the rest are summed as "others"


def top(pairs: list[tuple[str, int]], limit: int = TOP) -> list[tuple[str, int]]:
    """The largest `limit - 1` (label, count) rows, and the rest summed as "Others"."""
    pairs = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    if len(pairs) <= limit:
        return pairs
    return [*pairs[: limit - 1], (_("Others"), sum(n for _label, n in pairs[limit - 1 :]))]


def months(end: datetime.date, count: int = 12) -> list[datetime.date]:
    """The first days of the `count` months up to and including end's month, oldest first."""
    firsts = []
    year, month = end.year, end.month
    for _i in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def as_date(value: Any) -> datetime.date:
    """A TruncMonth value as a date: a datetime on some databases, a date on others."""
    return value.date() if isinstance(value, datetime.datetime) else value


def figures(user: "User", year: int | None = None, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the dashboard shows. `year` selects services and projects; activities cover the twelve
    months up to today; members are as they are now."""
    today = today or timezone.localdate()
    year = year or today.year
    return {"year": year, **registry.figures_for("dashboard", user, year, today)}


def home(user: "User", today: datetime.date | None = None) -> dict[str, Any]:
    """What the home page shows the user: key counts, warnings, what is waiting for them, the latest records."""
    today = today or timezone.localdate()
    entries = registry.figures_for("home", user, today.year, today)
    entries.pop("charts")
    return entries
