"""Values every page's layout needs."""

from typing import Any

from django.http import HttpRequest

from lanshan_party.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The count on the bell in the navigation bar: one small indexed COUNT per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: Notification.objects.visible_to(user).unread().count()}


def rights(request: HttpRequest) -> dict[str, Any]:
    """What the user may do, for templates (`{% if rights.manage_organizations %}`): the same table the views check."""
    from lanshan_party.rights import rights_of

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"rights": rights_of(user)}
