"""The organizations' reminder sweep: county staff hear of each dual-management agreement that is ending."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party.models import NotificationKind
from lanshan_party.notifications import Reminder, county_users, write
from lanshan_party.registry import register_sweep
from organizations.models import Agreement


@register_sweep("agreement_renewals")
def sweep_agreement_renewals(today: datetime.date | None = None) -> int:
    """County staff hear once about each agreement that ends within 60 days."""
    today = today or timezone.localdate()
    reminders = []
    recipients = county_users()
    for agreement in Agreement.objects.expiring(today=today):
        for user in recipients:
            reminders.append(
                Reminder(
                    key=f"agreement:{agreement.pk}:{agreement.valid_to}:{user.pk}",
                    recipient=user,
                    kind=NotificationKind.AGREEMENT_RENEWAL,
                    subject=_("The agreement with %(counterpart)s ends on %(end)s")
                    % {"counterpart": agreement.counterpart, "end": agreement.valid_to.isoformat()},
                    body=_("Agree the renewal with the counterpart and record the new agreement."),
                    link=agreement.get_absolute_url(),
                )
            )
    return write(reminders)
