"""The certificate register as a table."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, RegisterStatus
from lanshan_party.tables import WIDE_ONLY

STATUS_BADGES = {
    RegisterStatus.VALID: "success",
    RegisterStatus.DUE: "warning",
    RegisterStatus.HANDED_BACK: "secondary",
    RegisterStatus.VOID: "danger",
}


def status_badge(certificate: Certificate) -> str:
    status = certificate.register_status()
    return format_html(
        '<span class="badge text-bg-{}" data-status="{}">{}</span>',
        STATUS_BADGES[RegisterStatus(status)],
        status,
        RegisterStatus(status).label,
    )


class CertificateTable(tables.Table):
    number = tables.LinkColumn("certificates:certificate_detail", args=[tables.A("pk")])
    member = tables.LinkColumn("members:member_detail", args=[tables.A("member_id")], order_by="member__name")
    register_status = tables.Column(verbose_name=_("status"), accessor="pk", orderable=False)
    issued_on = tables.DateColumn(format="Y-m-d")
    last_checked_on = tables.DateColumn(format="Y-m-d", default=_("None yet"), attrs=WIDE_ONLY)
    home_branch = tables.Column(accessor="home_branch__display_name", order_by="home_branch__path", attrs=WIDE_ONLY)
    township = tables.Column(accessor="township__display_name", order_by="township__path", attrs=WIDE_ONLY)

    class Meta:
        model = Certificate
        fields = ["number", "member", "register_status", "issued_on", "last_checked_on", "home_branch", "township"]
        order_by = ("township", "number")

    def render_register_status(self, record: Certificate) -> str:
        return status_badge(record)
