"""The member list's filters: every dropdown lists only what the user may see; a full ID number or phone searched
for travels as a keyed-hash token (lanshan_party.personal_data.search_token), never in clear."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lanshan_party.filters import ScopedFilterSet
from members.models import (
    CampaignStatus,
    Category,
    CensusCampaign,
    CensusStatus,
    CensusTask,
    LostCause,
    Member,
    OutflowStatus,
    Standing,
    Tag,
)
from organizations.models import PROVINCE_CHOICES, Organization

NOT_AWAY = "home"
STATUS_CHOICES = [
    (OutflowStatus.REGISTERED.value, OutflowStatus.REGISTERED.label),
    (OutflowStatus.REPORTED.value, OutflowStatus.REPORTED.label),
    (OutflowStatus.LOST.value, OutflowStatus.LOST.label),
    (NOT_AWAY, _("Not away")),
]


class PersonalSearchMixin:
    """A list whose search box takes full ID numbers and phones: its filter form is posted to members:search, which
    turns such a number into a token before redirecting back (see templates/includes/filter_form.html)."""

    searches_personal_data = True


class MemberFilter(PersonalSearchMixin, ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, full ID number or phone"), "type": "search"}),
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=Organization.objects.townships(), method="in_organization"
    )
    province = django_filters.ChoiceFilter(
        label=_("destination province"), field_name="current_outflow__province", choices=PROVINCE_CHOICES[1:]
    )
    city = django_filters.CharFilter(
        label=_("destination city"), field_name="current_outflow__city", lookup_expr="startswith"
    )
    status = django_filters.ChoiceFilter(label=_("outflow status"), choices=STATUS_CHOICES, method="by_status")
    # The lost register (?status=lost) by cause: a cause is kept only while the member is lost.
    lost_cause = django_filters.ChoiceFilter(
        label=_("cause of lost contact"), field_name="current_outflow__lost_cause", choices=LostCause.choices
    )
    category = django_filters.ChoiceFilter(label=_("category"), choices=Category.choices)
    standing = django_filters.ChoiceFilter(label=_("standing"), choices=Standing.choices)
    tags = django_filters.ModelMultipleChoiceFilter(
        label=_("tags"), queryset=Tag.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    needs_transfer = django_filters.BooleanFilter(
        label=_("Away 6+ months, not transferred"), method="by_needs_transfer", widget=forms.CheckboxInput
    )
    report_overdue = django_filters.BooleanFilter(
        label=_("Report-in overdue"), method="by_report_overdue", widget=forms.CheckboxInput
    )

    scoped_dropdowns = {"organization": Organization.objects.in_tree(), "township": Organization.objects.townships()}

    class Meta:
        model = Member
        fields = [
            "q",
            "organization",
            "township",
            "province",
            "city",
            "status",
            "lost_cause",
            "category",
            "standing",
            "tags",
            "needs_transfer",
            "report_overdue",
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == NOT_AWAY:
            return queryset.filter(current_outflow__isnull=True)
        return queryset.filter(current_outflow__status=value)

    def by_needs_transfer(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.needs_transfer() if value else queryset

    def by_report_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.report_overdue() if value else queryset

    @property
    def qs(self) -> QuerySet:
        # Tags filtering joins through the M2M table; distinct keeps one row per member.
        qs = super().qs
        # Members whose relationship was transferred out are off the roll: listed only when asked for by standing.
        if not getattr(self.form, "cleaned_data", {}).get("standing"):
            qs = qs.exclude(standing=Standing.TRANSFERRED_OUT)
        return qs.distinct() if self.form.is_bound and self.form.cleaned_data.get("tags") else qs


class CensusTaskFilter(PersonalSearchMixin, ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, full ID number or phone"), "type": "search"}),
    )
    campaign = django_filters.ModelChoiceFilter(label=_("campaign"), queryset=CensusCampaign.objects.all())
    answered = django_filters.BooleanFilter(
        label=_("answered"), field_name="answered_at", lookup_expr="isnull", exclude=True
    )
    result = django_filters.ChoiceFilter(label=_("result"), choices=CensusStatus.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), queryset=Organization.objects.in_tree(), method="in_organization"
    )

    scoped_dropdowns = {"campaign": CensusCampaign.objects.all(), "organization": Organization.objects.in_tree()}

    class Meta:
        model = CensusTask
        fields = ["q", "campaign", "answered", "result", "organization"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(member__in=Member.objects.search(value))

    def in_organization(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return queryset.in_subtree(value.path)


class CampaignFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=CampaignStatus.choices)

    class Meta:
        model = CensusCampaign
        fields = ["status"]
