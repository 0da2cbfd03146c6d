"""Filters of the export and import histories."""

import django_filters
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lanshan_party.filters import ScopedFilterSet
from lanshan_party.ledgers.definitions import LEDGERS
from lanshan_party.models import ExportJob, ExportStatus, ImportBatch, ImportStatus


def ledger_choices() -> list[tuple[str, Promise]]:
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
