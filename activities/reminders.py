"""The six-month rule's reminder sweep: secretaries hear monthly how many of their members are at a warning level."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party.models import NotificationKind
from lanshan_party.notifications import digest, write
from lanshan_party.registry import register_sweep
from members.models import Member


@register_sweep("life_warnings")
def sweep_life_warnings(today: datetime.date | None = None) -> int:
    """Once a month, each secretary hears how many of their members are at a six-month-rule warning level."""
    today = today or timezone.localdate()
    counts = Member.objects.life_warnings(today=today).count_by_responsible()
    return write(
        digest(
            counts,
            kind=NotificationKind.LIFE_WARNING,
            key=f"life:{today:%Y-%m}",
            subject=_("%(count)d of your members have missed organizational life for 3 months or more"),
            body=_("Open the warnings page to see who they are and what to do at each level."),
            link=reverse("activities:life_warning_list"),
        )
    )
