"""Filters of the year's lists; every dropdown lists only what the user may see."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanshan_party.filters import ScopedFilterSet
from members.models import Member
from organizations.models import Organization, OrgKind
from yearly.models import CommitteeMember, CommitteeRole, StudyKind, StudyRecord, Term, TermStatus

YEARS_BACK = 6


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, this_year - YEARS_BACK, -1)]


def chosen_year(data: object) -> int:
    """The year asked for (?year=), within the years offered, else this year: a bad value is never an error."""
    this_year = timezone.localdate().year
    try:
        year = int(data.get("year", this_year))  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return this_year
    return year if this_year - YEARS_BACK < year <= this_year else this_year


class InSubtreeMixin:
    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)


class ShortfallFilter(InSubtreeMixin, ScopedFilterSet):
    year = django_filters.ChoiceFilter(label=_("year"), choices=year_choices, method="keep", empty_label=None)
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"}))

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = Member
        fields = ["year", "organization", "q"]

    def keep(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset  # the view computes the hours of the chosen year

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name__icontains=value)


class StudyRecordFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"}))
    year = django_filters.TypedChoiceFilter(label=_("year"), choices=year_choices, coerce=int, field_name="date__year")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=StudyKind.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = StudyRecord
        fields = ["q", "year", "kind", "organization"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(member__name__icontains=value) | Q(title__icontains=value))

    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.filter(
            Q(organization__path__startswith=value.path)
            | Q(member__home_branch__path__startswith=value.path)
            | Q(member__flowing_org__path__startswith=value.path)
        )


class CommitteeMemberFilter(InSubtreeMixin, ScopedFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    role = django_filters.ChoiceFilter(label=_("post"), choices=CommitteeRole.choices)
    serving = django_filters.BooleanFilter(label=_("Serving today"), method="serving_today", widget=forms.CheckboxInput)

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = CommitteeMember
        fields = ["organization", "role", "serving"]

    def serving_today(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        today = timezone.localdate()
        return queryset.serving_in(today, today) if value else queryset


DUE = "due"
ALL = "all"
DUE_CHOICES = [
    (DUE, _("Expired or ending within 90 days")),
    *TermStatus.choices,
    (ALL, _("All current terms")),
]


class TermFilter(InSubtreeMixin, ScopedFilterSet):
    due = django_filters.ChoiceFilter(label=_("term"), choices=DUE_CHOICES, method="by_due", empty_label=None)
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"),
        field_name="organization__kind",
        choices=[(k, label) for k, label in OrgKind.choices if k != OrgKind.PARTNER],
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree()}

    class Meta:
        model = Term
        fields = ["due", "organization", "kind"]

    def by_due(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == ALL:
            return queryset
        if value == DUE:
            return queryset.due()
        return queryset.with_status(value)
