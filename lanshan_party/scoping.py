"""The one scoping rule: a user sees their organization's subtree, county-level roles see everything.

A model's queryset subclasses `ScopedQuerySet` and names, once, the foreign keys that tie its rows to
organizations; its `visible_to(user)` and `in_subtree(path)` are derived from them. The few querysets with a
rule of another shape (per user, through a many-to-many, through another model) write `visible_to` themselves
and say why. The subtree's organization ids are read first (one small indexed query), so the row
filter is `fk IN (ids) OR fk2 IN (ids)` on the row's own indexed columns, never an OR across joins,
which keeps lists fast at provincial size.
"""

from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from lanshan_party.models import User

Q_T = TypeVar("Q_T", bound=QuerySet)


def within_subtree(queryset: Q_T, path: str, *organization_fks: str) -> Q_T:
    """Rows tied through any of the foreign keys (None: the Organization rows themselves) to the subtree at path."""
    from organizations.models import Organization

    subtree = Organization.objects.filter(path__startswith=path)
    if not organization_fks:
        return queryset.filter(pk__in=subtree.values("pk"))
    ids = list(subtree.values_list("pk", flat=True))
    condition = Q()
    for fk in organization_fks:
        condition |= Q(**{f"{fk}__in": ids})
    return queryset.filter(condition)


def within_scope(queryset: Q_T, user: "User", *organization_fks: str) -> Q_T:
    """What the user may see: their subtree, everything for county-level roles, nothing when signed out or disabled."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    path = user.scope_path
    if path is None:
        return queryset
    return within_subtree(queryset, path, *organization_fks)


class ScopedQuerySet(QuerySet):
    """Rows tied to organizations through `organization_fks`: the user sees a row when any of them is in their
    subtree. Each subclass declares the tuple (the empty tuple: the rows are organizations themselves); a
    subclass that forgets fails on its first query rather than showing the wrong rows."""

    organization_fks: ClassVar[tuple[str, ...]]

    def visible_to(self, user: "User") -> Self:
        return within_scope(self, user, *self.organization_fks)

    def in_subtree(self, path: str) -> Self:
        """The rows of an organization's subtree, by the same ties as visible_to (e.g. for a filter or its page)."""
        return within_subtree(self, path, *self.organization_fks)
