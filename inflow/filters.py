"""Filters of the inflow member list and their warnings: dropdowns list only what the user may see; a full ID number or
phone searched for travels as a keyed-hash token, never in clear (members.filters.PersonalSearchMixin)."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.filters import LEVEL_CHOICES
from inflow.models import PROVINCE_CHOICES, InflowMember, InflowStatus
from lanshan_party.filters import ScopedFilterSet
from members.filters import PersonalSearchMixin
from organizations.models import Organization

SEARCH = forms.TextInput(attrs={"placeholder": _("Name, full ID number or phone"), "type": "search"})


def arrival_years() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, this_year - 15, -1)]


class InflowMemberFilter(PersonalSearchMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=SEARCH)
    status = django_filters.ChoiceFilter(label=_("status"), choices=InflowStatus.choices)
    branch = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    from_province = django_filters.ChoiceFilter(label=_("province before arrival"), choices=PROVINCE_CHOICES)
    year = django_filters.TypedChoiceFilter(
        label=_("arrival year"), field_name="arrived_on", lookup_expr="year", choices=arrival_years, coerce=int
    )

    scoped_dropdowns = {"branch": Organization.objects.in_tree()}

    class Meta:
        model = InflowMember
        fields = ["q", "status", "branch", "from_province", "year"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)


class InflowLifeWarningFilter(PersonalSearchMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=SEARCH)
    level = django_filters.ChoiceFilter(label=_("warning level"), choices=LEVEL_CHOICES, method="at_level")
    # Named as on our own members' warnings page: a reminder's link narrows the list with ?organization=.
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = InflowMember
        fields = ["q", "level", "organization"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def at_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.life_warnings(int(value))

    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)
