"""Filters of the review queue: what kind, and whether it still waits."""

import django_filters
from django.utils.translation import gettext_lazy as _

from lanshan_party.filters import ScopedFilterSet
from selfservice.models import PublicRequest, Purpose, RequestStatus, ReviewStatus, SelfReport


class SelfReportFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=ReviewStatus.choices)
    purpose = django_filters.ChoiceFilter(label=_("purpose"), choices=Purpose.choices)

    class Meta:
        model = SelfReport
        fields = ["status", "purpose"]


class PublicRequestFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=RequestStatus.choices)

    class Meta:
        model = PublicRequest
        fields = ["status"]
