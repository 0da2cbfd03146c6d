"""The agreement list table."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lanshan_party.tables import WIDE_ONLY
from organizations.models import Agreement, AgreementStatus, Organization

STATUS_BADGES = {
    AgreementStatus.DRAFT: "secondary",
    AgreementStatus.IN_FORCE: "success",
    AgreementStatus.EXPIRED: "danger",
    AgreementStatus.TERMINATED: "dark",
}


def status_badge(agreement: Agreement) -> str:
    """The current status, and how many days are left when the agreement is due for renewal."""
    status = agreement.current_status()
    badge = format_html(
        '<span class="badge text-bg-{}">{}</span>', STATUS_BADGES[status], AgreementStatus(status).label
    )
    if agreement.is_expiring:
        days = agreement.days_left
        badge += format_html(
            ' <span class="badge text-bg-warning" title="{}">{}</span>',
            _("Expiring within 60 days: prepare the renewal."),
            ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days} if days else _("Ends today"),
        )
    return badge


class AgreementTable(tables.Table):
    counterpart = tables.LinkColumn("organizations:agreement_detail", args=[tables.A("pk")])
    region = tables.Column(verbose_name=_("region"), order_by=("province", "city", "district"), attrs=WIDE_ONLY)
    valid_from = tables.DateColumn(format="Y-m-d", attrs=WIDE_ONLY)
    valid_to = tables.DateColumn(format="Y-m-d")
    status = tables.Column(verbose_name=_("status"))
    covered_organizations = tables.Column(
        verbose_name=_("covered flowing organizations"), accessor="pk", orderable=False, attrs=WIDE_ONLY
    )
    scan = tables.Column(verbose_name=_("scan"), orderable=False, attrs=WIDE_ONLY)

    class Meta:
        model = Agreement
        sequence = ["counterpart", "status", "valid_to", "valid_from", "region", "covered_organizations", "scan"]
        fields = sequence
        attrs = {"class": "table table-sm table-hover align-middle agreement-table"}

    def render_status(self, record: Agreement) -> str:
        return status_badge(record)

    def render_covered_organizations(self, record: Agreement) -> str:
        # Only the organizations the user may see: the view prefetches them through visible_to.
        return format_html_join("、", "{}", ((org.display_name,) for org in record.covered_organizations.all()))

    def render_scan(self, record: Agreement) -> str:
        if not record.scan:
            return "—"
        return format_html(
            '<a href="{}" title="{}"><i class="bi bi-file-earmark-text"></i></a>',
            record.get_scan_url(),
            _("Open the signed copy"),
        )


class OrganizationLedgerTable(tables.Table):
    name = tables.Column(order_by="path")
    kind = tables.Column()
    level = tables.Column(attrs=WIDE_ONLY)
    parent = tables.Column(accessor="parent__display_name", order_by="parent__path", default="—", attrs=WIDE_ONLY)
    region = tables.Column(verbose_name=_("region"), order_by=("province", "city", "district"), attrs=WIDE_ONLY)
    founded = tables.DateColumn(format="Y-m-d", attrs=WIDE_ONLY)
    secretary_name = tables.Column()
    masked_contact_phone = tables.Column(verbose_name=_("contact phone"), orderable=False)

    class Meta:
        model = Organization
        fields = ["name", "kind", "level", "parent", "region", "founded", "secretary_name", "masked_contact_phone"]
        sequence = fields
        order_by = "name"
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_name(self, value: str, record: Organization) -> str:
        return format_html(
            '<a class="{}" href="{}">{}</a>', "" if record.is_active else "text-muted", record.get_absolute_url(), value
        )
