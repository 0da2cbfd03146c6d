"""Filters of the transfer list and the to-do box; the organization dropdown lists only what the user may see."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lanshan_party.filters import ScopedFilterSet
from organizations.models import Organization
from transfers.models import FINISHED_STATUSES, Direction, Transfer, TransferStatus

BOX_CHOICES = [
    ("todo", _("Waiting on me")),
    ("unfinished", _("Not finished")),
    ("overdue", _("Expired without receipt")),
]


class TransferFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, organization or letter number"), "type": "search"}),
    )
    box = django_filters.ChoiceFilter(label=_("to-do box"), choices=BOX_CHOICES, method="in_box")
    direction = django_filters.ChoiceFilter(label=_("direction"), choices=Direction.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=TransferStatus.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    year = django_filters.NumberFilter(label=_("letter year"), field_name="letter_year")

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = Transfer
        fields = ["q", "box", "direction", "status", "organization", "year"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.replace("\x00", "").strip()
        condition = Q(name__icontains=value) | Q(other_org__icontains=value)
        digits = "".join(ch for ch in value if ch.isdigit())
        if digits and len(digits) <= 9:
            condition |= Q(letter_number=int(digits[-4:] if len(digits) > 4 else digits))
        return queryset.filter(condition)

    def in_box(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from transfers.actions import statuses_waiting_on

        user = self.request.user
        if value == "todo":
            return queryset.filter(status__in=statuses_waiting_on(user))
        if value == "overdue":
            return queryset.overdue()
        return queryset.exclude(status__in=FINISHED_STATUSES)

    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)
