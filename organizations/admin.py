from django.contrib import admin

from lanshan_party.admin import AuditedModelAdmin
from organizations.models import Agreement, Organization, Station


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "level", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "short_name", "code"]
    exclude = ["contact_phone"]


@admin.register(Station)
class StationAdmin(AuditedModelAdmin):
    list_display = ["name", "organization", "opened_on"]


@admin.register(Agreement)
class AgreementAdmin(AuditedModelAdmin):
    list_display = ["counterpart", "province", "city", "valid_from", "valid_to", "status"]
    list_filter = ["status", "province"]
    search_fields = ["counterpart", "city", "district"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["covered_organizations"]
