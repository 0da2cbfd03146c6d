"""Filters of the certificate register: township, status (with 'due their check'), year of issue, number or name."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, RegisterStatus
from lanshan_party.filters import ScopedFilterSet
from organizations.models import Organization


def year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this_year, this_year - 20, -1)]


class CertificateFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number or member's name")}),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("issued by township"), queryset=Organization.objects.townships()
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=RegisterStatus.choices, method="by_status")
    year = django_filters.ChoiceFilter(label=_("year of issue"), choices=year_choices, method="by_year")
    # The organization answering for the member now (the flowing one while away, else the home branch): what a
    # reminder counts for its secretary, so its link lists exactly those.
    responsible = django_filters.ModelChoiceFilter(
        label=_("answering organization"), queryset=Organization.objects.in_tree(), method="by_responsible"
    )

    scoped_dropdowns = {"township": Organization.objects.townships(), "responsible": Organization.objects.in_tree()}

    class Meta:
        model = Certificate
        fields = ["q", "township", "status", "year", "responsible"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_register_status(value)

    def by_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(year=int(value))

    def by_responsible(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.with_responsible().filter(responsible=value.pk)
