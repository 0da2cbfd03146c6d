import datetime

from lanshan_party import notifications
from lanshan_party.models import NotificationKind, Role, User
from lanshan_party.registry import register_sweep
from tests.toy.models import Visit


@register_sweep("toy_visits")
def sweep_visits(today: datetime.date) -> int:
    """Once a month, each secretary hears how many home visits their organization recorded."""
    reminders = []
    for user in User.objects.filter(role=Role.SECRETARY, is_active=True, organization__isnull=False):
        count = Visit.objects.filter(organization=user.organization_id).count()
        if count:
            reminders.append(
                notifications.Reminder(
                    key=f"toy-visits:{today:%Y-%m}:{user.pk}",
                    recipient=user,
                    kind=NotificationKind.LIFE_WARNING,
                    subject=f"{count} home visits recorded",
                    body="",
                )
            )
    return notifications.write(reminders)
