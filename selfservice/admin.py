from django.contrib import admin

from lanshan_party.admin import AuditedModelAdmin
from selfservice.models import OfficePhone, PersonalLink, PublicRequest, SelfReport


@admin.register(OfficePhone)
class OfficePhoneAdmin(AuditedModelAdmin):
    list_display = ["organization", "phone", "hours"]
    raw_id_fields = ["organization"]


@admin.register(PersonalLink)
class PersonalLinkAdmin(AuditedModelAdmin):
    list_display = ["member", "purpose", "channel", "created_at", "expires_at", "failed_tries", "locked_at", "used_at"]
    list_filter = ["purpose", "channel"]
    raw_id_fields = ["member", "organization", "home_branch", "census_task", "sent_by"]
    exclude = ["email"]


@admin.register(SelfReport)
class SelfReportAdmin(AuditedModelAdmin):
    list_display = ["member", "purpose", "status", "submitted_at", "reviewed_by"]
    list_filter = ["status", "purpose"]
    raw_id_fields = ["link", "member", "organization", "home_branch", "reviewed_by"]
    exclude = ["phone"]


@admin.register(PublicRequest)
class PublicRequestAdmin(AuditedModelAdmin):
    list_display = ["name", "organization", "home_township", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["organization", "handled_by"]
    exclude = ["phone"]
