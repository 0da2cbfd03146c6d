"""The introduction letter's validity setting is checked at start-up: the rules allow three months at most."""

from typing import Any

from django.core import checks
from django.utils.translation import gettext as _

# The longest three calendar months (July to September, or December to February in a leap year … ) are 92 days.
MAX_DAYS = 92


@checks.register()
def check_letter_validity(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from transfers.models import default_valid_days

    days = default_valid_days()
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        return [
            checks.Error(
                _(
                    "TRANSFER_LETTER_VALID_DAYS is %(days)s, but an introduction letter is valid for at most 3 months. "
                    "Set it to a number of days from 1 to %(max)d (90 is usual)."
                )
                % {"days": days, "max": MAX_DAYS},
                id="transfers.E001",
            )
        ]
    return []
