from django.contrib import admin

from certificates.models import Certificate, CertificateCheck
from lanshan_party.admin import AuditedModelAdmin


class CertificateCheckInline(admin.TabularInline):
    model = CertificateCheck
    raw_id_fields = ["by"]
    extra = 0


@admin.register(Certificate)
class CertificateAdmin(AuditedModelAdmin):
    list_display = ["number", "member", "township", "issued_on", "status", "last_checked_on"]
    list_filter = ["status", "year"]
    search_fields = ["number", "member__name"]
    raw_id_fields = ["member", "outflow", "township", "issued_by", "handed_back_to", "voided_by"]
    inlines = [CertificateCheckInline]
