"""The agreement list's filters: the covered-organization dropdown lists only what the user may see."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lanshan_party.filters import ScopedFilterSet
from organizations.models import PROVINCE_CHOICES, Agreement, AgreementStatus, Organization, OrgKind


class AgreementFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Counterpart or region"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=AgreementStatus.choices, method="by_status")
    province = django_filters.ChoiceFilter(label=_("province"), choices=PROVINCE_CHOICES[1:])
    covered = django_filters.ModelChoiceFilter(
        label=_("covered flowing organization"),
        queryset=Organization.objects.flowing(),
        field_name="covered_organizations",
    )
    expiring = django_filters.BooleanFilter(
        label=_("Expiring within 60 days"),  # EXPIRING_DAYS
        method="by_expiring",
        widget=forms.CheckboxInput,
    )

    scoped_dropdowns = {"covered": Organization.objects.flowing()}

    class Meta:
        model = Agreement
        fields = ["q", "status", "province", "covered", "expiring"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(counterpart__icontains=value)
            | Q(province__icontains=value)
            | Q(city__icontains=value)
            | Q(district__icontains=value)
        )

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_status(value)

    def by_expiring(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.expiring() if value else queryset


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
