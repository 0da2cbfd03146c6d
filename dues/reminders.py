"""The dues reminder sweep: once a month each secretary hears how many of their members are 3 or more months behind
with their dues. One reminder per secretary and month (its key), so a second run writes nothing."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dues.arrears import in_arrears
from lanshan_party.models import NotificationKind
from lanshan_party.notifications import digest, write
from lanshan_party.registry import register_sweep
from members.models import Member


@register_sweep("dues_arrears")
def sweep_dues_arrears(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    counts = in_arrears(Member.objects.all(), today=today).count_by_responsible()
    return write(
        digest(
            counts,
            # Dues unpaid are the six-month rule's second half (党章第九条), reminded apart from missed meetings.
            kind=NotificationKind.DUES_ARREARS,
            key=f"dues:{today:%Y-%m}",
            subject=_("%(count)d of your members are 3 months or more behind with their Party dues"),
            body=_("Open the dues arrears list to see who they are and what to do at each level."),
            link=reverse("dues:arrears_list"),
        )
    )
