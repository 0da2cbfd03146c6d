import django_filters
import django_tables2 as tables

from lanshan_party.filters import ScopedFilterSet
from lanshan_party.ledgers.exports import LedgerExportMixin
from lanshan_party.views import ScopedListView
from organizations.models import Organization
from tests.toy.models import Visit


class VisitFilter(ScopedFilterSet):
    organization = django_filters.ModelChoiceFilter(queryset=Organization.objects.all())

    class Meta:
        model = Visit
        fields = ["organization"]


class VisitTable(tables.Table):
    class Meta:
        model = Visit
        fields = ["visited_on", "family", "organization"]


class VisitListView(LedgerExportMixin, ScopedListView):
    model = Visit
    filterset_class = VisitFilter
    table_class = VisitTable
    select_related = ("organization",)
    ledger = "visits"
    page_title = "Home visits"
    template_name = "includes/list_page.html"
