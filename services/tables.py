"""The list tables of the services app."""

from decimal import Decimal

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lanshan_party.rights import Right, has_right
from lanshan_party.tables import WIDE_ONLY
from services.models import HometownProject, Recognition, RepresentativePost, ServiceCase, ServiceItem

OUTCOME_BADGES = {"resolved": "success", "in_progress": "warning", "referred": "info", "unresolved": "secondary"}
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end text-nowrap"}}


def money(value: Decimal | None) -> str:
    # The same format as the totals under the filters (the template filter floatformat:"2g").
    return floatformat(value, "2g") if value is not None else "—"


class ServiceItemTable(tables.Table):
    sort_order = tables.Column(verbose_name="#", attrs=WIDE_ONLY)
    name = tables.Column()
    category = tables.Column()
    description = tables.Column(orderable=False, attrs=WIDE_ONLY)
    is_active = tables.BooleanColumn(attrs=WIDE_ONLY)

    class Meta:
        model = ServiceItem
        fields = ["sort_order", "name", "category", "description", "is_active"]
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_name(self, value: str, record: ServiceItem) -> str:
        # Only the catalog's editors get a link to the edit form; everyone else reads the catalog.
        request = getattr(self, "request", None)
        if request is not None and has_right(request.user, Right.MANAGE_CATALOG):
            return format_html('<a href="{}">{}</a>', reverse("services:serviceitem_update", args=[record.pk]), value)
        return value

    def render_description(self, value: str) -> str:
        return format_html('<span class="small text-muted">{}</span>', value)


class ServiceCaseTable(tables.Table):
    date = tables.DateColumn(format="Y-m-d")
    beneficiary = tables.Column(
        verbose_name=_("person served"), accessor="pk", order_by=("member__name", "beneficiary_name")
    )
    kind = tables.Column()
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path")
    service_item = tables.Column(default="—", attrs=WIDE_ONLY)
    outcome = tables.Column()
    amount = tables.Column(attrs=NUMBER)
    people_helped = tables.Column(attrs={**NUMBER, **WIDE_ONLY})

    class Meta:
        model = ServiceCase
        fields = ["date", "beneficiary", "kind", "organization", "service_item", "outcome", "amount", "people_helped"]
        sequence = fields
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_beneficiary(self, record: ServiceCase) -> str:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.beneficiary)

    def render_outcome(self, value: str, record: ServiceCase) -> str:
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', OUTCOME_BADGES.get(record.outcome, "light"), value
        )

    def render_amount(self, value: Decimal) -> str:
        return money(value)


class RecognitionTable(tables.Table):
    member = tables.Column(accessor="member__name", order_by="member__name")
    award = tables.LinkColumn("services:recognition_update", args=[tables.A("pk")])
    home_branch = tables.Column(
        verbose_name=_("home branch"), accessor="member__home_branch__display_name", attrs=WIDE_ONLY
    )

    class Meta:
        model = Recognition
        fields = ["year", "member", "award", "level", "awarded_by", "home_branch"]
        sequence = fields
        attrs = {"class": "table table-sm table-hover align-middle"}


class RepresentativePostTable(tables.Table):
    member = tables.LinkColumn(
        "services:representativepost_update", args=[tables.A("pk")], accessor="member__name", order_by="member__name"
    )
    home_branch = tables.Column(
        verbose_name=_("home branch"), accessor="member__home_branch__display_name", attrs=WIDE_ONLY
    )
    end_year = tables.Column(default="—")

    class Meta:
        model = RepresentativePost
        fields = ["member", "post", "level", "term", "start_year", "end_year", "home_branch"]
        sequence = fields
        attrs = {"class": "table table-sm table-hover align-middle"}


class HometownProjectTable(tables.Table):
    title = tables.LinkColumn("services:hometownproject_detail", args=[tables.A("pk")])
    started_on = tables.DateColumn(format="Y-m")
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path")
    place = tables.Column(verbose_name=_("place at home"), order_by=("township", "village"), attrs=WIDE_ONLY)
    investment = tables.Column(attrs=NUMBER)
    jobs_created = tables.Column(attrs=NUMBER)
    people_enriched = tables.Column(attrs={**NUMBER, **WIDE_ONLY})

    class Meta:
        model = HometownProject
        fields = [
            "started_on",
            "title",
            "kind",
            "organization",
            "place",
            "investment",
            "jobs_created",
            "people_enriched",
        ]
        sequence = fields
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_investment(self, value: Decimal) -> str:
        return money(value)
