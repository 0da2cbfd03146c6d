"""The inflow members' six-month-rule sweep: their last organizational life brought in step with their attendance, and
once a month each branch secretary hears how many of their inflow members are at a warning level."""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inflow.actions import resync_last_life
from inflow.models import InflowMember
from lanshan_party.models import NotificationKind
from lanshan_party.notifications import digest, write
from lanshan_party.registry import register_sweep


@register_sweep("inflow_life_warnings")
def sweep_inflow_life_warnings(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    resync_last_life()
    counts = dict(
        InflowMember.objects.life_warnings(today=today).order_by().values_list("branch").annotate(n=Count("id"))
    )
    return write(
        digest(
            counts,
            kind=NotificationKind.LIFE_WARNING,
            key=f"inflow-life:{today:%Y-%m}",
            subject=_("%(count)d inflow members of your branch have missed organizational life for 3 months or more"),
            body=_("Open the inflow members' warnings to see who they are, and tell their home organization."),
            link=reverse("inflow:life_warning_list"),
        )
    )
