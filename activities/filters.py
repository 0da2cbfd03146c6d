"""Filters for the activity list, the six-month-rule warnings and red packages; dropdowns list only what the user may see."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityType, PackageChannel, RedPackage
from lanshan_party.filters import ScopedFilterSet
from members.filters import PersonalSearchMixin
from members.models import LIFE_LEVEL_LABELS, Member
from organizations.models import Organization

DATE = forms.DateInput(attrs={"type": "date"})


class ActivityFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"placeholder": _("Topic or place")})
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    type = django_filters.ChoiceFilter(label=_("type"), choices=ActivityType.choices)
    since = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=DATE)
    until = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte", widget=DATE)

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = Activity
        fields = ["q", "organization", "type", "since", "until"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(topic__icontains=value) | Q(place__icontains=value))

    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(organization__path__startswith=value.path)


LEVEL_CHOICES = [(str(months), label) for months, label in LIFE_LEVEL_LABELS.items()]


class LifeWarningFilter(PersonalSearchMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"}))
    level = django_filters.ChoiceFilter(label=_("warning level"), choices=LEVEL_CHOICES, method="at_level")
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = Member
        fields = ["q", "level", "organization"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def at_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.life_warnings(int(value))

    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)


class RedPackageFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    channel = django_filters.ChoiceFilter(label=_("how"), choices=PackageChannel.choices)
    unsigned = django_filters.BooleanFilter(
        label=_("Not yet signed for"), field_name="signed_on", lookup_expr="isnull", widget=forms.CheckboxInput
    )

    class Meta:
        model = RedPackage
        fields = ["q", "channel", "unsigned"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(member__name__icontains=value) | Q(items__icontains=value))
