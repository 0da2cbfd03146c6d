from django.contrib import admin

from lanshan_party.admin import AuditedModelAdmin
from yearly.models import CommitteeMember, StudyRecord, Term


@admin.register(StudyRecord)
class StudyRecordAdmin(AuditedModelAdmin):
    list_display = ["date", "member", "title", "hours", "organization"]
    raw_id_fields = ["member", "organization"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(AuditedModelAdmin):
    list_display = ["organization", "member", "role", "since", "until"]
    raw_id_fields = ["member", "organization"]


@admin.register(Term)
class TermAdmin(AuditedModelAdmin):
    list_display = ["organization", "started_on", "years", "ends_on", "is_current"]
    raw_id_fields = ["organization"]
