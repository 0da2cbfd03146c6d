"""The members' reminder sweeps: members to transfer, census tasks,
report-ins overdue."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party.models import NotificationKind
from lanshan_party.notifications import digest, write
from lanshan_party.registry import register_sweep
from members.census import campaign_reminders
from members.models import Member


@register_sweep("campaigns")
def sweep_campaigns(today: datetime.date | None = None) -> int:
    """Census campaigns: opened, deadline in 3 days, and tasks unanswered at the deadline."""
    return write(campaign_reminders(today or timezone.localdate()))


@register_sweep("transfer_prompts")
def sweep_transfer_prompts(today: datetime.date | None = None) -> int:
    """Once a month, each secretary hears how many members have been away 6+ months without a transfer (应转尽转)."""
    today = today or timezone.localdate()
    return write(
        digest(
            Member.objects.needs_transfer(today).count_by_responsible(),
            kind=NotificationKind.TRANSFER_PROMPT,
            key=f"transfer:{today:%Y-%m}",
            subject=_("%(count)d of your members have been away 6 months or more without a transfer"),
            body=_("Transfer their organizational relationship to where they live now, or record why not."),
            link=reverse("members:member_list") + "?needs_transfer=on",
        )
    )


@register_sweep("report_overdue")
def sweep_report_overdue(today: datetime.date | None = None) -> int:
    """Each day, each secretary hears how many of their members are past the day to report in (报到) at the
    destination and have not; a second run the same day writes nothing."""
    today = today or timezone.localdate()
    return write(
        digest(
            Member.objects.report_overdue(today).count_by_responsible(),
            kind=NotificationKind.REPORT_OVERDUE,
            key=f"report-overdue:{today:%Y-%m-%d}",
            subject=_("%(count)d of your members have not reported in at the destination by the due date"),
            body=_(
                "Contact each member and the destination organization; record the report-in once it is done, or "
                "update the whereabouts."
            ),
            link=reverse("members:member_list") + "?report_overdue=on",
        )
    )
