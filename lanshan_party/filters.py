"""Filters for the account list and the audit log."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lanshan_party.models import AuditAction, AuditEntry, Role, User


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose every dropdown of objects offers only what `visible_to(request.user)` lets the user see, so a
    new filter cannot forget it. `scoped_dropdowns` narrows some further (e.g. organizations of our own tree)."""

    scoped_dropdowns: dict[str, QuerySet] = {}

    def __init__(self, *args, user=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # An export job passes its user; a page passes its request.
        user = user if user is not None else self.request.user
        for name, queryset in self.scoped_dropdowns.items():
            self.filters[name].queryset = queryset
        for filter_ in self.filters.values():
            choices = getattr(filter_, "queryset", None)
            if isinstance(choices, QuerySet):
                filter_.queryset = restrict(choices, user)


def restrict(queryset: QuerySet, user: Any) -> QuerySet:
    """The choices of a dropdown, cut down to what the user may see (when the model is scoped at all)."""
    scoped = getattr(queryset.model.objects, "visible_to", None)
    return scoped(user) & queryset if scoped is not None else queryset


class UserFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("role"), choices=Role.choices)
    is_active = django_filters.BooleanFilter(label=_("Account enabled"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))


class AuditEntryFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    action = django_filters.ChoiceFilter(label=_("action"), choices=AuditAction.choices)
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEntry
        fields = ["q", "action", "since", "until"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(actor_name__icontains=value) | Q(object_repr__icontains=value) | Q(note__icontains=value)
        )
