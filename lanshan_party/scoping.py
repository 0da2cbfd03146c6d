"""The one scoping rule: a user sees their organization's subtree, county-level roles see everything.

Every model's `visible_to(user)` is this function with the paths that tie its rows to organizations.
"""

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from lanshan_party.models import User

Q_T = TypeVar("Q_T", bound=QuerySet)


def within_scope(queryset: Q_T, user: "User", *organization_lookups: str) -> Q_T:
    """Rows whose organization (reached through any of the lookups, "" for an Organization itself)
    lies in the user's subtree; nothing for anonymous or disabled users."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    path = user.scope_path
    if path is None:
        return queryset
    condition = Q()
    for lookup in organization_lookups:
        condition |= Q(**{f"{lookup}path__startswith": path})
    return queryset.filter(condition)
