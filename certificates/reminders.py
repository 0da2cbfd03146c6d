"""Once a month, each secretary hears how many activity certificates of the members they answer for are due their
yearly check (待年审), with a link to the register showing exactly those certificates."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from certificates.actions import resync_organizations
from certificates.models import Certificate, RegisterStatus
from lanshan_party.models import NotificationKind
from lanshan_party.notifications import Reminder, secretaries_of, write
from lanshan_party.registry import register_sweep


def register_link(organization_id: int) -> str:
    """The register narrowed to the certificates due their check whose member that organization answers for."""
    query = urlencode({"status": str(RegisterStatus.DUE), "responsible": str(organization_id)})
    return f"{reverse('certificates:certificate_list')}?{query}"


def due_reminders(today: datetime.date) -> list[Reminder]:
    resync_organizations()  # the counts are per organization: its copies on the certificates must be current
    counts = Certificate.objects.due(today).count_by_responsible()
    reminders = []
    for org_id, users in secretaries_of(counts).items():
        values = {"count": counts[org_id]}
        for user in users:
            reminders.append(
                Reminder(
                    key=f"certificates:due:{today:%Y-%m}:{user.pk}",
                    recipient=user,
                    kind=NotificationKind.CERTIFICATE_CHECK,
                    subject=_("%(count)d activity certificates of your members are due their yearly check") % values,
                    body=_(
                        "Check each certificate with its member (in person, or by photo when far away) and record "
                        "the check in the certificate register."
                    ),
                    link=register_link(org_id),
                )
            )
    return reminders


@register_sweep("certificate_checks")
def sweep_certificate_checks(today: datetime.date | None = None) -> int:
    """Certificates valid and a year or more since their last check (or issue), per secretary answering for them."""
    return write(due_reminders(today or timezone.localdate()))
