"""Filters of the export and import histories and of the organization ledger page."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lanshan_party.filters import ScopedFilterSet
from lanshan_party.ledgers.definitions import LEDGERS
from lanshan_party.models import ExportJob, ExportStatus, ImportBatch, ImportStatus
from organizations.models import Organization, OrgKind


def ledger_choices() -> list[tuple[str, str]]:
    return [(ledger.key, ledger.title) for ledger in LEDGERS.values()]


class ExportJobFilter(ScopedFilterSet):
    ledger = django_filters.ChoiceFilter(label=_("Ledger"), choices=ledger_choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ExportStatus.choices)

    class Meta:
        model = ExportJob
        fields = ["ledger", "status"]


class ImportBatchFilter(ScopedFilterSet):
    ledger = django_filters.ChoiceFilter(label=_("Ledger"), choices=ledger_choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ImportStatus.choices)

    class Meta:
        model = ImportBatch
        fields = ["ledger", "status"]


class OrganizationLedgerFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, region or secretary"), "type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=[choice for choice in OrgKind.choices if choice[0] != OrgKind.PARTNER]
    )
    within = django_filters.ModelChoiceFilter(
        label=_("within"), queryset=Organization.objects.in_tree(), method="in_subtree"
    )
    is_active = django_filters.BooleanFilter(label=_("active"))

    scoped_dropdowns = {"within": Organization.objects.in_tree().exclude(kind__in=("village", "community"))}

    class Meta:
        model = Organization
        fields = ["q", "kind", "within", "is_active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(city__icontains=value)
            | Q(district__icontains=value)
            | Q(secretary_name__icontains=value)
        )

    def in_subtree(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(path__startswith=value.path)
