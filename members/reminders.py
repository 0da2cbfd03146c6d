"""The members' reminder sweeps: activity certificates due their yearly check, members to transfer, census tasks."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party.models import NotificationKind
from lanshan_party.notifications import digest, write
from lanshan_party.registry import register_sweep
from members.census import campaign_reminders
from members.models import Member, months_ago


@register_sweep("campaigns")
def sweep_campaigns(today: datetime.date | None = None) -> int:
    """Census campaigns: opened, deadline in 3 days, and tasks unanswered at the deadline."""
    return write(campaign_reminders(today or timezone.localdate()))


@register_sweep("certificate_checks")
def sweep_certificate_checks(today: datetime.date | None = None) -> int:
    """Once a month, each secretary hears how many activity certificates (流动党员活动证) are due their yearly check."""
    today = today or timezone.localdate()
    year_ago = months_ago(12, today)
    due = Member.objects.filter(current_outflow__isnull=False).exclude(current_outflow__certificate_number="")
    due = due.filter(
        Q(current_outflow__certificate_checked_on__lte=year_ago)
        | Q(current_outflow__certificate_checked_on__isnull=True, current_outflow__certificate_issued_on__lte=year_ago)
    )
    return write(
        digest(
            due.count_by_responsible(),
            kind=NotificationKind.CERTIFICATE_CHECK,
            key=f"certificate:{today:%Y-%m}",
            subject=_("%(count)d activity certificates of your members are due their yearly check"),
            body=_("Check each certificate with its member and record the date of the check on their outflow."),
            link=reverse("members:member_list") + "?status=reported",
        )
    )


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
