from django.contrib import admin

from lanshan_party.admin import AuditedModelAdmin
from members.models import Member, Tag


@admin.register(Tag)
class TagAdmin(AuditedModelAdmin):
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(AuditedModelAdmin):
    # Personal data stays out of the admin: it is shown masked, and revealed only in the application.
    list_display = ["name", "gender", "home_branch", "category", "standing"]
    list_filter = ["category", "standing"]
    search_fields = ["name"]
    exclude = ["id_number", "phone"]
    readonly_fields = ["home_branch"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # members are added through the application, which validates ID numbers
