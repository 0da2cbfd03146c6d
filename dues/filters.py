"""Filters for the dues pages; dropdowns list only what the user may see."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dues.arrears import ARREARS_LEVEL_LABELS, in_arrears
from dues.models import Basis, DuesPayment, DuesRelief, DuesStandard, PaidBy, ReliefKind, ReliefStatus
from lanshan_party.filters import ScopedFilterSet
from members.filters import PersonalSearchMixin
from members.models import Member
from organizations.models import Organization

DATE = forms.DateInput(attrs={"type": "date"})


class InOrganizationMixin:
    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)


class DuesStandardFilter(InOrganizationMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="member__name", lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("year"))
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    basis = django_filters.ChoiceFilter(label=_("basis"), choices=Basis.choices)
    unconfirmed = django_filters.BooleanFilter(
        label=_("Not yet confirmed"), field_name="confirmed_at", lookup_expr="isnull", widget=forms.CheckboxInput
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = DuesStandard
        fields = ["q", "year", "organization", "basis", "unconfirmed"]


class DuesPaymentFilter(InOrganizationMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="member__name", lookup_expr="icontains")
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    paid_by = django_filters.ChoiceFilter(label=_("paid by"), choices=PaidBy.choices)
    since = django_filters.DateFilter(label=_("From"), field_name="paid_on", lookup_expr="gte", widget=DATE)
    until = django_filters.DateFilter(label=_("To"), field_name="paid_on", lookup_expr="lte", widget=DATE)
    at_destination = django_filters.BooleanFilter(
        label=_("Paid at the destination"), method="paid_at_destination", widget=forms.CheckboxInput
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = DuesPayment
        fields = ["q", "organization", "paid_by", "since", "until", "at_destination"]

    def paid_at_destination(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(paid_at__kind="flowing") if value else queryset


LEVEL_CHOICES = [(str(level), label) for level, label in ARREARS_LEVEL_LABELS.items()]


class ArrearsFilter(PersonalSearchMixin, InOrganizationMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"}))
    level = django_filters.ChoiceFilter(label=_("months unpaid"), choices=LEVEL_CHOICES, method="at_level")
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
        return in_arrears(queryset, int(value))


class DuesReliefFilter(InOrganizationMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="member__name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("status"), choices=ReliefStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ReliefKind.choices)
    year = django_filters.NumberFilter(label=_("year"))
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    mine = django_filters.BooleanFilter(
        label=_("Waiting for my decision"), method="waiting", widget=forms.CheckboxInput
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = DuesRelief
        fields = ["q", "status", "kind", "year", "organization", "mine"]

    def waiting(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        user = self.request.user
        condition = Q(approver__kind="county") if user.sees_everything else Q(approver=user.organization_id)
        return queryset.filter(condition, status=ReliefStatus.REQUESTED)
