"""The list filters of the services app: every organization dropdown lists only the user's subtree."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.filters import ScopedFilterSet
from organizations.models import Organization
from services.models import (
    CaseKind,
    HometownProject,
    Level,
    Outcome,
    PostKind,
    ProjectKind,
    Recognition,
    RepresentativePost,
    ServiceCase,
    ServiceCategory,
    ServiceItem,
)


def recent_years(count: int = 6) -> list[tuple[int, int]]:
    """This year and the ones before it, newest first (called per request: the year turns over)."""
    year = timezone.localdate().year
    return [(y, y) for y in range(year, year - count, -1)]


def _search_box(placeholder: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "type": "search"})


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def organization_filter() -> django_filters.ModelChoiceFilter:
    """An organization dropdown (scoped by ScopedFilterSet) that keeps the rows of its whole subtree."""
    return django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )


class InOrganizationMixin:
    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)  # type: ignore[attr-defined]


class ServiceItemFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_box(_("Name or how to apply")))
    category = django_filters.ChoiceFilter(label=_("category"), choices=ServiceCategory.choices)
    is_active = django_filters.BooleanFilter(label=_("offered"))

    class Meta:
        model = ServiceItem
        fields = ["q", "category", "is_active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class ServiceCaseFilter(InOrganizationMixin, ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=_search_box(_("Person served or what was done"))
    )
    organization = organization_filter()
    kind = django_filters.ChoiceFilter(label=_("kind of service"), choices=CaseKind.choices)
    outcome = django_filters.ChoiceFilter(label=_("outcome"), choices=Outcome.choices)
    service_item = django_filters.ModelChoiceFilter(
        label=_("cross-province service item"), queryset=ServiceItem.objects.all()
    )
    year = django_filters.ChoiceFilter(label=_("year"), field_name="date", lookup_expr="year", choices=recent_years)
    since = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=_date_input())
    until = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte", widget=_date_input())

    scoped_dropdowns = {"organization": Organization.objects.in_tree(), "service_item": ServiceItem.objects.all()}

    class Meta:
        model = ServiceCase
        fields = ["q", "kind", "organization", "service_item", "outcome", "year", "since", "until"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(member__name__icontains=value) | Q(beneficiary_name__icontains=value) | Q(description__icontains=value)
        )


class RecognitionFilter(InOrganizationMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_box(_("Member or award")))
    organization = organization_filter()
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices)
    year = django_filters.ChoiceFilter(label=_("year"), choices=recent_years)

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = Recognition
        fields = ["q", "organization", "level", "year"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(member__name__icontains=value) | Q(award__icontains=value))


class RepresentativePostFilter(InOrganizationMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="member__name", lookup_expr="icontains")
    organization = organization_filter()
    post = django_filters.ChoiceFilter(label=_("post"), choices=PostKind.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices)
    current = django_filters.BooleanFilter(label=_("Held now"), method="held_now", widget=forms.CheckboxInput)

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = RepresentativePost
        fields = ["q", "organization", "post", "level", "current"]

    def held_now(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.current() if value else queryset


class HometownProjectFilter(InOrganizationMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_box(_("Title or place")))
    organization = organization_filter()
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ProjectKind.choices)
    year = django_filters.ChoiceFilter(
        label=_("year"), field_name="started_on", lookup_expr="year", choices=recent_years
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = HometownProject
        fields = ["q", "kind", "organization", "year"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(township__icontains=value) | Q(village__icontains=value))
