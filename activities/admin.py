from django.contrib import admin

from activities.models import Activity, Attendance, RedPackage
from lanshan_party.admin import AuditedModelAdmin


class AttendanceInline(admin.TabularInline):
    model = Attendance
    raw_id_fields = ["member"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["date", "type", "topic", "organization"]
    list_filter = ["type"]
    search_fields = ["topic"]
    date_hierarchy = "date"
    raw_id_fields = ["organization"]
    inlines = [AttendanceInline]


@admin.register(RedPackage)
class RedPackageAdmin(AuditedModelAdmin):
    list_display = ["sent_on", "member", "organization", "channel", "signed_on"]
    raw_id_fields = ["member", "organization"]
