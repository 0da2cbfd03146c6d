"""Django admin for administrators: the services app's records, every change audited."""

from django.contrib import admin

from lanshan_party.admin import AuditedModelAdmin
from services.models import HometownProject, Recognition, RepresentativePost, ServiceCase, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    list_display = ["name", "category", "sort_order", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "description"]


@admin.register(ServiceCase)
class ServiceCaseAdmin(AuditedModelAdmin):
    list_display = ["date", "kind", "organization", "member", "beneficiary_name", "outcome", "amount", "people_helped"]
    list_filter = ["kind", "outcome"]
    search_fields = ["beneficiary_name", "member__name", "description"]
    date_hierarchy = "date"
    # Thousands of members and dozens of items: ids, not dropdowns.
    raw_id_fields = ["member", "organization", "service_item"]


@admin.register(Recognition)
class RecognitionAdmin(AuditedModelAdmin):
    list_display = ["member", "award", "level", "year", "awarded_by"]
    list_filter = ["level", "year"]
    search_fields = ["member__name", "award"]
    raw_id_fields = ["member"]


@admin.register(RepresentativePost)
class RepresentativePostAdmin(AuditedModelAdmin):
    list_display = ["member", "post", "level", "term", "start_year", "end_year"]
    list_filter = ["post", "level"]
    search_fields = ["member__name"]
    raw_id_fields = ["member"]


@admin.register(HometownProject)
class HometownProjectAdmin(AuditedModelAdmin):
    list_display = ["title", "kind", "organization", "investment", "jobs_created", "people_enriched", "started_on"]
    list_filter = ["kind"]
    search_fields = ["title", "township", "village"]
    raw_id_fields = ["organization", "members"]
