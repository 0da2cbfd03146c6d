from django.contrib import admin

from inflow.models import InflowMember, InflowReport
from lanshan_party.admin import AuditedModelAdmin


class InflowReportInline(admin.TabularInline):
    model = InflowReport
    extra = 0
    readonly_fields = ["by"]


@admin.register(InflowMember)
class InflowMemberAdmin(AuditedModelAdmin):
    list_display = ["name", "status", "branch", "from_province", "arrived_on"]
    list_filter = ["status"]
    search_fields = ["name"]
    raw_id_fields = ["branch"]
    exclude = ["id_number", "phone", "contact_phone"]
    inlines = [InflowReportInline]
