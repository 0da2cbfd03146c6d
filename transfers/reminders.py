"""The transfers' reminder sweep: introduction letters past their validity with no receipt (超时)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lanshan_party.models import NotificationKind, Role, User
from lanshan_party.notifications import Reminder, write
from lanshan_party.registry import register_sweep
from transfers.models import Transfer

KIND = NotificationKind.TRANSFER_OVERDUE


def _recipients(transfer: Transfer) -> list[User]:
    """The secretaries of the sending branch and the township staff above it: they answer for the letter."""
    branch = transfer.home_branch
    township_ids = [branch.parent_id] if branch.parent_id else []
    return list(
        User.objects.filter(
            is_active=True, organization_id__in=[branch.pk, *township_ids], role__in=(Role.SECRETARY, Role.TOWNSHIP)
        ).order_by("pk")
    )


@register_sweep("transfer_letters_overdue")
def sweep_overdue_letters(today: datetime.date | None = None) -> int:
    """Once a month while it lasts, each letter issued and expired without a receipt is reminded to its branch's
    secretaries and township staff; a second run in the same month writes nothing."""
    today = today or timezone.localdate()
    reminders = []
    for transfer in Transfer.objects.overdue(today).select_related("home_branch").order_by("pk"):
        for user in _recipients(transfer):
            reminders.append(
                Reminder(
                    key=f"transfer-overdue:{transfer.pk}:{today:%Y-%m}:{user.pk}",
                    recipient=user,
                    kind=KIND,
                    subject=_("Introduction letter %(code)s for %(name)s expired without a receipt")
                    % {"code": transfer.letter_code, "name": transfer.name},
                    body=_(
                        "The letter was valid until %(day)s. Ask %(org)s whether the member reported; record the "
                        "receipt when it comes back."
                    )
                    % {"day": transfer.valid_until, "org": transfer.other_org},
                    link=reverse("transfers:transfer_detail", args=[transfer.pk]),
                )
            )
    return write(reminders)
