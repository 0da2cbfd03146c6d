"""Tables of the review queue: personal data masked."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanshan_party.tables import WIDE_ONLY
from selfservice.models import PublicRequest, SelfReport


class SelfReportTable(tables.Table):
    member = tables.LinkColumn("selfservice:report_review", args=[tables.A("pk")], order_by="member__name")
    purpose = tables.Column()
    destination = tables.Column(verbose_name=_("whereabouts given"), orderable=False, default="—")
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path", attrs=WIDE_ONLY)
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i")
    status = tables.Column()

    class Meta:
        model = SelfReport
        fields = ["member", "purpose", "destination", "organization", "submitted_at", "status"]


class PublicRequestTable(tables.Table):
    name = tables.LinkColumn("selfservice:request_handle", args=[tables.A("pk")])
    masked_phone = tables.Column(verbose_name=_("phone"), orderable=False)
    home_township = tables.Column()
    organization = tables.Column(accessor="organization__display_name", order_by="organization__path", attrs=WIDE_ONLY)
    message = tables.Column(attrs=WIDE_ONLY)
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i")
    status = tables.Column()

    class Meta:
        model = PublicRequest
        fields = ["name", "masked_phone", "home_township", "organization", "message", "submitted_at", "status"]
